import { join } from 'node:path';
import { ArchiveStore } from '../data/archive-store.ts';
import { PgArchive } from '../data/pg/pg-archive.ts';
import type { PgDatabase } from '../data/pg/pg-database.ts';
import type { AccountRequest } from './domain/account-types.ts';
import type { Escalation } from './domain/escalation.ts';
import type { WritableArchive } from './domain/record-keeper.ts';

/**
 * The kinds of record moved out of hot state once finished, by subject type
 * (as the decision log names them): the state collection they leave, and
 * their file under DATA_DIR/archive on lowdb (PostgreSQL keeps them in
 * `bd_archive` under the subject type).
 */
export const ARCHIVED = {
  escalation: { collection: 'escalations', file: 'escalations.jsonl' },
  'account-request': { collection: 'accountRequests', file: 'account-requests.jsonl' },
} as const;

/** Finished records moved out of hot state, by subject type. */
export type Archives = {
  escalation: WritableArchive<Escalation>;
  'account-request': WritableArchive<AccountRequest>;
};

/** The archives under DATA_DIR (append-only JSONL files, indexed by id). */
export async function openFileArchives(dataDir: string): Promise<Archives> {
  const open = <T extends { id: string }>(kind: keyof typeof ARCHIVED) => ArchiveStore.open<T>(join(dataDir, 'archive', ARCHIVED[kind].file));
  return { escalation: await open<Escalation>('escalation'), 'account-request': await open<AccountRequest>('account-request') };
}

/** The archives in the database. */
export async function openPgArchives(db: PgDatabase): Promise<Archives> {
  return { escalation: await PgArchive.open<Escalation>(db, 'escalation'), 'account-request': await PgArchive.open<AccountRequest>(db, 'account-request') };
}
