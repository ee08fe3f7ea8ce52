import type { CardView } from '../../../cards/index.ts';
import type { StateStore } from '../../../data/state-store.ts';
import type { Clock } from '../../domain/clock.ts';
import type { CardCopy } from '../../domain/escalation.ts';
import type { Publish, RecordEffects, Tracked } from '../../domain/record-keeper.ts';
import { targetKey, targetName, type ChannelTarget } from '../gateway.ts';
import { OutboxIndex } from './outbox-index.ts';
import type { DeadLetter, DeliveryStatus, OutboxItem, OutboxState, OutboxSubject } from './types.ts';

/** How a kind of record is carded: where its records live and how its card looks now. */
export interface CardedKind {
  collection: (state: OutboxState) => Record<string, Tracked>;
  /**
   * The card as it stands for one place: `to.name` names a place a post is
   * going to (which it has then reached), `to.place` keys the place of any
   * copy, so a kind can show each person their own view. No card means the
   * place must not get one (a restricted case in a channel): the item is dropped.
   */
  view: (record: Tracked, to: CardAudience) => CardView | undefined;
  /** The card says where it was delivered, so every copy is refreshed when another place is reached. */
  showsDelivery?: boolean;
  /** Whether a record's alert is urgent (critical or high), for ordering, retry time and fallback. */
  urgent?: (record: Tracked) => boolean;
  /** Order among urgent items, lowest first (a critical alert before a high one). */
  rank?: (record: Tracked) => number;
}

/** The place a card is rendered for. */
export interface CardAudience {
  /** Set for a post: the place's name. */
  name?: string;
  /** The place's key (see `targetKey`), for posts and for updates of copies that recorded it. */
  place?: string;
}

/** What to queue posts of: a record's card, or a fixed card. */
export type PostContent = { subject: OutboxSubject } | { view: CardView; label: string };

/** The outbox in figures, for health, metrics and the log. */
export interface OutboxStats {
  depth: number;
  waiting: number;
  oldestAgeSeconds: number;
  oldestSendingAgeSeconds: number;
  deadLetters: number;
  /** Given up in the last hour: a pile of these is an incident even while storage is fine. */
  deadLettersLastHour: number;
  latestDeadLetter?: { at: string; place: string; platform: string; reason: string };
}

/** Most dead letters kept; older ones are in the log already. */
const MAX_DEAD = 1000;

/**
 * The persisted outbox. Everything here runs inside a state update, so the
 * items a change creates are written in the same storage commit as the change.
 * The worker (worker.ts) delivers them.
 */
export class Outbox {
  private readonly kinds = new Map<string, CardedKind>();
  /** Item ids being sent right now: an update queued meanwhile must be a new item, or its change would be lost. */
  readonly inFlight = new Set<string>();
  private wakeWorker: () => void = () => undefined;
  private readonly waiters = new Set<() => void>();
  private readonly index = new OutboxIndex(() => this.raw().outbox);

  constructor(
    private readonly deps: {
      store: StateStore<OutboxState>;
      clock: Clock;
      /** Route targets and people to concrete places on the connected platforms. */
      resolve: (publish: Publish) => ChannelTarget[];
      retryForHours: { alerts: number; other: number };
    },
  ) {
    deps.store.onOutsideChange?.((rows) => this.index.refresh(rows.filter((r) => r.collection === 'outbox').map((r) => r.id)));
  }

  register(kind: string, carded: CardedKind): void {
    this.kinds.set(kind, carded);
  }

  kind(kind: string): CardedKind | undefined {
    return this.kinds.get(kind);
  }

  /** Wakes the worker after something was queued outside a record change (dead letters replayed). */
  kick(): void {
    this.index.invalidate();
    this.wakeWorker();
  }

  /** Lets the worker be woken whenever something is queued. */
  onQueued(wake: () => void): void {
    this.wakeWorker = wake;
  }

