import type { DecisionRecord } from '../../bot/domain/decision-log.ts';
import type { Row } from '../row-tracking.ts';
import { insertRecordsSql, recordColumns } from './pg-decision-log.ts';

/**
 * The statements of one write transaction (see PgDatabase.commitQueued),
 * each made while holding the schema-wide write lock, so each costs a round
 * trip every instance waits for. Values always travel as parameters; only
 * numbers this code made (the lock key, a version) and checked names are
 * written into the text.
 */

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

/** Begin, take the write lock, read what others committed since `seenVer`, and (with `head`) the chain's head: one round trip. */
export function openSql(writeKey: string, seenVer: string, head: boolean): string {
  return `BEGIN; SELECT pg_advisory_xact_lock(${writeKey}::bigint); SELECT collection, id, value, ver FROM bd_state WHERE ver > ${Number(seenVer)} ORDER BY ver;` +
    (head ? ' SELECT seq, hash, at FROM bd_decisions ORDER BY seq DESC LIMIT 1' : '');
}

/** The rows and the records in one statement, answering each row's new version. */
export function writeSql(rows: readonly Row[], records: readonly DecisionRecord[]): { text: string; values: unknown[] } {
  const source = rowSource(rows);
  return {
    text: `WITH written AS (
       INSERT INTO bd_state (collection, id, value, ver)
       SELECT c, i, v, nextval('bd_state_ver') FROM ${source.sql} AS u(c, i, v)
       ON CONFLICT (collection, id) DO UPDATE SET value = excluded.value, ver = excluded.ver RETURNING collection, id, ver
     ), logged AS (${insertRecordsSql(source.params.length + 1)})
     SELECT collection, id, ver FROM written`,
    values: [...source.params, ...recordColumns(records)],
  };
}

/** Commit, first telling other instances (`notify`: the schema's channel, a checked name, and this instance's UUID) that there is news. */
export function commitSql(notify?: { channel: string; instance: string }): string {
  return notify ? `SELECT pg_notify('${notify.channel}', '${notify.instance}'); COMMIT` : 'COMMIT';
}

/** Above this many rows a write sends them as three arrays: a VALUES list would pass PostgreSQL's 65,535 parameters. */
export const VALUES_LIMIT = 10_000;

/**
 * The rows to write, as SQL naming parameters from $1, and those parameters.
 * A VALUES list sends each value as a parameter of its own, so neither side
 * escapes or parses array text: the write, made holding the lock, takes
 * about a third less time than with arrays. Very large writes use arrays.
 */
function rowSource(rows: readonly Row[]): { sql: string; params: unknown[] } {
  if (rows.length > VALUES_LIMIT || !rows.length) {
    return { sql: 'unnest($1::text[], $2::text[], $3::text[])', params: [rows.map((r) => r.collection), rows.map((r) => r.id), rows.map((r) => r.value)] };
  }
  const list = rows.map((_, n) => `($${3 * n + 1}::text, $${3 * n + 2}::text, $${3 * n + 3}::text)`).join(', ');
  return { sql: `(VALUES ${list})`, params: rows.flatMap((r) => [r.collection, r.id, r.value]) };
}
