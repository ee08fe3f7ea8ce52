/** One entry in a list: a heading and plain-text lines (names, notes and rationale are user text). */
export interface RecordListItem {
  heading: string;
  lines: string[];
  /** A button acting on the record (Acknowledge, on an escalation that went into a surge digest). */
  action?: { verb: string; title: string; subjectId: string };
}

/** A titled list of records: the escalations list and an escalation's timeline. */
export interface RecordListModel {
  title: string;
  subtitle: string;
  items: RecordListItem[];
  /** Shown when there are no items. */
  empty: string;
}
