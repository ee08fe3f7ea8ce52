import type { Clock } from '../domain/clock.ts';
import type { StateStore } from '../../data/state-store.ts';
import { Sweep } from '../../data/sweep.ts';

/** How long a platform event id is remembered; Slack retries within minutes. */
const KEEP_MS = 24 * 60 * 60 * 1000;
/** How often old ids are looked for. */
const SWEEP_EVERY_MS = 10 * 60 * 1000;

/** Remembers platform event ids so a retried delivery is handled once. */
export class SeenEvents {
  constructor(
    private readonly store: StateStore<{ seenEvents: Record<string, string> }>,
    private readonly clock: Clock,
  ) {
    this.sweep = new Sweep(store, (s) => s.seenEvents, SWEEP_EVERY_MS);
  }

  /** Ids older than a day are forgotten, looked for at most every ten minutes. */
  private readonly sweep: Sweep<{ seenEvents: Record<string, string> }, string>;

  /** True the first time an id is seen; false for every repeat. */
  async firstTime(id: string): Promise<boolean> {
    const now = this.clock.now();
    const first = await this.store.update((s) => {
      if (s.seenEvents[id]) return false;
      s.seenEvents[id] = now.toISOString();
      return true;
    });
    await this.sweep.run(now.getTime(), (at) => now.getTime() - Date.parse(at) > KEEP_MS);
    return first;
  }
}
