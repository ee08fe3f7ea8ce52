import { targetKey } from '../gateway.ts';
import type { OutboxItem } from './types.ts';

/** One sliding window: at most `count` sends in any `ms`. */
export interface Window {
  count: number;
  ms: number;
}

/**
 * Published send limits (PLATFORM-FACTS.md), the stricter figure where the
 * sources disagree. Teams: per bot per conversation 7/1 s, 8/2 s, 60/30 s,
 * 1800/hour (every send or update counts); per app per tenant 30/s (50 in
 * newer docs). Slack: chat.postMessage about one message per second per
 * channel with short bursts (here: 5 in any 5 s); chat.update is a
 * workspace-wide Tier 3 method (50+ a minute, bursts welcome), left to
 * Slack's 429 and Retry-After, which the outbox honours.
 */
export const LIMITS = {
  teams: {
    post: [{ count: 7, ms: 1000 }, { count: 8, ms: 2000 }, { count: 60, ms: 30_000 }, { count: 1800, ms: 3_600_000 }],
    update: [{ count: 7, ms: 1000 }, { count: 8, ms: 2000 }, { count: 60, ms: 30_000 }, { count: 1800, ms: 3_600_000 }],
    app: [{ count: 30, ms: 1000 }],
  },
  slack: { post: [{ count: 5, ms: 5000 }], update: [], app: [{ count: 50, ms: 1000 }] },
} as const satisfies Record<string, { post: Window[]; update: Window[]; app: Window[] }>;

/**
 * Sends leave a little before they arrive, and a busy process can hold one
 * back longer than the next. A finished send is therefore counted at the time
 * its answer came back (`settle`), after it arrived, so one conversation's
 * arrivals keep within its limits however slow the transport; this margin
 * covers sends still in flight, which only the app-wide limit sees. Counting
 * departures alone with 250 ms of margin still let 8 arrivals into a second
 * in CI, beside the rest of the suite on two cores.
 */
const JITTER_MARGIN_MS = 250;

/**
 * Sliding-window pacing per conversation and per app, so a burst queues
 * instead of being throttled. Memory is bounded: a key's history is only
 * as long as its longest window's count.
 */
export class Pacer {
  private readonly sent = new Map<string, number[]>();

  /** Milliseconds until a send under all these keys is allowed (0: now). */
  wait(keys: ReadonlyArray<{ key: string; windows: ReadonlyArray<Window> }>, now: number): number {
    let wait = 0;
    for (const { key, windows } of keys) {
      const times = this.sent.get(key) ?? [];
      for (const w of windows) {
        if (times.length < w.count) continue;
        const oldestInWindow = times[times.length - w.count]!;
        wait = Math.max(wait, oldestInWindow + w.ms + JITTER_MARGIN_MS - now);
      }
    }
    return Math.max(0, wait);
  }

  /** Records a send under all these keys. */
  take(keys: ReadonlyArray<{ key: string; windows: ReadonlyArray<Window> }>, now: number): void {
    for (const { key, windows } of keys) {
      if (!windows.length) continue;
      const keep = Math.max(...windows.map((w) => w.count));
      const times = this.sent.get(key) ?? [];
      times.push(now);
      if (times.length > keep) times.splice(0, times.length - keep);
      this.sent.set(key, times);
    }
  }

  /**
   * Moves a send recorded by `take` at `departed` to `now`, when its answer
   * came back: it arrived at the platform somewhere in between, and the later
   * time is the one that cannot undercount a window. Times stay sorted.
   */
  settle(keys: ReadonlyArray<{ key: string; windows: ReadonlyArray<Window> }>, departed: number, now: number): void {
    for (const { key } of keys) {
      const times = this.sent.get(key);
      const at = times?.lastIndexOf(departed) ?? -1;
      if (!times || at < 0) continue;
      times.splice(at, 1);
      let i = times.length;
      while (i > 0 && times[i - 1]! > now) i--;
      times.splice(i, 0, now);
    }
  }
}

/**
 * The conversation an item goes to, for pacing and per-place ordering. An
 * update is keyed by the place its copy was posted to, so posts and updates
 * in one conversation share one key: a person's chat is known by the person
 * when a post goes out and by the chat's id afterwards, and keying the two
 * apart let a surge put 9 sends into one chat in 2 seconds.
 */
export function paceKey(item: OutboxItem): string {
  if (item.op === 'update' && item.copy) return item.copy.place ?? (item.copy.platform === 'teams' ? `teams:${item.copy.conversationKey}` : `slack:${item.copy.channelId}`);
  return targetKey(item.place!);
}

/**
 * The key an item's sends count under in its conversation. Teams counts posts
 * and updates together per conversation; Slack paces posts per channel only.
 * Items with the same key wait for the same pacing (the app-wide key follows
 * from the platform), so the worker asks once for all of them.
 */
export function conversationPaceKey(item: OutboxItem): string {
  return item.platform === 'teams' ? paceKey(item) : `${paceKey(item)}:${item.op}`;
}

/** The pacing keys and windows a send of this item counts under: its conversation's, and the app's. */
export function paceKeys(item: OutboxItem) {
  const limits = LIMITS[item.platform];
  return [{ key: conversationPaceKey(item), windows: limits[item.op] }, { key: `${item.platform}:app`, windows: limits.app }];
}
