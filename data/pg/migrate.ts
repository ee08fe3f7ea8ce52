import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { lockKey } from './connect.ts';

/** The numbered migrations, beside this file (copied next to the build's output too). */
const DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** One migration file: `NNN_name.sql`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations shipped with this version, in order. */
export async function migrations(): Promise<Migration[]> {
  const files = (await readdir(DIR)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(files.map(async (f) => ({ version: Number(f.slice(0, 3)), name: f.slice(4, -4), sql: await readFile(join(DIR, f), 'utf8') })));
}

/**
 * Brings the schema up to this version: each migration not yet applied runs
 * in its own transaction with its row in `bd_migrations`, so it is applied
 * wholly or not at all. Instances starting together wait on one advisory
 * lock, so only one migrates. A database from a newer Bluedesk is refused:
 * running older code against it could misread it.
 */
export async function migrate(pool: pg.Pool, schema: string): Promise<{ applied: string[]; version: number }> {
  const client = await pool.connect();
  try {
    // Created only when missing: a role that owns an existing schema need not be allowed to create schemas.
    if (!(await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    const key = await lockKey(client, schema, 'migrate');
    await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS bd_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      const done = new Set((await client.query<{ version: number }>('SELECT version FROM bd_migrations')).rows.map((r) => r.version));
      const all = await migrations();
      const newest = all.at(-1)?.version ?? 0;
      const ahead = [...done].filter((v) => v > newest);
      if (ahead.length) throw new Error(`the database has migration ${Math.max(...ahead)}, newer than this Bluedesk knows (${newest}); run the newer version, or restore a matching backup`);
      const applied: string[] = [];
      for (const m of all.filter((x) => !done.has(x.version))) {
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO bd_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${m.version} (${m.name}) failed: ${(err as Error).message}`);
        }
        applied.push(`${String(m.version).padStart(3, '0')}_${m.name}`);
      }
      return { applied, version: newest };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
    }
  } finally {
    client.release();
  }
}
