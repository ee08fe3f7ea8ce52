import type { StateStore } from '../../data/state-store.ts';
import type { CheckpointedLog, CheckpointState } from '../domain/checkpoint.ts';
import { applyWal } from '../domain/checkpoint.ts';
import type { Publish, Tracked } from '../domain/record-keeper.ts';
import type { Outbox } from './outbox/outbox.ts';

/** The outbox subject kind of each collection a log record can change. */
const KIND_OF: Record<string, string> = { escalations: 'escalation', accountRequests: 'account-request', accounts: 'account', impersonations: 'impersonation', leaverCases: 'leaver', surges: 'surge', surgeDigests: 'surge-digest', appeals: 'appeal' };

/**
 * Start-up recovery: applies every log record after the checkpoint, in
 * order, with the outbox items it caused, in one state write. Applying is
 * idempotent, so a record that did reach state is harmless to apply again.
 * Returns the records it applied, as collection and id, so derived state
 * (SLA timers) can be brought in line.
 */
export async function replayLog<S extends CheckpointState & { counters: Record<string, number> }>(log: CheckpointedLog, store: StateStore<S>, outbox: Outbox): Promise<Array<{ collection: string; id: string }>> {
  const pending = await log.recordsAfter(store.read().walSeq);
  if (!pending.length) return [];
  return store.update((s) => {
    const changed: Array<{ collection: string; id: string }> = [];
    const state = s as unknown as Record<string, Record<string, Tracked>> & { counters: Record<string, number> };
    for (const record of pending) {
      if (record.wal) {
        applyWal(state, record.wal);
        const kind = KIND_OF[record.wal.collection];
        const value = state[record.wal.collection]?.[record.wal.id];
        if (kind && value) outbox.effects<Tracked, S>(kind).changed(s, value, record.wal.publish as Publish | undefined, record.wal.notify);
        changed.push({ collection: record.wal.collection, id: record.wal.id });
      }
      s.walSeq = record.seq;
    }
    return changed;
  });
}
