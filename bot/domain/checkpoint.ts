import type { ChainHead, DecisionEntry, DecisionLog, DecisionRecord, LogQuery } from './decision-log.ts';

/**
 * What one decision-log record does to state, carried in the record so it
 * can be applied again after a crash (the log is the write-ahead log): the
 * record as it stands after the change (an after-image), the id counter it
 * allocated, an index entry it answers (an intake idempotency key), and
 * where its card was to be posted.
 */
export interface WalChange {
  collection: string;
  id: string;
  value: unknown;
  counter?: { prefix: string; n: number };
  index?: { collection: string; key: string; value: unknown };
  publish?: { targets?: unknown[]; people?: string[]; area: string; fallback?: boolean };
  /** Messages to people the change tells (a requester that their request was approved), as the card each gets. */
  notify?: Notify[];
  /** Other entries the same change writes, each owned by the changed record (a leaver case's role suspension): after-images, `null` to remove. */
  also?: AlsoChange[];
}

/** An entry in another collection, written by the change that owns it. */
export interface AlsoChange {
  collection: string;
  id: string;
  value: unknown;
}

/** A message a change sends to people by direct message; the message is a card view model, opaque here. */
export interface Notify {
  people: string[];
  message: unknown;
}

/** The part of state that records how far the log has been applied. */
export interface CheckpointState {
  /** Every log record up to this sequence number is reflected in state. */
  walSeq: number;
}

/**
 * State is a checkpoint of the decision log. Records that change nothing in
 * state count as applied when appended; records that do are applied in the
 * same state write as their change. `walSeq` only moves over a contiguous
 * run, so a change committed out of order never hides an earlier one that
 * was not.
 */
export class Checkpoint {
  private readonly applied = new Set<number>();

  markApplied(seq: number): void {
    this.applied.add(seq);
  }

  /** Moves `walSeq` over every contiguous applied record. Call inside a state update. */
  advance(state: CheckpointState): void {
    while (this.applied.has(state.walSeq + 1)) {
      this.applied.delete(state.walSeq + 1);
      state.walSeq += 1;
    }
    // Anything at or below the checkpoint is done.
    for (const seq of this.applied) if (seq <= state.walSeq) this.applied.delete(seq);
  }
}

/** The decision log as the domain uses it: appends without a state change count as applied at once. */
export class CheckpointedLog implements DecisionLog {
  constructor(
    private readonly inner: DecisionLog,
    readonly checkpoint: Checkpoint,
  ) {}

  async append(entry: DecisionEntry): Promise<DecisionRecord> {
    const record = await this.inner.append(entry);
    if (!entry.wal) this.checkpoint.markApplied(record.seq);
    return record;
  }

  /** Present when the backend commits a record with its state change (see DecisionLog.appendWith). */
  get appendWith(): DecisionLog['appendWith'] {
    return this.inner.appendWith?.bind(this.inner);
  }

  forSubject(type: string, id: string): Promise<DecisionRecord[]> {
    return this.inner.forSubject(type, id);
  }

  recordsAfter(seq: number): Promise<DecisionRecord[]> {
    return this.inner.recordsAfter(seq);
  }

  query(q: LogQuery): Promise<DecisionRecord[]> {
    return this.inner.query(q);
  }

  head(): Promise<ChainHead> {
    return this.inner.head();
  }

  redact(seqs: readonly number[], by: number): Promise<number> {
    return this.inner.redact(seqs, by);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
