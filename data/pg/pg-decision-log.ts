import type { Clock } from '../../bot/domain/clock.ts';
import type { ChainHead, DecisionEntry, DecisionLog, DecisionRecord, LogQuery } from '../../bot/domain/decision-log.ts';
import { canonicalJson } from '../canonical-json.ts';
import { FORMAT, GENESIS, recordHash, redactRecord } from '../record-hash.ts';
import type { StateStore } from '../state-store.ts';
import type pg from 'pg';
import type { PgDatabase } from './pg-database.ts';
import type { PgStateStore } from './pg-state-store.ts';

/** Rows read per round trip when streaming the whole log (verify, copy). */
const PAGE = 5_000;

/**
 * The decision log in PostgreSQL: each record's canonical JSON, exactly the
 * line the JSONL log would hold, so the same hashes and the same verifier
 * apply. Sequence number and previous hash are assigned inside the
 * transaction, under the write lock, so two instances never fork the chain;
 * a record with a state change is committed in the same transaction as it.
 * Searches use indexes on subject, actor and time.
 */
export class PgDecisionLog implements DecisionLog {
  constructor(
    private readonly db: PgDatabase,
    private readonly clock: Clock,
    /** The store whose `walSeq` follows the chain's head. */
    checkpoint: PgStateStore<{ walSeq: number }>,
  ) {
    db.checkpointOwner = checkpoint as unknown as { state: { walSeq: number } };
  }

  private build(entry: DecisionEntry): (head: ChainHead) => DecisionRecord {
    return (head) => {
      const base = { v: FORMAT, ...entry, seq: head.seq + 1, at: this.clock.now().toISOString(), prev: head.hash };
      return { ...base, hash: recordHash(base) };
    };
  }

  async append(entry: DecisionEntry): Promise<DecisionRecord> {
    return (await this.db.transact({ record: this.build(entry) })).record!;
  }

  /** Appends `entry` and applies `change` to `store` in one transaction. */
  async appendWith<S>(entry: DecisionEntry | ((s: Readonly<S>) => DecisionEntry), store: StateStore<S>, change: (s: S, record: DecisionRecord) => void): Promise<DecisionRecord> {
    const owner = store as unknown as PgStateStore<object>;
    const record = (head: ChainHead) => this.build(typeof entry === 'function' ? entry(owner.state as S) : entry)(head);
    return (await this.db.transact({ owner, record, change: ((s: S, r?: DecisionRecord) => change(s, r!)) as (v: never) => unknown })).record!;
  }

  forSubject(type: string, id: string): Promise<DecisionRecord[]> {
    return this.query({ subjectType: type, subjectId: id });
  }

  async recordsAfter(seq: number): Promise<DecisionRecord[]> {
    return this.select('seq > $1', [seq]);
  }

  async query(q: LogQuery): Promise<DecisionRecord[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown) => { args.push(v); where.push(sql.replace('?', `$${args.length}`)); };
    if (q.subjectType) add('subject_type = ?', q.subjectType);
    if (q.subjectId) add('subject_id = ?', q.subjectId);
    if (q.actorId) add('actor_id = ?', q.actorId);
    if (q.from) add('at >= ?', q.from);
    if (q.to) add('at < ?', q.to);
    return this.select(where.join(' AND ') || 'true', args);
  }

  private async select(where: string, args: unknown[]): Promise<DecisionRecord[]> {
    await this.db.flushed();
    const { rows } = await this.db.pool.query<{ line: string }>(`SELECT line FROM bd_decisions WHERE ${where} ORDER BY seq`, args);
    return rows.map((r) => JSON.parse(r.line) as DecisionRecord);
  }

  async head(): Promise<ChainHead> {
    await this.db.flushed();
    const { rows } = await this.db.pool.query<{ seq: string; hash: string; at: string }>('SELECT seq, hash, at FROM bd_decisions ORDER BY seq DESC LIMIT 1');
    return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash, at: rows[0].at } : { seq: 0, hash: GENESIS };
  }

  /** Every line in order, a page at a time: what `verify-log` and `storage:copy` read. */
  async *lines(): AsyncGenerator<string> {
    let after = 0;
    for (;;) {
      const { rows } = await this.db.pool.query<{ seq: string; line: string }>('SELECT seq, line FROM bd_decisions WHERE seq > $1 ORDER BY seq LIMIT $2', [after, PAGE]);
      for (const r of rows) yield r.line;
      if (rows.length < PAGE) return;
      after = Number(rows.at(-1)!.seq);
    }
  }

  /** Removes the records' body fields in one transaction, keeping their hashes (see data/record-hash.ts). */
  async redact(seqs: readonly number[], by: number): Promise<number> {
    const client = await this.db.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ seq: string; line: string }>('SELECT seq, line FROM bd_decisions WHERE seq = ANY($1::bigint[]) FOR UPDATE', [seqs]);
      let changed = 0;
      for (const r of rows) {
        const record = JSON.parse(r.line) as DecisionRecord;
        const redacted = redactRecord(record, by);
        if (redacted === record) continue;
        await client.query('UPDATE bd_decisions SET line = $2, actor_id = NULL WHERE seq = $1', [r.seq, canonicalJson(redacted)]);
        changed += 1;
      }
      await client.query('COMMIT');
      return changed;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** True while the database answers (the readiness check's "decision log open"). */
  check(): Promise<boolean> {
    return this.db.writable();
  }

  async close(): Promise<void> {
    await this.db.flushed();
  }
}

/** Appends records to the log table in one statement; `lines` are their exact text when copied from a file (else their canonical JSON). */
export async function insertRecords(client: pg.ClientBase, records: readonly DecisionRecord[], lines?: readonly string[]): Promise<void> {
  await client.query(insertRecordsSql(1), recordColumns(records, lines));
}

/** The INSERT of records from the eight arrays `recordColumns` makes, as parameters $from to $from+7. */
export function insertRecordsSql(from: number): string {
  const p = (n: number, type: string) => `$${from + n}::${type}[]`;
  return `INSERT INTO bd_decisions (seq, at, action, subject_type, subject_id, actor_id, hash, line)
     SELECT * FROM unnest(${p(0, 'bigint')}, ${[1, 2, 3, 4, 5, 6, 7].map((n) => p(n, 'text')).join(', ')})`;
}

/** Records as the columns of bd_decisions, one array each. */
export function recordColumns(records: readonly DecisionRecord[], lines: readonly string[] = records.map((r) => canonicalJson(r))): unknown[] {
  return [records.map((r) => r.seq), records.map((r) => r.at), records.map((r) => r.action), records.map((r) => r.subject?.type ?? null),
    records.map((r) => r.subject?.id ?? null), records.map((r) => r.actor?.personId ?? null), records.map((r) => r.hash), lines];
}
