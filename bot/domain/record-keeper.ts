import type { StateStore } from '../../data/state-store.ts';
import type { RouteTarget } from '../config/schema-operations.ts';
import type { Clock } from './clock.ts';
import { applyWal, type AlsoChange, type CheckpointedLog, type CheckpointState, type Notify, type WalChange } from './checkpoint.ts';
import type { DecisionEntry } from './decision-log.ts';
import type { CardCopy, Stamp } from './escalation.ts';
import { KeyedLock } from './keyed-lock.ts';
import { identityKey, type Actor } from './people.ts';
import { authorise, type Action } from './policy.ts';
import { recordRefusal } from './refusals.ts';

/** A kept record: an id, and where its card was posted. */
export interface Tracked {
  id: string;
  copies: CardCopy[];
}

/**
 * Where finished records of a kind are kept out of hot state (see
 * data/archive-store.ts): read when one is asked for by id; a change to one
 * brings it back into state with its after-image.
 */
export interface RecordArchive<T> {
  /** A record the archive can read at once (lowdb: any; PostgreSQL: one read lately). */
  get(id: string): T | undefined;
  /** Reads one archived record where that needs I/O (a database). */
  load?(id: string): Promise<T | undefined>;
  /** Reads these into memory first, so `get` finds them (retention planning). */
  prefetch?(ids: readonly string[]): Promise<void>;
}

/** An archive the app moves records into, and disposes of them from. */
export interface WritableArchive<T> extends RecordArchive<T> {
  /** Written (and durable) before the caller drops the records from hot state. */
  put(records: readonly T[]): void | Promise<void>;
  remove(ids: readonly string[]): Promise<number>;
}

/**
 * Result of a change. `refused` (no permission, or a rule such as separation
 * of duties) is recorded; `invalid` (bad input) and `conflict` (the record
 * has moved on) are not.
 */
export type Outcome<T> =
  | { kind: 'done'; record: T }
  | { kind: 'not-found' }
  | { kind: 'refused' | 'invalid' | 'conflict'; reason: string; record: T };

/** Where a record's card should also be posted: route targets (channel groups, roles) and people. */
export interface Publish {
  targets?: RouteTarget[];
  people?: string[];
  /** The record's area, for area-scoped roles. */
  area: string;
  /** Posted because the routed places reached nobody in time. */
  fallback?: boolean;
}

/**
 * What a change does, once allowed: the log entry, the state change and any
 * new places for its card; or why not.
 */
export type Plan<T> =
  | { reject: 'invalid' | 'conflict' | 'refused'; reason: string; /** What a refusal records as attempted, when the change has no policy action of its own. */ attempted?: string }
  | { log: Omit<DecisionEntry, 'actor' | 'subject' | 'outcome'>; apply: (r: T, stamp: Stamp) => void; publish?: Publish; also?: (after: T) => AlsoChange[] };

/**
 * What a change to a carded record causes outside the record: card updates
 * and posts. `changed` runs inside the same state update as the change, so
 * the outbox items are committed with it; `committed` runs after the write.
 */
export interface RecordEffects<T, S> {
  changed(state: S, record: T, publish?: Publish, notify?: Notify[]): void;
  committed(): void;
  /** Where a kind's card goes after a change (an approval stage's approvers, a new owner), so the posts are part of the change. */
  publishFor?(record: T, action: string): Publish | undefined;
  /** Whom a change tells, and what (a requester that their request was approved), so the messages are part of the change. */
  notifyFor?(record: T, entry: DecisionEntry): Notify[] | undefined;
}

/** A change made ready to write: its log entry, the record after it, and what else it writes. */
interface Prepared<T> {
  entry: DecisionEntry;
  after: T;
  given?: Omit<WalChange, 'collection' | 'id' | 'value'>;
}

/** A creation refused because its index entry (an idempotency key) was already written. */
export class IndexTaken extends Error {
  constructor(readonly collection: string, readonly key: string) {
    super(`${collection} already holds ${key}`);
  }
}

/**
 * Keeps one kind of record (account requests, accounts, impersonation cases)
 * the way escalations are kept: a per-record lock, the policy table, the
 * decision log written first, state second.
 */
export class RecordKeeper<T extends Tracked, S extends { counters: Record<string, number> } & CheckpointState> {
  private readonly lock = new KeyedLock();

