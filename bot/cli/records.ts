import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DataDirBusy, lockDataDir } from '../../data/data-dir.ts';
import { JsonlDecisionLog } from '../../data/jsonl-decision-log.ts';
import { JournaledStateStore } from '../../data/journal-store.ts';
import { openFileArchives, openPgArchives, type Archives } from '../archives.ts';
import type { RecordsRequest, RecordsResult } from '../app/records/records-ops.ts';
import { readOwnFile, REQUESTS_DIR, writeNewFile, type InboxRequest } from '../app/records/requests-inbox.ts';
import { EXAMPLE_CONFIG, loadForceConfig } from '../config/load-config.ts';
import { loadEnvFile } from '../config/env-file.ts';
import { isCalendarDate } from '../../dialogs/dates.ts';
import { Checkpoint, CheckpointedLog } from '../domain/checkpoint.ts';
import { systemClock } from '../domain/clock.ts';
import { rolesNow } from '../domain/leaver-types.ts';
import { Directory } from '../domain/people.ts';
import { jsonLogger } from '../log.ts';
import { emptyState, SIDE_FILES, type BluedeskState } from '../state.ts';
import { PgDatabase } from '../../data/pg/pg-database.ts';
import { PgDecisionLog } from '../../data/pg/pg-decision-log.ts';
import { PgStateStore } from '../../data/pg/pg-state-store.ts';
import type { StateStore } from '../../data/state-store.ts';
import { readStorageSettings, type Settings } from '../config/settings.ts';
import type { DecisionLog } from '../domain/decision-log.ts';
import { recordsDomain } from '../wire-records.ts';

/**
 * The records command line: `npm run export | report | sar | retention | log-head`,
 * and `npm run dead-letters` (list, or `--replay <OUT-id …|all>`).
 * When a Bluedesk server holds DATA_DIR it asks the server (the log has one
 * writer); otherwise it opens the data itself, under the same lock. With
 * DATABASE_URL it works on PostgreSQL directly, beside any running instances.
 * Exit codes: 0 done, 1 refused or failed, 2 cannot run.
 */
const OPS = ['export', 'report', 'sar', 'retention', 'log-head', 'dead-letters'] as const;
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { replay: { type: 'string', multiple: true }, as: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, subject: { type: 'string' }, format: { type: 'string' }, person: { type: 'string' }, out: { type: 'string' } },
});
loadEnvFile();
const op = positionals[0] as RecordsRequest['op'];
const dataDir = resolve(process.env.DATA_DIR || './var');
const via = { platform: 'cli' as const, osUser: userInfo().username, host: hostname(), uid: userInfo().uid };

function day(value: string | undefined, end: boolean): string | undefined {
  if (!value) return undefined;
  if (!isCalendarDate(value)) throw new Error(`"${value}" is not a date: use YYYY-MM-DD`);
  return new Date(Date.parse(`${value}T00:00:00Z`) + (end ? 86_400_000 : 0)).toISOString();
}

