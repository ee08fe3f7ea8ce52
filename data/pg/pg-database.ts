import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { ChainHead, DecisionRecord } from '../../bot/domain/decision-log.ts';
import { GENESIS } from '../record-hash.ts';
import { connectPool, databaseProblem, describeTarget, lockKey, type PgTarget } from './connect.ts';
import { Leadership } from './leadership.ts';
import { insertRecordsSql, recordColumns } from './pg-decision-log.ts';
import { migrate } from './migrate.ts';
import { applyRows, changedRows, restoreRows, runChange, type Marks, type Row, type RowCache } from '../row-tracking.ts';

/** What a state store registered with the database offers it: its state object and which rows are its own. */
export interface RowOwner {
  readonly state: object;
  readonly cache: RowCache;
  owns(collection: string, id: string): boolean;
}

/**
 * One committed write transaction, timed as this instance sees it: how long
 * it waited for the cluster-wide write lock (with the catch-up read made
 * under it), then how long it held the lock until the commit returned, and
 * how many changes and records it carried (group commit).
 */
export interface WriteTiming {
  waitSeconds: number;
  heldSeconds: number;
  changes: number;
}

/** One change waiting for the next transaction: a state change, a log record, or both together. */
interface Job {
  owner?: RowOwner;
  change?: (view: never, record?: DecisionRecord) => unknown;
  /** Builds the log record on the chain's current head (inside the transaction, under the write lock). */
  record?: (head: ChainHead) => DecisionRecord;
  resolve: (v: { result: unknown; record?: DecisionRecord }) => void;
  reject: (err: unknown) => void;
}

/**
 * PostgreSQL behind Bluedesk's storage interfaces. Each instance keeps the
 * hot state in memory, as on lowdb, and every change is one transaction
 * taken under a schema-wide advisory lock: it first reads what other
 * instances wrote since this one last looked, then applies the change (and
 * appends its decision-log record, with sequence number and previous hash
 * assigned under the same lock), writes the rows that changed and commits.
 * Changes queued meanwhile share the next transaction (group commit).
 * Because writers hold the lock from before they take versions until they
 * commit, versions become visible in order, so "rows newer than the last I
 * saw" never skips one.
 */
export class PgDatabase {
  readonly instance = randomUUID();
  private readonly owners: RowOwner[] = [];
  private queue: Job[] = [];
  /** Transactions and syncs run one at a time, so a sync never applies rows older than a write this instance just made. */
  private chain: Promise<unknown> = Promise.resolve();
  private flushing: Promise<void> | undefined;
  /** The read in progress, and the one waiting to start after it (see `sync`). */
  private currentSync: Promise<void> = Promise.resolve();
  private nextSync: Promise<void> | undefined;
  /** Each row's version as memory holds it, so an older read never overwrites a newer value. */
  private readonly versions = new Map<string, number>();
  private seenVer = '0';
  private lastWriteOk = true;
  private listener: pg.Client | undefined;
  private readonly changeListeners: Array<() => void> = [];
  private readonly writeListeners: Array<(t: WriteTiming) => void> = [];
  /** Set once the chain's head is known to be carried in walSeq by the log's owner. */
  checkpointOwner: { state: { walSeq: number } } | undefined;

  private constructor(
    readonly pool: pg.Pool,
    readonly target: PgTarget,
    private readonly writeKey: string,
    readonly leadership: Leadership,
  ) {}

  /** Connects, brings the schema up to date, and starts listening for other instances' changes. */
  static async open(target: PgTarget, opts: { poolSize?: number; listen?: boolean } = {}): Promise<PgDatabase> {
    const pool = connectPool(target, opts.poolSize ?? 10);
    try {
      await migrate(pool, target.schema);
      const client = await pool.connect();
      const writeKey = await lockKey(client, target.schema, 'write').finally(() => client.release());
      // Written into SQL text (see commitQueued): it must be a plain integer.
      if (!/^-?\d+$/.test(writeKey)) throw new Error(`unexpected advisory lock key ${writeKey}`);
      const db = new PgDatabase(pool, target, writeKey, new Leadership(target));
      if (opts.listen !== false) await db.listen();
      return db;
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw databaseProblem(err, target);
    }
  }

  /** Where the database is, without the password. */
  describe(): string {
    return describeTarget(this.target);
  }

  /** The channel NOTIFY uses: one per schema. */
  private get channel(): string {
    return `bluedesk_${this.target.schema}`;
  }

  /** Registers a store and loads its rows. */
  async register(owner: RowOwner): Promise<void> {
    this.owners.push(owner);
    await this.serial(async () => {
      const { rows } = await this.pool.query<Row & { ver: string }>('SELECT collection, id, value, ver FROM bd_state WHERE value IS NOT NULL');
      applyRows(owner.state, owner.cache, rows.filter((r) => owner.owns(r.collection, r.id)));
      // Versions only grow; anything at or below what was read here is in memory.
      for (const r of rows) {
        this.versions.set(versionKey(r), Number(r.ver));
        if (Number(r.ver) > Number(this.seenVer)) this.seenVer = r.ver;
      }
    });
  }

