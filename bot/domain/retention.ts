import type { RetentionConfig } from '../config/schema-records.ts';
import type { DecisionRecord } from './decision-log.ts';

/** A subject of the log: what a hold or a disposal names. */
export interface SubjectRef {
  type: string;
  id: string;
}

/**
 * Where each kind of subject lives in state, its id prefix, and when it is
 * finished: the moment its retention clock starts. A subject still open is
 * never due.
 */
export const SUBJECT_KINDS: Record<string, { collection: string; prefix: string; finishedAt: (r: never, state: Record<string, Record<string, unknown>>) => string | undefined }> = {
  escalation: { collection: 'escalations', prefix: 'ESC', finishedAt: (e: { status: string; closed?: { at: string } }) => (e.status === 'closed' ? e.closed?.at : undefined) },
  'account-request': {
    collection: 'accountRequests', prefix: 'REQ',
    // An approved request is the account's history: it is finished when the account is.
    finishedAt: (r: { status: string; lastComment?: { by: { at: string } }; accountId?: string }, state) => {
      if (r.status === 'rejected') return r.lastComment?.by.at;
      const account = r.accountId && Object.hasOwn(state.accounts ?? {}, r.accountId) ? state.accounts![r.accountId] : undefined;
      return r.status === 'approved' && account ? accountFinished(account as never) : undefined;
    },
  },
  account: { collection: 'accounts', prefix: 'ACC', finishedAt: (a: never) => accountFinished(a) },
  impersonation: { collection: 'impersonations', prefix: 'IMP', finishedAt: (c: { status: string; updated: { at: string } }) => (['taken_down', 'declined'].includes(c.status) ? c.updated.at : undefined) },
  leaver: { collection: 'leaverCases', prefix: 'LVR', finishedAt: (c: { status: string; completed?: { at: string } }) => (c.status === 'complete' ? c.completed?.at : undefined) },
  surge: { collection: 'surges', prefix: 'SRG', finishedAt: (s: { status: string; standDown?: { at: string } }) => (s.status === 'stood_down' ? s.standDown?.at : undefined) },
  appeal: { collection: 'appeals', prefix: 'APL', finishedAt: (a: { status: string; finishedAt?: string }) => (a.status === 'finished' ? a.finishedAt : undefined) },
};

function accountFinished(a: { state: string; closure?: { decidedBy?: { at: string } }; updatedAt: string }): string | undefined {
  return a.state === 'closed' ? a.closure?.decidedBy?.at ?? a.updatedAt : undefined;
}

/** The subject an id names, by its prefix (ESC-00012 is an escalation), if any. */
export function subjectOfId(id: string): SubjectRef | undefined {
  const prefix = /^([A-Z]{3})-\d+$/.exec(id)?.[1];
  const type = Object.keys(SUBJECT_KINDS).find((t) => SUBJECT_KINDS[t]!.prefix === prefix);
  return type ? { type, id } : undefined;
}

/** The action of a disposal record: the only thing that may redact a record. */
export const DISPOSAL_ACTION = 'records.disposed';

/** Records that keep the record-keeping itself: disposal reports and published heads outlive what they describe. */
export function isKeptForGood(r: Pick<DecisionRecord, 'action' | 'subject'>): boolean {
  return r.action === DISPOSAL_ACTION || r.action === 'records.head_published' || r.action === 'records.disposal_report' || r.subject?.type === 'hold' || r.subject?.type === 'disposal';
}

/** The retention class a record belongs to: its subject's class, else the class claiming its action, else the default. */
export function classOf(r: Pick<DecisionRecord, 'action' | 'subject'>, cfg: RetentionConfig): string {
  const classes = Object.entries(cfg.classes);
  if (r.subject) {
    const bySubject = classes.find(([, c]) => c.subjects.includes(r.subject!.type as never));
    if (bySubject) return bySubject[0];
  }
  const byAction = classes.find(([, c]) => c.actions.some((a) => (a.endsWith('.') ? r.action.startsWith(a) : r.action === a)));
  return byAction?.[0] ?? cfg.default;
}

