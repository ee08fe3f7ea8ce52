import type { StateStore } from '../../data/state-store.ts';
import type { AccountRequests } from '../domain/account-requests.ts';
import type { Clock } from '../domain/clock.ts';
import type { Escalation } from '../domain/escalation.ts';
import type { Escalations } from '../domain/escalations.ts';
import type { OutboxState } from './outbox/types.ts';

/** Finished records stay in hot state this long (their cards may still be updated), then move to the archive. */
export const ARCHIVE_AFTER_MS = 24 * 3_600_000;
const ARCHIVE_EVERY_MS = 3_600_000;

/**
 * Once an hour by the injected clock, on the timer tick: escalations closed,
 * and account requests decided, more than a day ago leave hot state for
 * their archives, unless an outbox item still updates their card or (an
 * escalation) their surge is still running. Views and lookups by id still
 * find them; the decision log holds their whole history.
 */
export class Archiving {
  private ranAt = 0;

  constructor(private readonly deps: { escalations: Escalations; requests?: AccountRequests; store: StateStore<OutboxState>; clock: Clock; surgeRunning: (surgeId: string) => boolean }) {}

  /** Returns how many records moved. */
  async tick(): Promise<number> {
    const now = this.deps.clock.now().getTime();
    if (now - this.ranAt < ARCHIVE_EVERY_MS) return 0;
    this.ranAt = now;
    const busy = new Set(Object.values(this.deps.store.read().outbox).flatMap((i) => (i.subject ? [i.subject.id] : [])));
    const cutoff = new Date(now - ARCHIVE_AFTER_MS).toISOString();
    const keep = (e: Escalation) => busy.has(e.id) || (!!e.surge && this.deps.surgeRunning(e.surge.id));
    const escalations = await this.deps.escalations.archiveClosed(cutoff, keep);
    const requests = (await this.deps.requests?.archiveDecided(cutoff, (r) => busy.has(r.id))) ?? 0;
    return escalations + requests;
  }
}