  /** Called after rows written by another instance were applied (the outbox worker looks for new work). */
  onRemoteChange(fn: () => void): void {
    this.changeListeners.push(fn);
  }

  /**
   * Brings memory up to date with what other instances have committed. Reads
   * run one at a time, beside (not behind) this instance's own transactions;
   * a caller arriving while one runs shares the next, which starts after it.
   */
  sync(): Promise<void> {
    if (this.nextSync) return this.nextSync;
    const next = this.currentSync.catch(() => undefined).then(async () => {
      this.nextSync = undefined;
      const { rows } = await this.pool.query<Row & { ver: string }>('SELECT collection, id, value, ver FROM bd_state WHERE ver > $1 ORDER BY ver', [this.seenVer]);
      this.applyPulled(rows);
    });
    this.nextSync = next;
    this.currentSync = next;
    return next;
  }

  /**
   * Applies rows read from the database. A row is applied only if it is
   * newer than the version memory holds, so a read that raced this
   * instance's own commit never puts an older value back.
   */
  private applyPulled(rows: ReadonlyArray<Row & { ver: string }>): void {
    const fresh = rows.filter((r) => {
      const ver = Number(r.ver);
      if ((this.versions.get(versionKey(r)) ?? 0) >= ver) return false;
      this.versions.set(versionKey(r), ver);
      return true;
    });
    if (rows.length && Number(rows.at(-1)!.ver) > Number(this.seenVer)) this.seenVer = rows.at(-1)!.ver;
    if (!fresh.length) return;
    for (const owner of this.owners) applyRows(owner.state, owner.cache, fresh.filter((r) => owner.owns(r.collection, r.id)));
    for (const fn of this.changeListeners) fn();
  }

  /**
   * Called after each committed transaction with its timing (the metrics). Every
   * instance's writes take turns under one lock, so the sum of held time across
   * instances, a second at a time, says how near the cluster is to its ceiling.
   */
  onWrite(fn: (t: WriteTiming) => void): void {
    this.writeListeners.push(fn);
  }

  /** Queues a change (and/or a log record) for the next transaction; resolves once it is committed. */
  transact<T>(job: Omit<Job, 'resolve' | 'reject'>): Promise<{ result: T; record?: DecisionRecord }> {
    if (this.closed) return Promise.reject(new Error(`storage is closed: a change came after shutdown ${new Error().stack}`));
    return new Promise((resolve, reject) => {
      this.queue.push({ ...job, resolve: resolve as Job['resolve'], reject });
      this.flushing ??= this.serial(() => this.commitQueued()).finally(() => { this.flushing = undefined; });
    });
  }

