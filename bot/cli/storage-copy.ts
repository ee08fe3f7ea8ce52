import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { lockDataDir, StartupError } from '../../data/data-dir.ts';
import { PgArchive } from '../../data/pg/pg-archive.ts';
import { PgDatabase } from '../../data/pg/pg-database.ts';
import { ARCHIVED } from '../archives.ts';
import { insertRecords, PgDecisionLog } from '../../data/pg/pg-decision-log.ts';
import { PgStateStore } from '../../data/pg/pg-state-store.ts';
import { dictionaries } from '../../data/state-store.ts';
import { verifyLines, verifyLog } from '../../data/verify-log.ts';
import { loadEnvFile } from '../config/env-file.ts';
import { readStorageSettings } from '../config/settings.ts';
import { systemClock } from '../domain/clock.ts';
import type { DecisionRecord } from '../domain/decision-log.ts';
import { emptyState, SIDE_FILES } from '../state.ts';

/** Log records per INSERT. */
const BATCH = 2_000;

/**
 * `npm run storage:copy`: moves a force's lowdb data (DATA_DIR: state, its
 * side files, the archive and the decision log) into an empty PostgreSQL
 * schema (DATABASE_URL), then verifies the chain on the database side and
 * checks it ends at the same head. Stop Bluedesk first: the copy takes
 * DATA_DIR's lock, and leaves DATA_DIR as it was.
 */
async function readJson(path: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new StartupError(`${path} cannot be read: ${(err as Error).message}`);
  }
}

loadEnvFile();
const settings = readStorageSettings();
if (!settings.database) {
  process.stderr.write('Set DATABASE_URL (and DATABASE_SCHEMA if not public) to the database to copy into.\n');
  process.exit(2);
}
const out = (line: string) => process.stdout.write(`${line}\n`);
const unlock = await lockDataDir(settings.dataDir).catch((err: Error) => { process.stderr.write(`${err.message}\n`); process.exit(78); });
let db: PgDatabase | undefined;
try {
  const logPath = join(settings.dataDir, 'decisions.jsonl');
  const source = await verifyLog(logPath);
  if (!source.ok) throw new StartupError(`The decision log in DATA_DIR is broken at line ${source.line}: ${source.problem}. Nothing was copied; run npm run verify-log and restore it first.`);
  out(`source: ${source.records} decision record(s), head seq ${source.head.seq} ${source.head.hash}`);
  db = await PgDatabase.open(settings.database, { listen: false });
  const { rows: [counts] } = await db.pool.query<{ s: string; d: string }>('SELECT (SELECT count(*) FROM bd_state) AS s, (SELECT count(*) FROM bd_decisions) AS d');
  if (Number(counts!.s) || Number(counts!.d)) throw new StartupError(`${db.describe()} already holds data (${counts!.s} state rows, ${counts!.d} records). storage:copy only fills an empty schema; choose another DATABASE_SCHEMA or clear this one.`);

  // The log first, verbatim: each line is the canonical JSON its hash was taken over.
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    let batch: Array<{ record: DecisionRecord; line: string }> = [];
    const flush = async () => { await insertRecords(client, batch.map((b) => b.record), batch.map((b) => b.line)); batch = []; };
    for await (const line of createInterface({ input: createReadStream(logPath), crlfDelay: Infinity })) {
      if (!line) continue;
      batch.push({ record: JSON.parse(line) as DecisionRecord, line });
      if (batch.length >= BATCH) await flush();
    }
    if (batch.length) await flush();
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }

  // Then state, through the same store the bot uses: each collection set whole, so every entry is written.
  const state = await readJson(join(settings.dataDir, 'state.json'));
  const sideKeys = Object.values(SIDE_FILES).map((f) => f.key as string);
  const main = await PgStateStore.open(db, emptyState, sideKeys);
  await main.update((s) => {
    const target = s as unknown as Record<string, unknown>;
    for (const key of Object.keys(main.read()).filter((k) => k in state)) target[key] = structuredClone(state[key]);
    dictionaries(target);
  });
  // Finished records stay archived: into the database's archive, unless hot state has the record (it was reopened).
  const archived: string[] = [];
  for (const [kind, { collection, file }] of Object.entries(ARCHIVED)) {
    const records = new Map<string, { id: string }>();
    const text = await readFile(join(settings.dataDir, 'archive', file), 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      try { const r = JSON.parse(line) as { id?: string }; if (r.id) records.set(r.id, r as { id: string }); } catch { /* a torn last line was never acknowledged */ }
    }
    const hot = (main.read() as unknown as Record<string, Record<string, unknown>>)[collection]!;
    await (await PgArchive.open(db, kind)).put([...records.values()].filter((r) => !Object.hasOwn(hot, r.id)));
    archived.push(`${records.size} ${kind}(s)`);
  }
  for (const { file, key } of Object.values(SIDE_FILES)) {
    const side = await readJson(join(settings.dataDir, file));
    const slice = { ...(state[key] as object | undefined), ...(side[key] as object | undefined) };
    const store = await PgStateStore.open(db, () => ({ [key]: Object.create(null) as Record<string, unknown> }));
    await store.update((s) => { s[key] = Object.assign(Object.create(null) as Record<string, unknown>, slice); });
  }
  out(`state: ${Object.keys(main.read().escalations).length} escalation(s) in hot state; archived: ${archived.join(', ')}; walSeq ${main.read().walSeq}`);

  const copied = await verifyLines(new PgDecisionLog(db, systemClock, main).lines());
  if (!copied.ok) throw new StartupError(`The copied chain does not verify at record ${copied.line}: ${copied.problem}`);
  if (copied.head.hash !== source.head.hash || copied.records !== source.records) throw new StartupError(`The copied chain ends at seq ${copied.head.seq} ${copied.head.hash}, not the source's ${source.head.seq} ${source.head.hash}`);
  out(`copied into ${db.describe()}: ${copied.records} record(s) verified, head seq ${copied.head.seq} ${copied.head.hash} (the same as DATA_DIR's)`);
  out('Set DATABASE_URL for Bluedesk and start it; keep DATA_DIR as a backup until you are satisfied.');
} catch (err) {
  process.stderr.write(`storage:copy failed: ${(err as Error).message}\n`);
  process.exitCode = err instanceof StartupError ? 78 : 1;
} finally {
  await db?.close();
  await unlock();
}
