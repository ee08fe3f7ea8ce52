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
}

/** A record as stored: the entry plus its place in the hash chain. */
export interface DecisionRecord extends DecisionEntry {
  seq: number;
  /** UTC ISO 8601. */
  at: string;
  /** SHA-256 (hex) of the previous record's line, or 64 zeros for the first. */
  prev: string;
  /** SHA-256 (hex) of this record without this field. */
  hash: string;
}

/** The append-only, tamper-evident decision log. */
export interface DecisionLog {
  append(entry: DecisionEntry): Promise<DecisionRecord>;
  /** Records about one subject, oldest first. */
  forSubject(type: string, id: string): Promise<DecisionRecord[]>;
  /** Records after a sequence number, oldest first: what a checkpoint has not yet applied. */
  recordsAfter(seq: number): Promise<DecisionRecord[]>;
  close(): Promise<void>;
}
