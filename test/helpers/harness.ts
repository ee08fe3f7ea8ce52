import { ARCHIVED } from '../../bot/archives.ts';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { readSettings } from '../../bot/config/settings.ts';
import type { DecisionRecord } from '../../bot/domain/decision-log.ts';
import { freshSchema } from './postgres.ts';
import { readStored } from '../../data/journal-store.ts';
import { canonicalJson } from '../../data/canonical-json.ts';
import { verifyLines, verifyLog, type VerifyResult } from '../../data/verify-log.ts';
import { ManualClock, type Clock, type TransportClock } from '../../bot/domain/clock.ts';
import { requestContext, type Logger } from '../../bot/log.ts';
import type { ForceConfig } from '../../bot/config/schema.ts';
import { startBluedesk, type RunningBluedesk } from '../../bot/main.ts';
import { readRecords } from '../../data/jsonl-decision-log.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/slack-api.ts';
import { startFakeSlackSocket, type FakeSlackSocket } from '../fakes/slack-socket.ts';
import { startFakeConnector, type FakeConnector } from '../fakes/teams-connector.ts';
import { botAddedToTeam, postActivity } from '../fakes/teams-activities.ts';
import { SLACK_TEAM, TEAMS_TEAM, TENANT, testConfig } from './config.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-test-token';
export const APP_TOKEN = 'xapp-1-A0BLUEDESK-1-test-app-token';
/** A Standard Webhooks secret: `whsec_` and the base64 of the key. */
export const INTAKE_SECRET = `whsec_${Buffer.from('test-intake-secret-orlo-0123456789').toString('base64')}`;

/** Collects log lines so tests can assert on them (and on what is never logged). */
export function memoryLogger(): Logger & { lines: Array<{ level: string; msg: string; fields?: Record<string, unknown>; request?: { requestId: string; platform?: string } }> } {
  const lines: Array<{ level: string; msg: string; fields?: Record<string, unknown>; request?: { requestId: string; platform?: string } }> = [];
  // The request a line is logged in, as the real logger's mixin adds it.
  const add = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    const request = requestContext.getStore();
    lines.push({ level, msg, ...(fields ? { fields } : {}), ...(request ? { request: { ...request } } : {}) });
  };
  return { lines, info: add('info'), warn: add('warn'), error: add('error') };
}

/** Keeps a copy of state as stored (the snapshot and its journal): what a crash right after would leave. */
export async function saveState(dataDir: string): Promise<void> {
  for (const f of ['state.json', 'state.journal']) await copyFile(join(dataDir, f), join(dataDir, `before-${f}`)).catch(() => undefined);
}

/** Puts back the copy `saveState` kept, while the bot is stopped. */
export async function restoreState(dataDir: string): Promise<void> {
  for (const f of ['state.json', 'state.journal']) await copyFile(join(dataDir, `before-${f}`), join(dataDir, f)).catch(() => undefined);
}

/** Runs one query on the harness's PostgreSQL schema. */
async function query<R extends pg.QueryResultRow>(target: { url: string; schema: string }, sql: string, args: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: target.url, options: `-c search_path=${target.schema}` });
  await client.connect();
  try {
    return (await client.query<R>(sql, args)).rows;
  } finally {
    await client.end();
  }
}

/** The decision log's records as PostgreSQL holds them. */
async function databaseRecords(target: { url: string; schema: string }): Promise<DecisionRecord[]> {
  return (await query<{ line: string }>(target, 'SELECT line FROM bd_decisions ORDER BY seq')).map((r) => JSON.parse(r.line) as DecisionRecord);
}

/**
 * Transport time running `speed` times faster than real time, from now: the
 * outbox paces and backs off on it exactly as on real time, so a pacing test
 * takes a tenth of the wall time. `at` turns a real arrival time (what the
 * fakes record) into this clock's.
 */
export function fastTransport(speed: number): TransportClock & { at(realMs: number): number } {
  const t0 = Date.now();
  const at = (real: number) => t0 + (real - t0) * speed;
  return { now: () => at(Date.now()), after: (fn, ms) => setTimeout(fn, ms / speed), at };
}

