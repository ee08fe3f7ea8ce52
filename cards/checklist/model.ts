import type { AlertAction, Fact, NoteColor } from '../escalation-alert/model.ts';

/** One line of a checklist: what to do, whether it is done (and by whom), and a button when the viewer may act on it. */
export interface ChecklistLine {
  /** The item's number, shown before it and carried by its button. */
  id: string;
  text: string;
  done: boolean;
  /** "Done by Sid Security, 25 Nov 2026, 14:03 GMT" or "To do: Information security". */
  status: string;
  action?: AlertAction;
}

/** Items grouped under a heading (an account, or the person). */
export interface ChecklistGroup {
  title: string;
  lines: ChecklistLine[];
}

/**
 * A checklist card: an offboarding case, with its items ticked in the card.
 * Item buttons act on `subjectId:itemId`; case buttons on `subjectId`.
 * Every value is shown as plain text.
 */
export interface ChecklistCardModel {
  subjectId: string;
  heading: string;
  style: 'attention' | 'warning' | 'accent' | 'emphasis' | 'good';
  facts: Fact[];
  /** Things to notice, each shown with a warning symbol. */
  flags: string[];
  groups: ChecklistGroup[];
  /** Said under the groups when some items are left off to keep the card within the platforms' limits. */
  hiddenText: string;
  statusText: string;
  actions: AlertAction[];
  note: string;
  noteColor: NoteColor;
  fallbackText: string;
}

/**
 * Most item lines a card shows. A line with its button is about 0.7 KB of
 * Adaptive Card, and Teams cards must stay under 28 KB; Slack takes at most
 * 50 blocks, and a card spends two per group.
 */
export const MAX_LINES = 28;
/** Most groups a card shows (Slack's 50 blocks, less the card's own). */
export const MAX_GROUPS = 20;

/** The value an item's button carries. */
export function itemTarget(subjectId: string, itemId: string): string {
  return `${subjectId}:${itemId}`;
}
