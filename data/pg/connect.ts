import pg from 'pg';
import { ServiceUnavailable, StartupError } from '../data-dir.ts';

/** Where the PostgreSQL backend's tables are: the database and the schema within it. */
export interface PgTarget {
  /** postgres://user:password@host:port/database (DATABASE_URL). */
  url: string;
  /** The schema Bluedesk's tables live in (DATABASE_SCHEMA, default `public`); tests use one per file. */
  schema: string;
}

/** A name PostgreSQL takes unquoted: checked, because it is written into SQL. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A connection pool whose sessions see only Bluedesk's schema. The password
 * is never logged: connection errors are reported by host and database only.
 */
export function connectPool(target: PgTarget, max: number): pg.Pool {
  if (!SCHEMA_NAME.test(target.schema)) throw new StartupError(`DATABASE_SCHEMA "${target.schema}" is not a plain lower-case PostgreSQL name (letters, digits, underscores).`);
  const pool = new pg.Pool({ connectionString: target.url, max, options: `-c search_path=${target.schema}`, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection (a database restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/** Where a DATABASE_URL points, without its password: for messages. */
export function describeTarget(target: PgTarget): string {
  try {
    const u = new URL(target.url);
    return `${u.hostname}:${u.port || 5432}${u.pathname} (schema ${target.schema})`;
  } catch {
    return `(unparseable DATABASE_URL) schema ${target.schema}`;
  }
}

/** A startup error that says which database could not be reached and what to check, without the password. */
export function databaseProblem(err: unknown, target: PgTarget): StartupError {
  return new StartupError(
    `PostgreSQL at ${describeTarget(target)} cannot be used: ${(err as Error).message}.\n` +
    'Check DATABASE_URL (host, port, database, user) and that the server is running and takes connections from this machine.',
  );
}

/** Network failures, and PostgreSQL refusing connections while it starts or is full: the database may be back in a moment. */
const PASSING_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'EPIPE', '57P03', '53300', '08001', '08006']);

/** Whether a failure to connect may pass by itself (the server down or starting), as opposed to a wrong setting (password, database name, rights). */
export function passingConnectFailure(err: unknown): boolean {
  const e = (err ?? {}) as { code?: unknown; message?: unknown };
  return PASSING_CODES.has(String(e.code ?? '')) || /timeout|terminated|Connection terminated|connect ECONNREFUSED/i.test(String(e.message ?? ''));
}

/**
 * Runs `connect` until it works, while the failure is one that may pass (the
 * database restarting), for at most `waitSeconds`, logging each wait; a wrong
 * setting fails at once. Backoff: 1 s doubling to 15 s.
 */
export async function untilReachable<T>(connect: () => Promise<T>, target: PgTarget, wait: { seconds: number; log?: (msg: string, fields: Record<string, unknown>) => void }): Promise<T> {
  const until = Date.now() + wait.seconds * 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect();
    } catch (err) {
      if (!passingConnectFailure(err)) throw err;
      const retryMs = Math.min(15_000, 1000 * 2 ** (attempt - 1));
      if (Date.now() + retryMs > until) {
        throw new ServiceUnavailable(`PostgreSQL at ${describeTarget(target)} did not answer within ${wait.seconds} s (DATABASE_WAIT_SECONDS): ${(err as Error).message}. Bluedesk exits 69 so its service manager starts it again.`);
      }
      wait.log?.('PostgreSQL is not answering yet: waiting before trying again', { database: describeTarget(target), attempt, retryInSeconds: retryMs / 1000, error: (err as Error).message });
      await new Promise((r) => setTimeout(r, retryMs));
    }
  }
}

/** A 63-bit advisory-lock key for a name within a schema, so tests in separate schemas never wait on each other. */
export function lockKey(client: pg.ClientBase, schema: string, name: string): Promise<string> {
  return client.query<{ k: string }>('SELECT hashtextextended($1, 0)::text AS k', [`bluedesk:${schema}:${name}`]).then((r) => r.rows[0]!.k);
}
