import { join } from 'node:path';
import { ArchiveStore } from '../data/archive-store.ts';
import { fsProblem, lockDataDir, StartupError } from '../data/data-dir.ts';
import { JsonlDecisionLog } from '../data/jsonl-decision-log.ts';
import { openSideStores } from '../data/side-stores.ts';
import { LowdbStateStore, type StateStore } from '../data/state-store.ts';
import type { DialogState } from '../dialogs/types.ts';
import type { Clock } from './domain/clock.ts';
import type { Escalation } from './domain/escalation.ts';
import type { Logger } from './log.ts';
import { emptyState, SIDE_FILES, type BluedeskState } from './state.ts';

/** Everything on disk under DATA_DIR, open and locked for this instance. */
export interface OpenStorage {
  unlock: () => Promise<void>;
  store: LowdbStateStore<BluedeskState>;
  /** The busiest writes that are not decisions, each in its own small file. */
  sides: { dialogs: StateStore<DialogState>; conversations: StateStore<Pick<BluedeskState, 'teamsConversations'>>; seen: StateStore<Pick<BluedeskState, 'seenEvents'>> };
  rawLog: JsonlDecisionLog;
  decisionLogPath: string;
  /** Closed escalations, moved out of hot state. */
  escalationArchive: ArchiveStore<Escalation>;
  /** True when every state file takes writes and the last write to each worked. */
  writable(): Promise<boolean>;
  /** Bytes of state as last written, across its files. */
  bytes(): number;
  flush(): Promise<void>;
}

/**
 * Locks DATA_DIR and opens its files: the state checkpoint, its side files,
 * the decision log (the write-ahead log) and the archive. Any failure
 * releases the lock and names DATA_DIR and what to do.
 */
export async function openStorage(dataDir: string, clock: Clock, log: Logger): Promise<OpenStorage> {
  const unlock = await lockDataDir(dataDir);
  const decisionLogPath = join(dataDir, 'decisions.jsonl');
  try {
    const store = await LowdbStateStore.open(join(dataDir, 'state.json'), emptyState);
    const rawLog = await JsonlDecisionLog.open(decisionLogPath, clock, (m) => log.warn(m));
    const sides = await openSideStores(dataDir, SIDE_FILES, store as unknown as StateStore<Record<string, unknown>>) as unknown as OpenStorage['sides'];
    const escalationArchive = await ArchiveStore.open<Escalation>(join(dataDir, 'archive', 'escalations.jsonl'));
    const all = [store, sides.dialogs, sides.conversations, sides.seen];
    return {
      unlock, store, sides, rawLog, decisionLogPath, escalationArchive,
      writable: async () => (await Promise.all(all.map((x) => x.checkWritable()))).every(Boolean),
      bytes: () => all.reduce((n, x) => n + x.sizeBytes(), 0),
      flush: async () => { await Promise.all(all.map((x) => x.flush())); },
    };
  } catch (err) {
    await unlock();
    throw err instanceof StartupError ? err : fsProblem(err, dataDir);
  }
}
