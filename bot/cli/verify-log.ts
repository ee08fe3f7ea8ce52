import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PgDatabase } from '../../data/pg/pg-database.ts';
import { PgDecisionLog } from '../../data/pg/pg-decision-log.ts';
import { PgStateStore } from '../../data/pg/pg-state-store.ts';
import { verifyLines, verifyLog, type VerifyResult } from '../../data/verify-log.ts';
import { loadEnvFile } from '../config/env-file.ts';
import { readStorageSettings } from '../config/settings.ts';
import { systemClock } from '../domain/clock.ts';

/**
 * `npm run verify-log [path] [-- --against <seq>:<hash>]`: checks the
 * decision log (the file at `path`; else PostgreSQL when DATABASE_URL is
 * set; else DATA_DIR's decisions.jsonl):
 * its hash chain, reports redactions and disposals, and proves a
 * published chain head is still in the log.
 * Exits 0 when intact, 1 naming the first broken record, 2 when unreadable.
 */
const { values, positionals } = parseArgs({ allowPositionals: true, options: { against: { type: 'string' } } });
loadEnvFile();
const { database } = readStorageSettings();
const fromDatabase = !positionals[0] && database;
const path = fromDatabase ? `PostgreSQL ${database.schema}` : resolve(positionals[0] ?? join(process.env.DATA_DIR || './var', 'decisions.jsonl'));

/** Verifies the chain as PostgreSQL holds it, read a page at a time. */
async function verifyDatabase(target: NonNullable<typeof database>, opts: Parameters<typeof verifyLines>[1]): Promise<VerifyResult> {
  const db = await PgDatabase.open(target, { listen: false });
  try {
    const log = new PgDecisionLog(db, systemClock, await PgStateStore.open(db, () => ({ walSeq: 0 })));
    return await verifyLines(log.lines(), opts);
  } finally {
    await db.close();
  }
}
const head = values.against?.match(/^(\d+):([0-9a-f]{64})$/);
if (values.against && !head) {
  process.stderr.write('--against takes the published head as <seq>:<sha256 hex>, as the records channel and syslog show it\n');
  process.exit(2);
}
try {
  const opts = head ? { against: { seq: Number(head[1]), hash: head[2]! } } : {};
  const result = fromDatabase ? await verifyDatabase(fromDatabase, opts) : await verifyLog(path, opts);
  if (result.ok) {
    const lines = [`Decision log intact: ${result.records} record(s) in ${path}`, `Head: seq ${result.head.seq}, SHA-256 ${result.head.hash}`];
    if (result.against) lines.push(`Contains the published head seq ${result.against.seq} (${result.against.hash}), unaltered.`);
    lines.push(`Redacted records: ${result.redacted}${result.redacted ? ' (each listed by a disposal record, so redacted on purpose, not tampered with)' : ''}`);
    for (const d of result.disposals) lines.push(`  Disposal record ${d.seq} at ${d.at} under ${d.rules.join(', ') || 'no class'}: ${d.redacted} record(s) redacted${d.pending ? `, ${d.pending} still to redact (Bluedesk finishes them at start-up)` : ''}`);
    process.stdout.write(lines.join('\n') + '\n');
  } else {
    process.stdout.write(`Decision log BROKEN at line ${result.line}${result.seq !== undefined ? ` (seq ${result.seq})` : ''}: ${result.problem}\n` +
      `${result.records} record(s) before it are intact.\n`);
    process.exitCode = 1;
  }
} catch (err) {
  process.stderr.write(`Cannot read decision log ${path}: ${(err as Error).message}\n`);
  process.exitCode = 2;
}
