import pg from 'pg';
import { connectPool, type PgTarget } from './connect.ts';

/** How often an instance that is not the leader tries to become it. */
const TRY_EVERY_MS = 2_000;

/**
 * Which instance runs the background work (timers, the outbox, scheduled
 * records jobs): the one holding a session advisory lock on its own
 * connection. If that process dies, PostgreSQL ends its session and frees
 * the lock, and another instance takes over within a couple of seconds.
 * Also lends connections for per-record locks, from a pool of their own so
 * a lock holder can never starve the transactions it is waiting for.
 */
export class Leadership {
  private client: pg.Client | undefined;
  private leading = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly listeners: Array<(leading: boolean) => void> = [];
  private readonly locks: pg.Pool;

  constructor(private readonly target: PgTarget) {
    this.locks = connectPool(target, 20);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Called when this instance becomes, or stops being, the leader. */
  onChange(fn: (leading: boolean) => void): void {
    this.listeners.push(fn);
  }

  /** Starts trying to lead; resolves after the first try. */
  async start(): Promise<void> {
    await this.attempt();
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.attempt(), TRY_EVERY_MS);
    this.timer.unref();
  }

  private set(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    for (const fn of this.listeners) fn(leading);
  }

  private async attempt(): Promise<void> {
    try {
      if (!this.client) {
        const client = new pg.Client({ connectionString: this.target.url, options: `-c search_path=${this.target.schema}` });
        client.on('error', () => { this.client = undefined; this.set(false); });
        await client.connect();
        this.client = client;
      }
      // The leader keeps checking its connection, so a lost session (and with it the lock) is noticed.
      if (this.leading) await this.client.query('SELECT 1');
      else this.set((await this.client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [`bluedesk:${this.target.schema}:leader`])).rows[0]!.ok);
    } catch {
      this.client?.end().catch(() => undefined);
      this.client = undefined;
      this.set(false);
    }
    this.schedule();
  }

  /** Runs `fn` holding a session advisory lock on `key` that every instance on the schema respects, on a connection of its own. */
  async holding<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const client = await this.locks.connect();
    const name = `bluedesk:${this.target.schema}:${key}`;
    try {
      await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [name]);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name]);
      }
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.set(false);
    await this.client?.end().catch(() => undefined);
    await this.locks.end().catch(() => undefined);
  }
}
