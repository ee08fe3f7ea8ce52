import type { ChainHead, DecisionEntry, DecisionLog, DecisionRecord, LogQuery } from './decision-log.ts';
import type { Tracked } from './record-keeper.ts';

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

/**
 * Applies one log record's change to state: the record's after-image (its
 * card copies, which only the outbox adds, are kept), the id counter, the
 * index entry, and any entries the change owns in other collections.
 * Idempotent, so start-up can apply a record again safely.
 */
export function applyWal(state: Record<string, unknown> & { counters: Record<string, number> }, wal: WalChange): void {
  const records = state[wal.collection] as Record<string, Tracked> | undefined;
  if (!records) return;
  const existing = Object.hasOwn(records, wal.id) ? records[wal.id] : undefined;
  const value = structuredClone(wal.value) as Tracked;
  const copies = new Map([...(value.copies ?? []), ...(existing?.copies ?? [])].map((c) => [JSON.stringify([c.platform, 'ts' in c ? c.ts : c.activityId]), c]));
  records[wal.id] = { ...value, copies: [...copies.values()] };
  if (wal.counter) state.counters[wal.counter.prefix] = Math.max(state.counters[wal.counter.prefix] ?? 0, wal.counter.n);
  if (wal.index) {
    const index = state[wal.index.collection] as Record<string, unknown> | undefined;
    if (index) index[wal.index.key] = wal.index.value;
  }
  for (const a of wal.also ?? []) {
    const into = state[a.collection] as Record<string, unknown> | undefined;
    if (!into) continue;
    if (a.value === null) delete into[a.id];
    else into[a.id] = structuredClone(a.value);
  }
}
