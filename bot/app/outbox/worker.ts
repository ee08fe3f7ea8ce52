import type { StateStore } from '../../../data/state-store.ts';
import { realTransport, type Clock, type TransportClock } from '../../domain/clock.ts';
import type { CardCopy } from '../../domain/escalation.ts';
import { canonicalJson, sha256 } from '../../../data/canonical-json.ts';
import type { Logger } from '../../log.ts';
import type { CardView } from '../../../cards/index.ts';
import { targetKey, type ChannelGateway } from '../gateway.ts';
import { classifyFailure, retryInMs, type DeliveryFailure } from './failure.ts';
import type { Outbox } from './outbox.ts';
import { Pacer, paceKey } from './pacing.ts';
import { selectOffers } from './select-offers.ts';
import type { DeadLetter, OutboxItem, OutboxState } from './types.ts';

/** Sends in flight at once, across all places (one at a time per conversation keeps each place in order). */
const CONCURRENCY = 8;
/**
 * Items a pass looks at per millisecond of rest after it. A pass skips a
 * conversation held back by its pacing after one item, but reads every item
 * of one that may send (to find the most urgent): resting n/100 ms after a
 * pass over n items keeps a large backlog of sendable items (a platform back
 * after an outage) under a few per cent of a core.
 */
const ITEMS_PER_MS_REST = 100;

/** A 404 (a person not found) is retried this many times, then dead-lettered. */
const MAX_NOT_FOUND = 5;

/**
 * Delivers the outbox: urgent items first (critical before high), new cards before updates, paced per conversation and
 * per app, retrying passing faults with backoff and jitter (honouring
 * Retry-After) until each item's deadline, waiting on places that cannot be
 * reached yet, and dead-lettering what cannot be delivered.
 */
export class OutboxWorker {
  private readonly pacer = new Pacer();
  private readonly sending = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private lastBacklogLog = 0;
  private timerAt = Infinity;
  /** When the last pass started, and how many items it read (see ITEMS_PER_MS_REST). */
  private lastPass = { at: -Infinity, items: 0 };
  private stopped = false;
  /** Delivering only once started, and only while this instance runs the background work (see `pause`). */
  private running = false;

  constructor(
    private readonly deps: {
      outbox: Outbox;
      store: StateStore<OutboxState>;
      gateway: (platform: string) => ChannelGateway | undefined;
      clock: Clock;
      log: Logger;
      /** Told of every dead letter, the bot admins' own notices included (they are not told of those in turn). */
      onDead: (dead: DeadLetter) => void;
      /** Told of every failed platform call, by platform and HTTP status (or the failure's kind when there was none): the metrics count them. */
      onFailure?: (platform: string, code: string) => void;
      /** Transport time, for backoff and pacing (real time unless a test runs it faster). */
      transport?: TransportClock;
    },
  ) {
    deps.outbox.onQueued(() => this.schedule(0));
  }

  private get now(): number {
    return (this.deps.transport ?? realTransport).now();
  }

  /** Starts delivering, including whatever a previous run left queued. */
  start(): void {
    this.stopped = false;
    this.running = true;
    this.schedule(0);
  }

  /** Looks for work now (another instance sharing storage queued some); nothing if not delivering, or stopping. */
  poke(): void {
    if (this.running) this.schedule(0);
  }

  /** Stops taking new items (another instance on shared storage delivers now); sends in flight finish. */
  pause(): void {
    this.running = false;
  }

  /** A place became reachable (a Teams install, the bot joining a Slack channel): its waiting items go now. */
  async wake(platform: 'teams' | 'slack'): Promise<void> {
    const waiting = Object.values(this.deps.store.read().outbox).filter((i) => i.platform === platform && i.waiting);
    if (!waiting.length) return;
    await this.deps.store.update((s) => {
      for (const i of waiting) if (s.outbox[i.id]) s.outbox[i.id] = { ...s.outbox[i.id]!, notBefore: new Date(this.now).toISOString() };
    });
    this.schedule(0);
  }

