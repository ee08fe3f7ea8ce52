import pg from 'pg';
import { StartupError } from '../data-dir.ts';

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

/** A 63-bit advisory-lock key for a name within a schema, so tests in separate schemas never wait on each other. */
export function lockKey(client: pg.ClientBase, schema: string, name: string): Promise<string> {
  return client.query<{ k: string }>('SELECT hashtextextended($1, 0)::text AS k', [`bluedesk:${schema}:${name}`]).then((r) => r.rows[0]!.k);
}
