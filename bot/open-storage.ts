import { join } from 'node:path';
import { openFileArchives, openPgArchives, type Archives } from './archives.ts';
import { fsProblem, lockDataDir, ownerOnly, StartupError } from '../data/data-dir.ts';
import { JsonlDecisionLog } from '../data/jsonl-decision-log.ts';
import type { Leadership } from '../data/pg/leadership.ts';
import { PgDatabase } from '../data/pg/pg-database.ts';
import type { WriteTiming } from '../data/pg/write-sql.ts';
import { PgDecisionLog } from '../data/pg/pg-decision-log.ts';
import { PgStateStore } from '../data/pg/pg-state-store.ts';
import { JournaledStateStore } from '../data/journal-store.ts';
import { openSideStores } from '../data/side-stores.ts';
import type { StateStore } from '../data/state-store.ts';
import type { DialogState } from '../dialogs/types.ts';
import type { Settings } from './config/settings.ts';
import type { Clock } from './domain/clock.ts';
import type { DecisionLog } from './domain/decision-log.ts';
import type { Logger } from './log.ts';
import { emptyState, SIDE_FILES, type BluedeskState } from './state.ts';

/** Everything the bot keeps, open for this instance: under DATA_DIR (lowdb, locked), or in PostgreSQL (shared). */
export interface OpenStorage {
  /** Releases the storage: DATA_DIR's lock, or the database's connections. */
  unlock: () => Promise<void>;
  store: StateStore<BluedeskState>;
  /** The busiest writes that are not decisions, each in its own small file (or its own rows). */
  sides: { dialogs: StateStore<DialogState>; conversations: StateStore<Pick<BluedeskState, 'teamsConversations'>>; seen: StateStore<Pick<BluedeskState, 'seenEvents'>> };
  rawLog: DecisionLog & { check(): Promise<boolean> };
  /** Where the decision log is: its file, or the database (without the password). */
  decisionLogPath: string;
  /** Finished records (closed escalations, decided account requests), moved out of hot state. */
  archives: Archives;
  /** Present when other instances share the storage: who runs the background work, and keeping memory current. */
  shared?: { leadership: Leadership; sync(): Promise<void>; onRemoteChange(fn: () => void): void; onWrite(fn: (t: WriteTiming) => void): void };
  /** True when every state file takes writes and the last write to each worked. */
  writable(): Promise<boolean>;
  /** Bytes of state as last written, across its files. */
  bytes(): number;
  flush(): Promise<void>;
}

/** Opens the storage the settings name: PostgreSQL with DATABASE_URL, else lowdb under DATA_DIR. */
export async function openStorage(settings: Pick<Settings, 'dataDir' | 'database'>, clock: Clock, log: Logger): Promise<OpenStorage> {
  // DATA_DIR is used on both backends (charts and records requests on PostgreSQL), and is owner-only on both.
  const tightened = await ownerOnly(settings.dataDir);
  if (tightened) log.warn('DATA_DIR held files or folders others could read: made owner-only', { dataDir: settings.dataDir, count: tightened });
  return settings.database ? openPostgres(settings.database, clock, log) : openLowdb(settings.dataDir, clock, log);
}

/**
 * Locks DATA_DIR and opens its files: the state checkpoint, its side files,
 * the decision log (the write-ahead log) and the archive. Any failure
 * releases the lock and names DATA_DIR and what to do.
 */
async function openLowdb(dataDir: string, clock: Clock, log: Logger): Promise<OpenStorage> {
  const unlock = await lockDataDir(dataDir);
  const decisionLogPath = join(dataDir, 'decisions.jsonl');
  try {
    const store = await JournaledStateStore.open(join(dataDir, 'state.json'), emptyState);
    const rawLog = await JsonlDecisionLog.open(decisionLogPath, clock, (m) => log.warn(m));
    const sides = await openSideStores(dataDir, SIDE_FILES, store as unknown as StateStore<Record<string, unknown>>) as unknown as OpenStorage['sides'] & Record<'dialogs' | 'conversations' | 'seen', JournaledStateStore<object>>;
    const archives = await openFileArchives(dataDir);
    const all = [store, sides.dialogs, sides.conversations, sides.seen];
    const journaled = [store, sides.dialogs, sides.conversations, sides.seen];
    return {
      // The journals are folded into their files at shutdown, so a stopped DATA_DIR is plain JSON.
      unlock: async () => { await Promise.all(journaled.map((x) => x.close())); await unlock(); },
      store, sides, rawLog, decisionLogPath, archives,
      writable: async () => (await Promise.all(all.map((x) => x.checkWritable()))).every(Boolean),
      bytes: () => all.reduce((n, x) => n + x.sizeBytes(), 0),
      flush: async () => { await Promise.all(all.map((x) => x.flush())); },
    };
  } catch (err) {
    await unlock();
    throw err instanceof StartupError ? err : fsProblem(err, dataDir);
  }
}

/**
 * Connects to PostgreSQL (migrating the schema first) and loads hot state.
 * The side slices are stores of their own over the same tables, as on lowdb,
 * so each change writes only its own rows.
 */
async function openPostgres(target: NonNullable<Settings['database']>, clock: Clock, log: Logger): Promise<OpenStorage> {
  // A database briefly down at start-up is waited for (each wait logged), not a reason to stop for good.
  const db = await PgDatabase.open(target, { wait: { seconds: target.waitSeconds, log: (msg, fields) => log.warn(msg, fields) } });
  try {
    const sideKeys = Object.values(SIDE_FILES).map((f) => f.key);
    const store = await PgStateStore.open<BluedeskState>(db, emptyState, sideKeys);
    const sides = {
      dialogs: await PgStateStore.open<DialogState>(db, () => ({ dialogs: Object.create(null) as DialogState['dialogs'] })),
      conversations: await PgStateStore.open<Pick<BluedeskState, 'teamsConversations'>>(db, () => ({ teamsConversations: Object.create(null) as BluedeskState['teamsConversations'] })),
      seen: await PgStateStore.open<Pick<BluedeskState, 'seenEvents'>>(db, () => ({ seenEvents: Object.create(null) as BluedeskState['seenEvents'] })),
    };
    const rawLog = new PgDecisionLog(db, clock, store);
    const archives = await openPgArchives(db);
    const all = [store, sides.dialogs, sides.conversations, sides.seen];
    await db.leadership.start();
    return {
      unlock: () => db.close(), store, sides, rawLog, archives, decisionLogPath: `postgresql ${db.describe()}`,
      shared: { leadership: db.leadership, sync: () => db.sync(), onRemoteChange: (fn) => db.onRemoteChange(fn), onWrite: (fn) => db.onWrite(fn) },
      writable: () => db.writable(),
      bytes: () => all.reduce((n, x) => n + x.sizeBytes(), 0),
      flush: () => db.flushed(),
    };
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}
