import type { Clock } from '../domain/clock.ts';
import type { StateStore } from '../../data/state-store.ts';

/** How long a platform event id is remembered; Slack retries within minutes. */
const KEEP_MS = 24 * 60 * 60 * 1000;

/** Remembers platform event ids so a retried delivery is handled once. */
export class SeenEvents {
  constructor(
    private readonly store: StateStore<{ seenEvents: Record<string, string> }>,
    private readonly clock: Clock,
  ) {}

  /** True the first time an id is seen; false for every repeat. */
  async firstTime(id: string): Promise<boolean> {
    const now = this.clock.now();
    return this.store.update((s) => {
      if (s.seenEvents[id]) return false;
      for (const [k, at] of Object.entries(s.seenEvents)) if (now.getTime() - Date.parse(at) > KEEP_MS) delete s.seenEvents[k];
      s.seenEvents[id] = now.toISOString();
      return true;
    });
  }
}
