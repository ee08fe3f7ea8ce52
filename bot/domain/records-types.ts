import type { CheckpointState } from './checkpoint.ts';
import type { CardCopy, Stamp } from './escalation.ts';
import type { SubjectRef } from './retention.ts';

/** A legal hold: while it stands, nothing about its subject is disposed of. */
export interface LegalHold {
  id: string;
  subject: SubjectRef;
  reason: string;
  status: 'active' | 'lifted';
  placed: Stamp;
  lifted?: Stamp & { reason: string };
  /** On a restricted subject: the hold is restricted too. */
  restricted?: boolean;
  copies: CardCopy[];
}

/** One disposal: what it removed, and whether the log's redaction has been written (start-up finishes it if not). */
export interface Disposal {
  id: string;
  at: string;
  /** Subjects whose working record was removed, as ids. */
  subjects: string[];
  /** How many log records it redacts. */
  records: number;
  rules: string[];
  logRedacted: boolean;
  copies: CardCopy[];
}

/** The slice of state the records keep. */
export interface RecordsState extends CheckpointState {
  legalHolds: Record<string, LegalHold>;
  disposals: Record<string, Disposal>;
  /** When the retention job and the chain-head anchoring last ran (UTC ISO). */
  recordsJobs: Record<string, string>;
  counters: Record<string, number>;
}
