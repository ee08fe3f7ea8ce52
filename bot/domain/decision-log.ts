import type { StateStore } from '../../data/state-store.ts';
import type { WalChange } from './checkpoint.ts';

/**
 * National Decision Model rationale, used where a decision needs one.
 * Every part is optional here; later flows decide which parts they require.
 */
export interface NdmRationale {
  information?: string;
  threatRisk?: string;
  powersPolicy?: string;
  options?: string;
  action?: string;
  reviewAt?: string;
}

/** What the domain asks the log to record. */
export interface DecisionEntry {
  /** What happened, as a dotted verb: `escalation.raised`, `access.refused` … */
  action: string;
  outcome: 'done' | 'refused';
  /** Who: a person (when known) and always the identity they used. */
  actor: { personId?: string; name?: string; identity: string };
  subject?: { type: string; id: string };
  /** Why, in words: required for refusals. */
  reason?: string;
  rationale?: NdmRationale;
  details?: Record<string, unknown>;
  /** What the change does to state, so it can be applied again after a crash (see checkpoint.ts). */
  wal?: WalChange;
  /** The subject is restricted (a PSD-related case): the record is shown only to the roles the policy table names. Never redacted. */
  restricted?: boolean;
}

/** A record as stored: the entry plus its place in the hash chain. */
export interface DecisionRecord extends Omit<DecisionEntry, 'actor'> {
  /** Record format: 2 (hash over each body field's hash, so fields can be redacted); absent on format 1 records. */
  v?: number;
  seq: number;
  /** UTC ISO 8601. */
  at: string;
  /** SHA-256 (hex) of the previous record's line, or 64 zeros for the first. */
  prev: string;
  /** SHA-256 (hex) of this record without this field (see data/record-hash.ts). */
  hash: string;
  /** Absent once the record's personal data was redacted by a disposal. */
  actor?: DecisionEntry['actor'];
  /** Set when a disposal removed the body fields: each removed field's hash, and the disposal record's sequence number. */
  redacted?: { fields: Partial<Record<'actor' | 'reason' | 'rationale' | 'details' | 'wal', string>>; by: number };
}

/** A search of the log: every given condition must hold. Times are UTC ISO; `to` is exclusive. */
export interface LogQuery {
  subjectType?: string;
  subjectId?: string;
  /** Records made by this person (directory id). */
  actorId?: string;
  from?: string;
  to?: string;
}

/** The last record of the chain: what anchoring publishes and `verify-log --against` checks. */
export interface ChainHead {
  seq: number;
  hash: string;
  at?: string;
}

/** The append-only, tamper-evident decision log. */
export interface DecisionLog {
  append(entry: DecisionEntry): Promise<DecisionRecord>;
  /**
   * Appends a record and applies its state change as one unit, where the
   * backend can (PostgreSQL: one transaction). Where it is absent, the
   * record is appended first and the change applied after, and the
   * checkpoint replays a record a crash left unapplied. `entry` may be made
   * from the state inside the transaction, under its write lock, so what it
   * reads (the next id) is what every instance has committed; if it throws,
   * that change alone is refused.
   */
  appendWith?<S>(entry: DecisionEntry | ((s: Readonly<S>) => DecisionEntry), store: StateStore<S>, change: (s: S, record: DecisionRecord) => void): Promise<DecisionRecord>;
  /** Records about one subject, oldest first. */
  forSubject(type: string, id: string): Promise<DecisionRecord[]>;
  /** Records after a sequence number, oldest first: what a checkpoint has not yet applied. */
  recordsAfter(seq: number): Promise<DecisionRecord[]>;
  /** Records matching a search, oldest first. */
  query(q: LogQuery): Promise<DecisionRecord[]>;
  /** The chain's head (seq 0 and the genesis hash when empty). */
  head(): Promise<ChainHead>;
  /**
   * Removes the body fields of these records, keeping their hashes (see
   * data/record-hash.ts), under the disposal record `by`. Idempotent: records
   * already redacted are left as they are.
   */
  redact(seqs: readonly number[], by: number): Promise<number>;
  close(): Promise<void>;
}

/** True when a record answers a search. */
export function matchesQuery(r: DecisionRecord, q: LogQuery): boolean {
  if (q.subjectType && r.subject?.type !== q.subjectType) return false;
  if (q.subjectId && r.subject?.id !== q.subjectId) return false;
  if (q.actorId && r.actor?.personId !== q.actorId) return false;
  if (q.from && r.at < q.from) return false;
  if (q.to && r.at >= q.to) return false;
  return true;
}

/** Who made a record, in words; a disposal may have redacted it. */
export function actorLabel(r: Pick<DecisionRecord, 'actor' | 'redacted'>): string {
  return r.actor ? (r.actor.name ?? r.actor.identity) : '[redacted under the retention schedule]';
}