  constructor(
    private readonly deps: {
      store: StateStore<S>;
      /** The state key of this kind's collection, e.g. `escalations`: named in each log record, so it can be replayed. */
      collection: string;
      subject: string;
      prefix: string;
      log: CheckpointedLog;
      clock: Clock;
      effects?: RecordEffects<T, S>;
      archive?: RecordArchive<T> | WritableArchive<T>;
    },
  ) {}

  /** One record (or creation) at a time: in this process, and across instances where the storage is shared. */
  private exclusive<R>(key: string, fn: () => Promise<R>): Promise<R> {
    const { store } = this.deps;
    return this.lock.run(key, () => (store.exclusive ? store.exclusive(`${this.deps.collection}:${key}`, fn) : fn()));
  }

  private records(s: S): Record<string, T> {
    return (s as unknown as Record<string, Record<string, T>>)[this.deps.collection]!;
  }

  /**
   * Writes a change: the log record (carrying the after-image, so it can be
   * applied again after a crash), then state in one write with the outbox
   * items the change causes and the checkpoint. Only then is anyone told.
   * `prepare` makes the change from state as it stands when the write is
   * made: inside the transaction where the backend has one (PostgreSQL), so
   * a new id is allocated under the database's write lock, not a lock of its own.
   */
  private async commit(prepare: (s: Readonly<S>) => Prepared<T>): Promise<T> {
    let made: { wal: WalChange; after: T; extra: Omit<WalChange, 'collection' | 'id' | 'value'> } | undefined;
    const entryFrom = (s: Readonly<S>): DecisionEntry => {
      const { entry, after, given = {} } = prepare(s);
      const publish = given.publish ?? this.deps.effects?.publishFor?.(after, entry.action);
      const notify = this.deps.effects?.notifyFor?.(after, entry);
      const extra = { ...given, ...(publish ? { publish } : {}), ...(notify?.length ? { notify } : {}) };
      const wal: WalChange = { collection: this.deps.collection, id: after.id, value: after, ...extra };
      made = { wal, after, extra };
      // A restricted record (a PSD-related case) says so in its envelope, so every view of the log can withhold it.
      const restricted = (after as { restricted?: unknown }).restricted === true;
      return { ...entry, wal, ...(restricted ? { restricted } : {}) };
    };
    const apply = (s: S, seq: number) => {
      const { wal, after, extra } = made!;
      applyWal(s as unknown as Record<string, unknown> & { counters: Record<string, number> }, wal);
      this.deps.effects?.changed(s, this.records(s)[after.id]!, extra.publish as Publish | undefined, extra.notify);
      this.deps.log.checkpoint.markApplied(seq);
      this.deps.log.checkpoint.advance(s);
    };
    if (this.deps.log.appendWith) await this.deps.log.appendWith<S>(entryFrom, this.deps.store, (s, record) => apply(s, record.seq));
    else {
      const record = await this.deps.log.append(entryFrom(this.deps.store.read()));
      await this.deps.store.update((s) => apply(s, record.seq));
    }
    this.deps.effects?.committed();
    return structuredClone(made!.after);
  }

  get(id: string): T | undefined {
    const all = this.records(this.deps.store.read() as S);
    // Own properties only: an id such as "__proto__" or "constructor" is simply not found.
    if (Object.hasOwn(all, id)) return structuredClone(all[id]!);
    return this.deps.archive?.get(id);
  }

  /** Like `get`, but also reads an archived record that needs I/O to read. */
  async fetch(id: string): Promise<T | undefined> {
    const hot = this.get(id);
    if (hot || !this.deps.archive?.load) return hot;
    return this.deps.archive.load(id);
  }

  /**
   * Moves records finished before `cutoff` (`finishedAt` says when, or
   * undefined while a record is still open) out of hot state into the
   * archive, so what each change rewrites stays the size of current work.
   * The archive is written (and made durable) first; a record changed
   * meanwhile (reopened) stays. `keep` holds back those still needed in state.
   */
  async archiveFinished(finishedAt: (r: T) => string | undefined, cutoff: string, keep: (r: T) => boolean = () => false): Promise<number> {
    const archive = this.deps.archive;
    if (!archive || !('put' in archive)) return 0;
    const due = this.all().filter((r) => { const at = finishedAt(r); return at !== undefined && at < cutoff && !keep(r); });
    if (!due.length) return 0;
    await archive.put(due);
    const images = new Map(due.map((r) => [r.id, JSON.stringify(r)]));
    return this.deps.store.update((s) => {
      const all = this.records(s);
      let moved = 0;
      for (const [id, image] of images) {
        if (Object.hasOwn(all, id) && JSON.stringify(all[id]) === image) {
          delete all[id];
          moved += 1;
        }
      }
      return moved;
    });
  }