  /** Stops taking new items and waits for those in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.sending.values()]);
  }

  /**
   * Resolves when nothing is in flight and nothing is due within `horizonMs`
   * (a retry after a short backoff counts as due). For tests and benchmarks.
   */
  async idle(horizonMs = 15_000): Promise<void> {
    for (;;) {
      if (!this.running) return void (await Promise.allSettled([...this.sending.values()]));
      await Promise.allSettled([...this.sending.values()]);
      const soon = this.now + horizonMs;
      const due = Object.values(this.deps.store.read().outbox).some((i) => !i.waiting && (!i.notBefore || Date.parse(i.notBefore) <= soon) && this.deps.gateway(i.platform));
      if (!this.sending.size && !due) return;
      if (!this.sending.size) this.pump();
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /**
   * Gives up on items past their deadline that have failed or waited for
   * their place; an item merely queued behind the pacing is not failing.
   * Runs with the timers, on the injected clock.
   */
  async sweep(): Promise<number> {
    this.logBacklog();
    const now = this.deps.clock.now().toISOString();
    const expired = Object.values(this.deps.store.read().outbox).filter((i) => i.giveUpAt <= now && (i.attempts > 0 || i.waiting) && !this.deps.outbox.inFlight.has(i.id));
    if (!expired.length) return 0;
    const dead = await this.deps.store.update((s) => expired.filter((i) => s.outbox[i.id]).map((i) => this.deps.outbox.bury(s, s.outbox[i.id]!, `not delivered before its deadline: ${i.waiting ?? i.lastError ?? 'no attempt succeeded'}`)));
    for (const d of dead) this.buried(d);
    return dead.length;
  }

  /** A backlog older than two minutes is logged with the outbox's figures, at most every five minutes. */
  private logBacklog(): void {
    const stats = this.deps.outbox.stats();
    if (stats.oldestAgeSeconds < 120 || this.now - this.lastBacklogLog < 5 * 60_000) return;
    this.lastBacklogLog = this.now;
    this.deps.log.warn('outbox backlog: messages are waiting to be delivered', { ...stats });
  }

  private schedule(inMs: number): void {
    if (this.stopped) return;
    const at = Math.max(this.now + Math.max(0, inMs), this.lastPass.at + this.lastPass.items / ITEMS_PER_MS_REST);
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = (this.deps.transport ?? realTransport).after(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, Math.max(0, at - this.now));
    this.timer.unref();
  }

  private pump(): void {
    if (this.stopped || !this.running) return;
    const now = this.now;
    const busy = new Set([...this.sending.keys()].map((id) => this.deps.store.read().outbox[id]).filter((i): i is OutboxItem => !!i).map(paceKey));
    const { offers: ready, next: due, read } = selectOffers(this.deps.outbox.paceGroups(), { now, busy, sending: this.sending, reachable: (p) => !!this.deps.gateway(p), pacer: this.pacer });
    let next = due;
    this.lastPass = { at: now, items: read };
    for (const { item, place, paced } of ready) {
      if (this.sending.size >= CONCURRENCY) break;
      if (busy.has(place)) continue;
      // The pacing is asked again: a send earlier in this pass (to this place, or under the app-wide limit) counts.
      const wait = this.pacer.wait(paced, now);
      if (wait > 0) { next = Math.min(next, now + wait); continue; }
      const render = this.render(item);
      // An update that would change nothing waits its turn like the rest, then costs no call and no place in the pacing.
      const noop = item.op === 'update' && render.view !== undefined && render.current?.sentHash === render.hash;
      const keys = noop ? [] : paced;
      if (!noop) this.pacer.take(keys, now);
      busy.add(place);
      this.deps.outbox.inFlight.add(item.id);
      const run = this.attempt(item, render).catch((err) => {
        // A failure to record the outcome (storage) leaves the item queued: it is tried again.
        this.deps.log.error('outbox: could not record a delivery attempt', { item: item.id, error: (err as Error).message });
      }).finally(() => {
        this.pacer.settle(keys, now, this.now);
        this.sending.delete(item.id);
        this.deps.outbox.inFlight.delete(item.id);
        this.deps.outbox.attempted();
        this.schedule(0);
      });
      this.sending.set(item.id, run);
    }
    if (next < Infinity) this.schedule(next - now);
  }

  /** The card an item would send now, its hash, and (for an update) the copy as last sent. */
  private render(item: OutboxItem): { view?: CardView; hash: string; current?: CardCopy } {
    const kind = item.subject ? this.deps.outbox.kind(item.subject.kind) : undefined;
    const record = item.subject && kind ? ownValue(kind.collection(this.deps.store.read()), item.subject.id) : undefined;
    const current = item.op === 'update' ? record?.copies.find((c) => sameCopy(c, item.copy!)) : undefined;
    const to = item.op === 'post' ? { name: item.placeName, place: targetKey(item.place!) } : { ...((current ?? item.copy)?.place ? { place: (current ?? item.copy)!.place! } : {}) };
    const view = item.subject ? (record && kind ? kind.view(record, to) : undefined) : item.view;
    return { ...(view ? { view } : {}), hash: view ? sha256(canonicalJson(view)) : '', ...(current ? { current } : {}) };
  }

  /** Sends one item as `pump` rendered it (rendering is from memory, so nothing changed in between). */
  private async attempt(item: OutboxItem, rendered: ReturnType<OutboxWorker['render']>): Promise<void> {
    const { outbox, store, log } = this.deps;
    const kind = item.subject ? outbox.kind(item.subject.kind) : undefined;
    const { view, hash: sentHash, current } = rendered;
    if (!view) {
      await store.update((s) => { this.deps.outbox.remove(s, item.id); });
      return;
    }
    const gateway = this.deps.gateway(item.platform)!;
    try {
      if (item.op === 'post') {
        const copy = await gateway.post(item.place!, view);
        await store.update((s) => {
          this.deps.outbox.remove(s, item.id);
          const target = item.subject && kind ? ownValue(kind.collection(s), item.subject.id) : undefined;
          if (!target || !item.subject) return;
          const kept: CardCopy = { ...copy, place: targetKey(item.place!), name: item.placeName, sentHash, ...(item.fallback ? { fallback: true } : {}) };
          target.copies.push(kept);
          // The card lists where it reached: every copy is brought up to date (those already current are skipped).
          if (kind?.showsDelivery) outbox.queueUpdates(s, item.subject, target.copies);
        });
      } else {
        if (current?.sentHash !== sentHash) await gateway.update(item.copy!, view);
        await store.update((s) => {
          this.deps.outbox.remove(s, item.id);
          const target = item.subject && kind ? ownValue(kind.collection(s), item.subject.id) : undefined;
          const kept = target?.copies.find((c) => sameCopy(c, item.copy!));
          if (kept) kept.sentHash = sentHash;
          // The record changed while this was being sent (another instance sharing storage may have counted on this
          // item, not knowing it was already rendered): the copy is brought up to date again.
          if (kept && item.subject && this.render(item).hash !== sentHash) outbox.queueUpdates(s, item.subject, [kept]);
        });
      }
      if (item.attempts > 0 || item.waiting) log.info('delivered after waiting', { item: item.id, subject: item.label, place: item.placeName, attempts: item.attempts + 1 });
    } catch (err) {
      await this.failed(item, classifyFailure(err, item.platform === 'teams' ? 'Teams' : 'Slack'));
    }
  }

  private async failed(item: OutboxItem, f: DeliveryFailure): Promise<void> {
    const { store, clock, log } = this.deps;
    this.deps.onFailure?.(item.platform, f.status ? String(f.status) : f.kind);
    const attempts = item.attempts + 1;
    const pastDeadline = clock.now().toISOString() >= item.giveUpAt;
    const permanent = f.kind === 'permanent' || (f.status === 404 && attempts >= MAX_NOT_FOUND) || pastDeadline;
    if (permanent) {
      const reason = pastDeadline && f.kind !== 'permanent' ? `not delivered before its deadline: ${f.message}` : f.message;
      if (f.detail) log.warn('delivery refused by the platform', { item: item.id, place: item.placeName, detail: f.detail });
      const dead = await store.update((s) => (s.outbox[item.id] ? this.deps.outbox.bury(s, s.outbox[item.id]!, reason) : undefined));
      if (dead) this.buried(dead);
      return;
    }
    const wait = retryInMs(f, attempts);
    const level = f.kind === 'unreachable' && item.waiting ? 'info' : 'warn';
    log[level](f.kind === 'unreachable' ? 'delivery waiting: place not reachable yet' : 'delivery failed, will retry', {
      item: item.id, subject: item.label, place: item.placeName, attempts, retryInSeconds: Math.round(wait / 1000), error: f.message, ...(f.detail ? { detail: f.detail } : {}),
    });
    await store.update((s) => {
      const current = s.outbox[item.id];
      if (!current) return;
      s.outbox[item.id] = {
        ...current, attempts, notBefore: new Date(this.now + wait).toISOString(), lastError: f.message,
        ...(f.kind === 'unreachable' ? { waiting: f.message } : { waiting: undefined }),
      };
    });
  }

  private buried(dead: DeadLetter): void {
    this.deps.log.error('delivery failed for good: dead-lettered', { item: dead.id, subject: dead.label, place: dead.placeName, reason: dead.reason });
    this.deps.onDead(dead);
  }
}

function sameCopy(a: CardCopy, b: CardCopy): boolean {
  return a.platform === 'teams' ? b.platform === 'teams' && a.conversationKey === b.conversationKey && a.activityId === b.activityId : b.platform === 'slack' && a.channelId === b.channelId && a.ts === b.ts;
}

function ownValue<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