/** What one run of the retention job should do. */
export interface RetentionPlan {
  /** Subjects to dispose of: their working record goes and their log records (`seqs`) are redacted. */
  subjects: Array<SubjectRef & { cls: string; dueAt: string; seqs: number[] }>;
  /** Due log records about no kept subject, to redact. */
  loose: Array<{ seq: number; cls: string }>;
  /** Subjects and records newly due under a review class since the last run: listed for information management. */
  review: Array<{ ref: string; cls: string; dueAt: string }>;
  /** Due subjects a legal hold keeps. */
  held: SubjectRef[];
}

const DAY = 86_400_000;

/**
 * Decides what is past its period. The clock of a subject's records starts
 * when the subject is finished; a record about no subject (or about one
 * Bluedesk does not keep, such as a person) starts its own. Held subjects,
 * and the records that keep the record-keeping, are never due.
 */
export function planRetention(input: {
  state: Record<string, Record<string, unknown>>;
  records: readonly DecisionRecord[];
  cfg: RetentionConfig;
  held: ReadonlySet<string>;
  now: Date;
  lastRunAt?: string;
  /** A finished subject moved out of hot state into an archive (closed escalations), by type and id. */
  archived?: (type: string, id: string) => unknown;
}): RetentionPlan {
  const { state, cfg, now } = input;
  const plan: RetentionPlan = { subjects: [], loose: [], review: [], held: [] };
  const decided = new Map<string, { due: boolean; dueAt?: string; cls: string; seqs?: number[] }>();
  const dueAt = (from: string, cls: string) => new Date(Date.parse(from) + cfg.classes[cls]!.afterDays * DAY);
  const newlyDue = (at: Date) => at <= now && (!input.lastRunAt || at > new Date(input.lastRunAt));
  for (const r of input.records) {
    if (r.redacted || isKeptForGood(r)) continue;
    const cls = classOf(r, cfg);
    const kind = r.subject ? SUBJECT_KINDS[r.subject.type] : undefined;
    const collection = kind ? state[kind.collection] : undefined;
    const kept = r.subject && kind ? (collection && Object.hasOwn(collection, r.subject.id) ? collection[r.subject.id] : input.archived?.(r.subject.type, r.subject.id)) : undefined;
    if (r.subject && kind && kept !== undefined) {
      const key = `${r.subject.type}:${r.subject.id}`;
      let d = decided.get(key);
      if (!d) {
        const finished = kind.finishedAt(kept as never, state);
        const at = finished ? dueAt(finished, cls) : undefined;
        d = { due: !!at && at <= now, cls, ...(at ? { dueAt: at.toISOString() } : {}) };
        if (d.due && input.held.has(key)) {
          plan.held.push({ ...r.subject });
          d.due = false;
        } else if (d.due && cfg.classes[cls]!.onExpiry === 'review') {
          if (newlyDue(at!)) plan.review.push({ ref: r.subject.id, cls, dueAt: d.dueAt! });
          d.due = false;
        } else if (d.due) {
          d.seqs = [];
          plan.subjects.push({ ...r.subject, cls, dueAt: d.dueAt!, seqs: d.seqs });
        }
        decided.set(key, d);
      }
      d.seqs?.push(r.seq);
      continue;
    }
    const at = dueAt(r.at, cls);
    if (at > now || (r.subject && input.held.has(`${r.subject.type}:${r.subject.id}`))) continue;
    if (cfg.classes[cls]!.onExpiry === 'review') {
      if (newlyDue(at)) plan.review.push({ ref: `record ${r.seq} (${r.action})`, cls, dueAt: at.toISOString() });
    } else {
      plan.loose.push({ seq: r.seq, cls });
    }
  }
  return plan;
}