  /** Resolves once every queued change has been committed (or failed). */
  async flushed(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => undefined);
  }

  private async commitQueued(): Promise<void> {
    this.flushing = undefined;
    const batch = this.queue;
    this.queue = [];
    if (!batch.length) return;
    const client = await this.pool.connect().catch((err: unknown) => { for (const j of batch) j.reject(err); return undefined; });
    if (!client) { this.lastWriteOk = false; return; }
    const marks = new Map<RowOwner, Marks>();
    const changed: Array<[RowOwner, Row[]]> = [];
    const records: DecisionRecord[] = [];
    const outcomes = new Map<Job, { result: unknown; record?: DecisionRecord } | { error: unknown }>();
    try {
      // One round trip: begin, take the write lock, read what others committed, and the chain's head. Only
      // numbers this code made are written into the text (the lock key and a version), never a value.
      const needHead = batch.some((j) => j.record);
      const started = performance.now();
      const opened = (await client.query(
        `BEGIN; SELECT pg_advisory_xact_lock(${this.writeKey}::bigint); SELECT collection, id, value, ver FROM bd_state WHERE ver > ${Number(this.seenVer)} ORDER BY ver;` +
        (needHead ? ' SELECT seq, hash, at FROM bd_decisions ORDER BY seq DESC LIMIT 1' : ''),
      )) as unknown as pg.QueryResult[];
      const locked = performance.now();
      this.applyPulled(opened[2]!.rows as Array<Row & { ver: string }>);
      let head: ChainHead | undefined;
      if (needHead) {
        const last = opened[3]!.rows[0] as { seq: string; hash: string; at: string } | undefined;
        head = last ? { seq: Number(last.seq), hash: last.hash, at: last.at } : { seq: 0, hash: GENESIS };
      }
      const marksOf = (owner: RowOwner) => {
        if (!marks.has(owner)) marks.set(owner, new Map());
        return marks.get(owner)!;
      };
      for (const job of batch) {
        try {
          const record = job.record?.(head!);
          // A change that throws is undone in memory alone; the batch's other changes are kept (see runChange).
          const result = job.change && job.owner ? runChange(job.owner.state, job.owner.cache, marksOf(job.owner), (view) => job.change!(view as never, record)) : undefined;
          if (record) {
            records.push(record);
            head = { seq: record.seq, hash: record.hash, at: record.at };
          }
          outcomes.set(job, { result, ...(record ? { record } : {}) });
        } catch (error) {
          outcomes.set(job, { error });
        }
      }
      // Every record is committed with its state change, so the checkpoint is always the chain's head.
      if (records.length && this.checkpointOwner) {
        const owner = this.checkpointOwner as unknown as RowOwner;
        runChange(owner.state, owner.cache, marksOf(owner), (view) => { (view as { walSeq: number }).walSeq = records.at(-1)!.seq; });
      }
      for (const [owner, m] of marks) changed.push([owner, changedRows(owner.state, owner.cache, m)]);
      const rows = changed.flatMap(([, r]) => r);
      // The rows and the records in one statement: every round trip here is made holding the write lock.
      const source = rowSource(rows);
      const writing = rows.length || records.length ? client.query<Row & { ver: string }>(
        `WITH written AS (
           INSERT INTO bd_state (collection, id, value, ver)
           SELECT c, i, v, nextval('bd_state_ver') FROM ${source.sql} AS u(c, i, v)
           ON CONFLICT (collection, id) DO UPDATE SET value = excluded.value, ver = excluded.ver RETURNING collection, id, ver
         ), logged AS (${insertRecordsSql(source.params.length + 1)})
         SELECT collection, id, ver FROM written`,
        [...source.params, ...recordColumns(records)],
      ) : undefined;
      // The commit is queued behind the write, so it leaves the moment the write's answer arrives rather than a turn
      // of a busy event loop later, with the lock held. After a failed write PostgreSQL refuses the notify, the
      // commit after it is never run, and the ROLLBACK below ends the transaction. The channel is a checked schema
      // name and the payload this instance's UUID.
      const committing = client.query(writing ? `SELECT pg_notify('${this.channel}', '${this.instance}'); COMMIT` : 'COMMIT');
      committing.catch(() => undefined);
      const written = writing ? (await writing).rows : [];
      await committing;
      const timing = { waitSeconds: (locked - started) / 1000, heldSeconds: (performance.now() - locked) / 1000, changes: batch.filter((j) => !('error' in outcomes.get(j)!)).length };
      for (const w of written) {
        this.versions.set(versionKey(w), Number(w.ver));
        if (Number(w.ver) > Number(this.seenVer)) this.seenVer = w.ver;
      }
      for (const [owner, r] of changed) for (const row of r) owner.cache.set(row.collection, row.id, row.value);
      this.lastWriteOk = true;
      for (const fn of this.writeListeners) fn(timing);
      for (const job of batch) {
        const o = outcomes.get(job)!;
        if ('error' in o) job.reject(o.error);
        else job.resolve(o);
      }
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      this.lastWriteOk = false;
      // Memory goes back to what the database holds: nothing in this batch happened.
      for (const [owner, m] of marks) restoreRows(owner.state, owner.cache, changed.find(([o]) => o === owner)?.[1] ?? changedRows(owner.state, owner.cache, m));
      for (const job of batch) job.reject(err);
    } finally {
      client.release();
    }
  }

  /** True when the database answers and the last transaction committed. */
  async writable(): Promise<boolean> {
    // As on lowdb, a failed write leaves the store unhealthy until a later write works.
    if (!this.lastWriteOk) return false;
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Runs `fn` holding a lock every instance on this database respects (a
   * session advisory lock on its own connection), after bringing memory up to
   * date, so what `fn` reads is what the last holder wrote.
   */
  exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.leadership.holding(`record:${key}`, async () => {
      await this.sync();
      return fn();
    });
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.target.url, options: `-c search_path=${this.target.schema}` });
    client.on('error', () => { this.listener = undefined; });
    await client.connect();
    client.on('notification', (n) => { if (n.payload !== this.instance) void this.sync().catch(() => undefined); });
    await client.query(`LISTEN ${this.channel}`);
    this.listener = client;
  }

  private closed = false;

  async close(): Promise<void> {
    await this.flushed();
    this.closed = true;
    await this.chain.catch(() => undefined);
    await this.currentSync.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
    await this.leadership.close();
    await this.pool.end();
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

/** Above this many rows a write sends them as three arrays: a VALUES list would pass PostgreSQL's 65,535 parameters. */
export const VALUES_LIMIT = 10_000;

/**
 * The rows to write, as SQL naming parameters from $1, and those parameters.
 * A VALUES list sends each value as a parameter of its own, so neither side
 * escapes or parses array text: the write, made holding the lock, takes
 * about a third less time than with arrays. Very large writes use arrays.
 */
export function rowSource(rows: readonly Row[]): { sql: string; params: unknown[] } {
  if (rows.length > VALUES_LIMIT || !rows.length) {
    return { sql: 'unnest($1::text[], $2::text[], $3::text[])', params: [rows.map((r) => r.collection), rows.map((r) => r.id), rows.map((r) => r.value)] };
  }
  const list = rows.map((_, n) => `($${3 * n + 1}::text, $${3 * n + 2}::text, $${3 * n + 3}::text)`).join(', ');
  return { sql: `(VALUES ${list})`, params: rows.flatMap((r) => [r.collection, r.id, r.value]) };
}

/** A row's key in the version map. */
function versionKey(r: { collection: string; id: string }): string {
  return `${r.collection}\u0000${r.id}`;
}