  /**
   * The keeper hook for one kind of record: every change refreshes its copies,
   * and may post it to new places. The keeper's state is the whole state, of
   * which the outbox is a slice.
   */
  effects<T extends Tracked, S>(kind: string, rules: { publishFor?: RecordEffects<T, S>['publishFor']; notifyFor?: RecordEffects<T, S>['notifyFor']; /** More state the change brings in line (an escalation's SLA timers). */ alsoChanged?: (state: S, record: T) => void } = {}): RecordEffects<T, S> {
    const { alsoChanged, ...hooks } = rules;
    return {
      ...hooks,
      changed: (whole, record, publish, notify) => {
        alsoChanged?.(whole, record);
        const state = whole as unknown as OutboxState;
        this.queueUpdates(state, { kind, id: record.id }, record.copies);
        if (publish) this.queuePosts(state, { subject: { kind, id: record.id } }, this.deps.resolve(publish), { fallback: publish.fallback ?? false });
        for (const n of notify ?? []) {
          for (const person of new Set(n.people)) this.queuePosts(state, { view: n.message as CardView, label: `person:${person}` }, this.deps.resolve({ people: [person], area: '' }));
        }
      },
      committed: () => this.wakeWorker(),
    };
  }

  /** Queues posts to places that have neither a copy nor a queued post. Call inside a state update. */
  queuePosts(state: OutboxState, content: PostContent, places: ChannelTarget[], opts: { fallback?: boolean; adminAlert?: boolean } = {}): number {
    const record = 'subject' in content ? this.record(state, content.subject) : undefined;
    if ('subject' in content && !record) return 0;
    const held = new Set(record?.copies.map((c) => c.place));
    const kind = 'subject' in content ? this.kinds.get(content.subject.kind) : undefined;
    const urgent = record ? !!kind?.urgent?.(record) : false;
    const rank = record ? kind?.rank?.(record) : undefined;
    const label = 'subject' in content ? content.subject.id : content.label;
    let queued = 0;
    for (const place of places) {
      const placeKey = targetKey(place);
      // A record's card goes once to each place; fixed messages (notices) are each their own.
      const key = 'subject' in content ? `post:${label}:${placeKey}` : `post:${label}:${placeKey}:${(state.counters.OUT ?? 0) + 1}`;
      if (held.has(placeKey) || ('subject' in content && this.queued(key))) continue;
      this.add(state, {
        op: 'post', key, platform: place.platform, place, placeName: targetName(place), label, urgent, ...(rank !== undefined ? { rank } : {}),
        ...('subject' in content ? { subject: content.subject } : { view: content.view }),
        ...(opts.fallback ? { fallback: true } : {}), ...(opts.adminAlert ? { adminAlert: true } : {}),
      });
      queued += 1;
    }
    return queued;
  }

  /** Queues an update of each copy; a queued update not yet sent already renders the latest card, so it is kept. */
  queueUpdates(state: OutboxState, subject: OutboxSubject, copies: ReadonlyArray<CardCopy>): void {
    const record = this.record(state, subject);
    const urgent = record ? !!this.kinds.get(subject.kind)?.urgent?.(record) : false;
    const rank = record ? this.kinds.get(subject.kind)?.rank?.(record) : undefined;
    for (const copy of copies) {
      const key = `update:${copy.platform === 'teams' ? `${copy.conversationKey}/${copy.activityId}` : `${copy.channelId}/${copy.ts}`}`;
      if (this.queued(key, (i) => !this.inFlight.has(i.id))) continue;
      this.add(state, { op: 'update', key, platform: copy.platform, copy, placeName: copy.name ?? copy.place ?? copy.platform, label: subject.id, subject, urgent, ...(rank !== undefined ? { rank } : {}) });
    }
  }

  /**
   * The state as stored, for searching. Inside an update the state passed in
   * is a view that notes what was reached, so a change writes only what it
   * touched; a search through it would note (and rewrite) the whole outbox.
   * The view writes through, so this sees the change's own items too.
   */
  private raw(): OutboxState {
    return this.deps.store.read() as OutboxState;
  }

  /** The queued items, in groups that wait for the same pacing (see OutboxIndex.paceGroups). */
  paceGroups(): Iterable<Iterable<OutboxItem>> {
    return this.index.paceGroups();
  }

  /** Whether an item with this key is queued (and passes `also`). */
  private queued(key: string, also: (i: OutboxItem) => boolean = () => true): boolean {
    return this.index.withKey(key).some(also);
  }

  /** Takes an item out of the outbox (delivered, given up, or nothing left to send). Call inside a state update. */
  remove(state: OutboxState, id: string): void {
    delete state.outbox[id];
    this.index.forget(id);
  }