  /** The records in hot state: open work and recently finished. Archived records are reached by id only. */
  all(): T[] {
    return Object.values(this.records(this.deps.store.read() as S)).map((r) => structuredClone(r));
  }

  /**
   * Creates a record with the next id, logging `action` with `details`, and
   * posts its card where `publish` says. The id's counter, and any `index`
   * entry (an intake idempotency key), are in the same log record, so a crash
   * can neither hand the id out twice nor lose the key. An `index` entry
   * already taken (another instance got there first) refuses the creation
   * with `IndexTaken`.
   */
  async create(actor: Actor, action: string, build: (id: string, stamp: Stamp) => T, details: (r: T) => Record<string, unknown>, publish?: Publish, index?: (r: T) => WalChange['index'], also?: (r: T) => AlsoChange[]): Promise<T> {
    const { prefix } = this.deps;
    const stamp = this.stamp(actor);
    const prepare = (s: Readonly<S>): Prepared<T> => {
      const n = (s.counters[prefix] ?? 0) + 1;
      const record = build(`${prefix}-${String(n).padStart(5, '0')}`, stamp);
      const idx = index?.(record);
      if (idx && Object.hasOwn((s as unknown as Record<string, object>)[idx.collection] ?? {}, idx.key)) throw new IndexTaken(idx.collection, idx.key);
      const entry: DecisionEntry = { action, outcome: 'done', actor: actorRef(actor), subject: { type: this.deps.subject, id: record.id }, details: details(record) };
      const extra = also?.(record) ?? [];
      return { entry, after: record, given: { counter: { prefix, n }, ...(publish ? { publish } : {}), ...(idx ? { index: idx } : {}), ...(extra.length ? { also: extra } : {}) } };
    };
    // A backend that commits the record with its state takes the id inside its transaction; otherwise
    // creations in this process take turns (lowdb has one process per DATA_DIR).
    if (this.deps.log.appendWith) return this.commit(prepare);
    return this.lock.run(`create:${prefix}`, () => this.commit(prepare));
  }

  /** Changes one record if the policy table (when `action` is given) and the plan allow it. */
  change(actor: Actor, id: string, action: Action | undefined, plan: (r: T) => Plan<T>, area?: (r: T) => string | undefined): Promise<Outcome<T>> {
    return this.exclusive(id, async () => {
      const current = await this.fetch(id);
      if (!current) return { kind: 'not-found' };
      const subject = { type: this.deps.subject, id };
      if (action && actor.via.platform !== 'system') {
        const a = area?.(current);
        const verdict = authorise(actor.person, action, a ? { area: a } : {});
        if (!verdict.allowed) {
          await recordRefusal(this.deps.log, actor, action, verdict.reason, subject);
          return { kind: 'refused', reason: verdict.reason, record: current };
        }
      }
      const p = plan(current);
      if ('reject' in p) {
        if (p.reject === 'refused') await recordRefusal(this.deps.log, actor, action ?? p.attempted ?? `${this.deps.subject}.change`, p.reason, subject);
        return { kind: p.reject, reason: p.reason, record: current };
      }
      const after = structuredClone(current);
      p.apply(after, this.stamp(actor));
      // Copies posted while this change waited for the log are kept: the after-image carries the record's fields, the copies are the outbox's.
      const also = p.also?.(after) ?? [];
      const entry: DecisionEntry = { ...p.log, outcome: 'done', actor: actorRef(actor), subject };
      const updated = await this.commit(() => ({ entry, after, given: { ...(p.publish ? { publish: p.publish } : {}), ...(also.length ? { also } : {}) } }));
      return { kind: 'done', record: updated };
    });
  }

  /** Posts a record's card to more places (those without a copy yet), without changing the record. */
  async publish(id: string, publish: Publish): Promise<void> {
    await this.exclusive(id, () => this.deps.store.update((s) => {
      const all = this.records(s);
      if (Object.hasOwn(all, id)) this.deps.effects?.changed(s, all[id]!, publish);
    }));
    this.deps.effects?.committed();
  }

  private stamp(actor: Actor): Stamp {
    return { personId: actor.person.id, name: actor.person.name, via: actor.via, at: this.deps.clock.now().toISOString() };
  }
}

/** How an actor appears in the decision log. */
export function actorRef(actor: Actor): { personId: string; name: string; identity: string } {
  return { personId: actor.person.id, name: actor.person.name, identity: identityKey(actor.via) };
}