async function viaServer(request: RecordsRequest): Promise<RecordsResult> {
  const dir = join(dataDir, REQUESTS_DIR);
  const id = randomUUID();
  const body: InboxRequest = { request, via };
  await writeNewFile(join(dir, `${id}.tmp`), JSON.stringify(body));
  await rename(join(dir, `${id}.tmp`), join(dir, `${id}.request.json`));
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    const text = await readOwnFile(join(dir, `${id}.result.json`), 64 * 1024 * 1024).then((f) => f.text, () => undefined);
    if (text) {
      await rm(join(dir, `${id}.result.json`), { force: true });
      return JSON.parse(text) as RecordsResult;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await rm(join(dir, `${id}.request.json`), { force: true });
  return { ok: false, message: 'The running Bluedesk did not answer within 2 minutes. Check its logs.' };
}

/** The data the command line works on directly: its state, its log, and the archive where there is one. */
interface Opened {
  store: StateStore<BluedeskState>;
  raw: DecisionLog;
  archives: Archives;
  close(): Promise<void>;
}

/** DATA_DIR's files, under its lock (no server holds it). */
async function openDataDir(unlock: () => Promise<void>): Promise<Opened> {
  const store = await JournaledStateStore.open(join(dataDir, 'state.json'), emptyState);
  const raw = await JsonlDecisionLog.open(join(dataDir, 'decisions.jsonl'), systemClock);
  const archives = await openFileArchives(dataDir);
  return { store, raw, archives, close: async () => { await store.close(); await raw.close(); await unlock(); } };
}

/** PostgreSQL, shared with any running instances: every write is its own transaction under the database's write lock, so no server needs asking. */
async function openDatabase(target: NonNullable<Settings['database']>): Promise<Opened> {
  const db = await PgDatabase.open(target, { listen: false });
  const store = await PgStateStore.open<BluedeskState>(db, emptyState, Object.values(SIDE_FILES).map((f) => f.key));
  return { store, raw: new PgDecisionLog(db, systemClock, store), archives: await openPgArchives(db), close: () => db.close() };
}

async function direct(request: RecordsRequest, opened: Opened): Promise<RecordsResult> {
  const config = loadForceConfig(resolve(process.env.BOT_CONFIG || EXAMPLE_CONFIG));
  const { store, raw, archives } = opened;
  try {
    // Changes a crash left out of state are for the server to recover: it alone replays the log with their outbox items.
    if ((await raw.recordsAfter(store.read().walSeq)).some((r) => r.wal)) {
      return { ok: false, message: 'The state is behind the decision log (the last run stopped without saving). Start Bluedesk once so it recovers, then run this again.' };
    }
    const directory = new Directory(config.people, config.platforms.teams.tenantIds, config.platforms.slack.teamIds);
    // Suspended and removed roles apply here too: a suspended person cannot export.
    directory.applyOverlay((p) => rolesNow(p.roles, Object.values(store.read().roleChanges).filter((r) => r.personId === p.id)));
    const records = recordsDomain({ config, store, log: new CheckpointedLog(raw, new Checkpoint()), clock: systemClock, directory, logger: jsonLogger({ quiet: true }), archives });
    return await records.ops.execute(request, via);
  } finally {
    await opened.close();
  }
}

async function main(): Promise<number> {
  if (!OPS.includes(op)) {
    process.stderr.write(`Usage: npm run ${OPS.join('|')} -- --as <your directory id> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--subject <id|type>] [--format csv|jsonl|html] [--person <id|@handle>] [--replay <OUT-id|all>] [--out <file>]\n`);
    return 2;
  }
  const format = values.format as RecordsRequest['format'] | undefined;
  if (format && !['csv', 'jsonl', 'html'].includes(format)) throw new Error('--format is csv, jsonl or html');
  const request: RecordsRequest = {
    op, ...(values.as ? { as: values.as } : {}), ...(values.replay?.length ? { replay: values.replay.includes('all') ? 'all' as const : values.replay } : {}), ...(values.subject ? { subject: values.subject } : {}), ...(format ? { format } : {}), ...(values.person ? { person: values.person } : {}),
    ...(day(values.from, false) ? { from: day(values.from, false)! } : {}), ...(day(values.to, true) ? { to: day(values.to, true)! } : {}),
  };
  let result: RecordsResult;
  const { database } = readStorageSettings();
  if (database) result = await direct(request, await openDatabase(database));
  else {
    try {
      const unlock = await lockDataDir(dataDir);
      result = await direct(request, await openDataDir(unlock));
    } catch (err) {
      if (!(err instanceof DataDirBusy)) throw err;
      result = await viaServer(request);
    }
  }
  if (result.ok && result.output !== undefined) {
    if (values.out) await writeFile(values.out, result.output, { mode: 0o600 });
    else process.stdout.write(result.output);
  }
  process.stderr.write(`${result.message}${result.ok && values.out ? `\nWritten to ${values.out}` : ''}\n`);
  return result.ok ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 2;
});