  /** Puts a failed item on the dead-letter list. Call inside a state update. */
  bury(state: OutboxState, item: OutboxItem, reason: string): DeadLetter {
    this.remove(state, item.id);
    const dead: DeadLetter = { ...item, deadAt: this.deps.clock.now().toISOString(), reason };
    state.deadLetters[item.id] = dead;
    const ids = Object.keys(this.raw().deadLetters);
    for (const old of ids.slice(0, Math.max(0, ids.length - MAX_DEAD))) delete state.deadLetters[old];
    return dead;
  }

  /** Where a record's card went: delivered (its copies), still pending (and why), or failed. */
  status(subject: OutboxSubject): DeliveryStatus {
    const state = this.deps.store.read();
    const record = this.record(state, subject);
    const posts = this.index.forSubject(subject).filter((i) => i.op === 'post').sort((a, b) => Number(a.id.slice(4)) - Number(b.id.slice(4)));
    const dead = Object.values(state.deadLetters).filter((i) => i.op === 'post' && i.subject?.id === subject.id && i.subject.kind === subject.kind);
    return {
      delivered: (record?.copies ?? []).map((c) => c.name ?? c.place ?? c.platform),
      pending: posts.map((i) => ({ place: i.placeName, state: i.waiting ? 'waiting' as const : i.lastError ? 'retrying' as const : 'sending' as const, reason: i.waiting ?? i.lastError ?? 'sending' })),
      failed: dead.map((i) => ({ place: i.placeName, reason: i.reason })),
      settled: posts.every((i) => i.attempts > 0 || !!i.waiting),
    };
  }

  /** Waits (at most `ms`) until every post for the subject has been tried once, then says where it went. */
  async settled(subject: OutboxSubject, ms: number): Promise<DeliveryStatus> {
    const deadline = Date.now() + ms;
    for (;;) {
      const s = this.status(subject);
      const left = deadline - Date.now();
      if (s.settled || left <= 0) return s;
      await new Promise<void>((resolve) => {
        const done = () => { clearTimeout(timer); this.waiters.delete(done); resolve(); };
        const timer = setTimeout(done, left);
        this.waiters.add(done);
      });
    }
  }

  /** Tells anyone waiting in `settled` that an attempt finished. */
  attempted(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Depth, oldest age and dead letters (with those of the last hour and the latest), for health, metrics and the log. */
  stats(): OutboxStats {
    const state = this.deps.store.read();
    const items = Object.values(state.outbox);
    const now = this.deps.clock.now().getTime();
    const age = (list: OutboxItem[]) => Math.round((now - list.reduce((m, i) => Math.min(m, Date.parse(i.createdAt)), now)) / 1000);
    const dead = Object.values(state.deadLetters);
    const hourAgo = new Date(now - 3_600_000).toISOString();
    const latest = dead.reduce<DeadLetter | undefined>((m, d) => (!m || d.deadAt > m.deadAt ? d : m), undefined);
    // Items waiting for a place nobody can reach yet are expected to be old; the oldest being sent is what says the outbox is stuck.
    return {
      depth: items.length, waiting: items.filter((i) => i.waiting).length, oldestAgeSeconds: age(items), oldestSendingAgeSeconds: age(items.filter((i) => !i.waiting)),
      deadLetters: dead.length, deadLettersLastHour: dead.filter((d) => d.deadAt >= hourAgo).length,
      ...(latest ? { latestDeadLetter: { at: latest.deadAt, place: latest.placeName, platform: latest.platform, reason: latest.reason } } : {}),
    };
  }

  private record(state: OutboxState, subject: OutboxSubject): Tracked | undefined {
    const collection = this.kinds.get(subject.kind)?.collection(state);
    return collection && Object.hasOwn(collection, subject.id) ? collection[subject.id] : undefined;
  }

  private add(state: OutboxState, item: Omit<OutboxItem, 'id' | 'createdAt' | 'giveUpAt' | 'attempts'>): void {
    const n = (state.counters.OUT ?? 0) + 1;
    state.counters.OUT = n;
    const now = this.deps.clock.now();
    const hours = item.urgent || item.subject?.kind === 'escalation' ? this.deps.retryForHours.alerts : this.deps.retryForHours.other;
    const id = `OUT-${n}`;
    const added: OutboxItem = { ...item, id, createdAt: now.toISOString(), giveUpAt: new Date(now.getTime() + hours * 3_600_000).toISOString(), attempts: 0 };
    state.outbox[id] = added;
    this.index.note(added);
  }
}
