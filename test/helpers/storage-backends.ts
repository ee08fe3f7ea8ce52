import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlDecisionLog } from '../../data/jsonl-decision-log.ts';
import { JournaledStateStore } from '../../data/journal-store.ts';
import { PgDatabase } from '../../data/pg/pg-database.ts';
import { PgDecisionLog } from '../../data/pg/pg-decision-log.ts';
import { PgStateStore } from '../../data/pg/pg-state-store.ts';
import type { StateStore } from '../../data/state-store.ts';
import { verifyLines, verifyLog, type VerifyResult } from '../../data/verify-log.ts';
import type { Clock } from '../../bot/domain/clock.ts';
import type { DecisionLog } from '../../bot/domain/decision-log.ts';
import { freshSchema, pgAvailable } from './postgres.ts';

/** The state shape the contract tests use: two collections and the checkpoint. */
export interface TestState {
  items: Record<string, { n: number; text?: string }>;
  counters: Record<string, number>;
  walSeq: number;
}

export const testState = (): TestState => ({ items: Object.create(null), counters: Object.create(null), walSeq: 0 });

/** One open instance of a backend. */
export interface Instance {
  store: StateStore<TestState>;
  log: DecisionLog;
  /** Runs verify-log over this backend's chain. */
  verify(): Promise<VerifyResult>;
  close(): Promise<void>;
}

/** A storage backend under test: opening it twice gives a second instance on the same data (after the first is closed, for lowdb). */
export interface Backend {
  name: 'lowdb' | 'postgres';
  open(clock: Clock): Promise<Instance>;
  dispose(): Promise<void>;
}

export async function lowdbBackend(): Promise<Backend> {
  const dir = await mkdtemp(join(tmpdir(), 'bluedesk-contract-'));
  return {
    name: 'lowdb',
    async open(clock) {
      const store = await JournaledStateStore.open(join(dir, 'state.json'), testState);
      const log = await JsonlDecisionLog.open(join(dir, 'decisions.jsonl'), clock, () => undefined);
      return { store, log, verify: () => verifyLog(join(dir, 'decisions.jsonl')), close: async () => { await store.close(); await log.close(); } };
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function postgresBackend(label: string): Promise<Backend> {
  const target = await freshSchema(label);
  return {
    name: 'postgres',
    async open(clock) {
      const db = await PgDatabase.open(target);
      const store = await PgStateStore.open(db, testState);
      const log = new PgDecisionLog(db, clock, store);
      return { store, log, verify: () => verifyLines(log.lines()), close: () => db.close() };
    },
    dispose: () => target.drop(),
  };
}

/** Every backend this machine can run: lowdb always, PostgreSQL when a server answers. */
export async function backends(): Promise<Array<'lowdb' | 'postgres'>> {
  return (await pgAvailable()) ? ['lowdb', 'postgres'] : ['lowdb'];
}
