import type { StateStore } from './state-store.ts';

/**
 * Removes the entries of one collection that `old` says have had their
 * time, at most once per `everyMs`. A pass over every entry costs as much
 * as the collection is big, so the busy requests that add entries (a form
 * opening, an intake raise, a Slack event) must not each pay it; and only
 * the removed entries are written.
 */
export class Sweep<S, T> {
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: StateStore<S>,
    private readonly collection: (s: S) => Record<string, T>,
    private readonly everyMs: number,
  ) {}

  /** Runs the sweep if it is due at `now` (epoch ms); returns how many entries went. */
  async run(now: number, old: (entry: T) => boolean): Promise<number> {
    if (now - this.last < this.everyMs) return 0;
    this.last = now;
    const gone = Object.entries(this.collection(this.store.read() as S)).filter(([, v]) => old(v)).map(([k]) => k);
    if (!gone.length) return 0;
    // Checked again inside the change: one touched since the read stays.
    return this.store.update((s) => {
      const into = this.collection(s);
      let n = 0;
      for (const k of gone) if (Object.hasOwn(into, k) && old(into[k]!)) { delete into[k]; n += 1; }
      return n;
    });
  }
}
