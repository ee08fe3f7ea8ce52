import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import type { PgTarget } from '../../data/pg/connect.ts';

/** The test database: DATABASE_URL, or the local server CI has. */
export const PG_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

let available: Promise<boolean> | undefined;

/** True when a PostgreSQL server answers at PG_URL (asked once per file). */
export function pgAvailable(): Promise<boolean> {
  available ??= (async () => {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return available;
}

/**
 * `describe` for tests that need PostgreSQL. With no server they are skipped
 * with a loud notice, unless BLUEDESK_REQUIRE_PG is set (as `.ci/run` sets
 * it), when the file fails instead: CI must never pass by skipping them.
 */
export async function describePg(name: string, body: () => void): Promise<void> {
  const available = await pgAvailable();
  const where = PG_URL.replace(/\/\/[^@]*@/, '//');
  if (!available && process.env.BLUEDESK_REQUIRE_PG) throw new Error(`PostgreSQL is required (BLUEDESK_REQUIRE_PG) but nothing answers at ${where}`);
  // Loud on purpose: a skipped PostgreSQL test must never pass unnoticed, so the reason is printed and is in the suite's name.
  if (!available) process.stderr.write(`\n!!! SKIPPING "${name}": no PostgreSQL answers at ${where}. Start one, or set DATABASE_URL.\n\n`);
  describe.skipIf(!available)(available ? name : `${name} (SKIPPED: no PostgreSQL at ${where})`, body);
}
/** A schema of its own for one test file (or one test), dropped with everything in it by `drop`. */
export async function freshSchema(label: string): Promise<PgTarget & { drop(): Promise<void> }> {
  const schema = `bdt_${label.replace(/[^a-z0-9]/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  return {
    url: PG_URL,
    schema,
    async drop() {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
