import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { ChainHead, DecisionRecord } from '../../bot/domain/decision-log.ts';
import { GENESIS } from '../record-hash.ts';
import { StartupError } from '../data-dir.ts';
import { connectPool, databaseProblem, describeTarget, lockKey, untilReachable, type PgTarget } from './connect.ts';
import { Leadership } from './leadership.ts';
import { migrate } from './migrate.ts';
import { RowVersions } from './row-versions.ts';
import { commitSql, openSql, writeSql, type WriteTiming } from './write-sql.ts';
import { applyRows, changedRows, restoreRows, runChange, type Marks, type Row, type RowCache } from '../row-tracking.ts';

/** What a state store registered with the database offers it: its state object and which rows are its own. */
export interface RowOwner {
  readonly state: object;
  readonly cache: RowCache;
  owns(collection: string, id: string): boolean;
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
  private readonly versions = new RowVersions();
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

  /**
   * Connects, brings the schema up to date, and starts listening for other
   * instances' changes. With `wait`, a database that is down or starting is
   * waited for (see untilReachable); a wrong setting fails at once.
   */
  static async open(target: PgTarget, opts: { poolSize?: number; listen?: boolean; wait?: Parameters<typeof untilReachable>[2] } = {}): Promise<PgDatabase> {
    const pool = connectPool(target, opts.poolSize ?? 10);
    try {
      await untilReachable(() => migrate(pool, target.schema), target, opts.wait ?? { seconds: 0 });
      const client = await pool.connect();
      const writeKey = await lockKey(client, target.schema, 'write').finally(() => client.release());
      // Written into SQL text (see commitQueued): it must be a plain integer.
      if (!/^-?\d+$/.test(writeKey)) throw new Error(`unexpected advisory lock key ${writeKey}`);
      const db = new PgDatabase(pool, target, writeKey, new Leadership(target));
      if (opts.listen !== false) await db.listen();
      return db;
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err instanceof StartupError ? err : databaseProblem(err, target);
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

  /**
   * Registers a store and loads its rows. Stores load one after another, so
   * what another instance commits in between is in a later store's read but
   * not an earlier one's: each load holds only its own rows, and the sync
   * watermark stays at the oldest read (see RowVersions.loaded), so the next
   * sync brings every store up to date before anything is served.
   */
  async register(owner: RowOwner): Promise<void> {
    this.owners.push(owner);
    await this.serial(async () => {
      // The highest version in the same snapshot as the rows (removals included), so nothing past it is taken as seen.
      const { rows } = await this.pool.query<Row & { ver: string; top: string }>(
        'SELECT s.collection, s.id, s.value, s.ver, t.top FROM (SELECT coalesce(max(ver), 0)::text AS top FROM bd_state) t LEFT JOIN bd_state s ON s.value IS NOT NULL');
      const own = rows.filter((r) => r.collection !== null && owner.owns(r.collection, r.id));
      applyRows(owner.state, owner.cache, own);
      this.versions.loaded(own, rows[0]?.top ?? '0');
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
      const { rows } = await this.pool.query<Row & { ver: string }>('SELECT collection, id, value, ver FROM bd_state WHERE ver > $1 ORDER BY ver', [this.versions.seen]);
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
    const fresh = this.versions.fresher(rows);
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
      // One round trip: begin, take the write lock, read what others committed, and the chain's head.
      const needHead = batch.some((j) => j.record);
      const started = performance.now();
      const opened = (await client.query(openSql(this.writeKey, this.versions.seen, needHead))) as unknown as pg.QueryResult[];
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
      const writing = rows.length || records.length ? client.query<Row & { ver: string }>(writeSql(rows, records)) : undefined;
      // The commit is queued behind the write, so it leaves the moment the write's answer arrives rather than a turn
      // of a busy event loop later, with the lock held. After a failed write PostgreSQL refuses the notify, the
      // commit after it is never run, and the ROLLBACK below ends the transaction.
      const committing = client.query(commitSql(writing ? { channel: this.channel, instance: this.instance } : undefined));
      committing.catch(() => undefined);
      const written = writing ? (await writing).rows : [];
      await committing;
      const timing = { waitSeconds: (locked - started) / 1000, heldSeconds: (performance.now() - locked) / 1000, changes: batch.filter((j) => !('error' in outcomes.get(j)!)).length };
      this.versions.hold(written);
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