export interface Harness {
  bot: RunningBluedesk;
  /** Transport time, when the harness runs it faster than real time: `at(real)` gives an arrival's time on it. */
  transport?: ReturnType<typeof fastTransport>;
  url: string;
  connector: FakeConnector;
  slack: FakeSlackApi;
  /** Slack's Socket Mode servers, when started with `socketMode`. */
  socket?: FakeSlackSocket;
  dataDir: string;
  clock: Clock;
  log: ReturnType<typeof memoryLogger>;
  decisions(): Promise<Awaited<ReturnType<typeof readRecords>>>;
  /** A state collection as storage holds it (not as the bot's memory does): state.json's, or PostgreSQL's rows. */
  stored(collection: string): Promise<Record<string, any>>;
  /** Ids of the finished records of a kind (default: closed escalations) in the archive (its file, or PostgreSQL's table). */
  archived(kind?: keyof typeof ARCHIVED): Promise<string[]>;
  /** Runs verify-log over the decision log, wherever it is (the file, or PostgreSQL). */
  verify(): Promise<VerifyResult>;
  /** Stops and starts the bot on the same data; `between` runs while it is down (e.g. to put back an older state.json). */
  restart(between?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the real Bluedesk on an ephemeral loopback port with a fake Teams
 * connector and a fake Slack Web API as the only fakes, optionally installed
 * in some Teams channels.
 */
export async function startHarness(opts: { env?: Record<string, string>; clock?: Clock; dataDir?: string; installIn?: string[]; config?: ForceConfig; socketMode?: boolean; transportSpeed?: number } = {}): Promise<Harness> {
  // Delivery's pacing and backoff run ten times faster than real time unless a test says otherwise (1: real time).
  const speed = opts.transportSpeed ?? 10;
  const transport = speed !== 1 ? fastTransport(speed) : undefined;
  const connector = await startFakeConnector();
  // Socket Mode: Slack's WebSocket servers are faked too, and the app connects out with an app-level token instead of being called.
  const socket = opts.socketMode ? await startFakeSlackSocket() : undefined;
  const slack = await startFakeSlackApi({ teamId: SLACK_TEAM, ...(socket ? { socketUrl: socket.url } : {}) });
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'bluedesk-')));
  const clock = opts.clock ?? new ManualClock(new Date('2026-11-25T14:00:00Z'));
  const log = memoryLogger();
  // BLUEDESK_TEST_STORAGE=postgres runs the same journeys on PostgreSQL, in a schema of their own.
  const pgSchema = process.env.BLUEDESK_TEST_STORAGE === 'postgres' && !opts.env?.DATABASE_URL ? await freshSchema('harness') : undefined;
  const settings = readSettings({
    PORT: '0', ADMIN_PORT: '0', DATA_DIR: dataDir, ...(pgSchema ? { DATABASE_URL: pgSchema.url, DATABASE_SCHEMA: pgSchema.schema } : {}), SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.url, BLUEDESK_INTAKE_SECRET_ORLO: INTAKE_SECRET,
    ...(socket ? { SLACK_APP_TOKEN: APP_TOKEN } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }), ...opts.env,
  });
  const start = () => startBluedesk({ settings, config: opts.config ?? testConfig(), clock, log, host: '127.0.0.1', ...(transport ? { transport } : {}) });
  let bot: RunningBluedesk;
  try {
    bot = await start();
  } catch (err) {
    await connector.close();
    await slack.close();
    throw err;
  }
  const h: Harness = {
    bot,
    ...(transport ? { transport } : {}),
    get url() { return h.bot.url; },
    connector,
    slack,
    ...(socket ? { socket } : {}),
    dataDir,
    clock,
    log,
    decisions: () => (settings.database ? databaseRecords(settings.database) : readRecords(join(dataDir, 'decisions.jsonl'))),
    stored: async (collection) => {
      if (settings.database) return Object.fromEntries((await query<{ id: string; value: string }>(settings.database, 'SELECT id, value FROM bd_state WHERE collection = $1 AND value IS NOT NULL', [collection])).map((r) => [r.id, JSON.parse(r.value)]));
      return ((await readStored(join(dataDir, 'state.json'))) as Record<string, Record<string, any>>)[collection] ?? {};
    },
    archived: async (kind = 'escalation') => {
      if (settings.database) return (await query<{ id: string }>(settings.database, 'SELECT id FROM bd_archive WHERE kind = $1 ORDER BY id', [kind])).map((r) => r.id);
      const text = await readFile(join(dataDir, 'archive', ARCHIVED[kind].file), 'utf8').catch(() => '');
      return [...new Set(text.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id))];
    },
    verify: async () => {
      if (!settings.database) return verifyLog(join(dataDir, 'decisions.jsonl'));
      return verifyLines((await databaseRecords(settings.database)).map((r) => canonicalJson(r)));
    },
    async restart(between) {
      await h.bot.stop();
      await between?.();
      h.bot = await start();
    },
    async stop() {
      await h.bot.stop();
      await connector.close();
      await slack.close();
      await socket?.close();
      if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
      await pgSchema?.drop();
    },
  };
  // Install the bot in Teams channels, as Teams does with conversationUpdate, so it can post there.
  for (const channelId of opts.installIn ?? []) {
    await postActivity(h.url, botAddedToTeam(connector.url, TENANT, { id: TEAMS_TEAM, channelId }));
  }
  return h;
}
