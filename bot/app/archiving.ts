import type { StateStore } from '../../data/state-store.ts';
import type { Clock } from '../domain/clock.ts';
import type { Escalation } from '../domain/escalation.ts';
import type { Escalations } from '../domain/escalations.ts';
import type { OutboxState } from './outbox/types.ts';

/** Closed escalations stay in hot state this long (their cards may still be updated), then move to the archive. */
export const ARCHIVE_AFTER_MS = 24 * 3_600_000;
const ARCHIVE_EVERY_MS = 3_600_000;

/**
 * Once an hour by the injected clock, on the timer tick: escalations closed
 * more than a day ago leave hot state for the archive, unless an outbox item
 * still updates their card or their surge is still running.
 */
export class EscalationArchiving {
  private ranAt = 0;

  constructor(private readonly deps: { escalations: Escalations; store: StateStore<OutboxState>; clock: Clock; surgeRunning: (surgeId: string) => boolean }) {}

  async tick(): Promise<number> {
    const now = this.deps.clock.now().getTime();
    if (now - this.ranAt < ARCHIVE_EVERY_MS) return 0;
    this.ranAt = now;
    const busy = new Set(Object.values(this.deps.store.read().outbox).flatMap((i) => (i.subject ? [i.subject.id] : [])));
    const keep = (e: Escalation) => busy.has(e.id) || (!!e.surge && this.deps.surgeRunning(e.surge.id));
    return this.deps.escalations.archiveClosed(new Date(now - ARCHIVE_AFTER_MS).toISOString(), keep);
  }
}
