import type { StateStore } from '../../data/state-store.ts';
import type { RouteTarget } from '../config/schema-operations.ts';
import type { Clock } from './clock.ts';
import type { DecisionEntry, DecisionLog } from './decision-log.ts';
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
  | { reject: 'invalid' | 'conflict' | 'refused'; reason: string }
  | { log: Omit<DecisionEntry, 'actor' | 'subject' | 'outcome'>; apply: (r: T, stamp: Stamp) => void; publish?: Publish };

/**
 * What a change to a carded record causes outside the record: card updates
 * and posts. `changed` runs inside the same state update as the change, so
 * the outbox items are committed with it; `committed` runs after the write.
 */
export interface RecordEffects<T, S> {
  changed(state: S, record: T, publish?: Publish): void;
  committed(): void;
}

/**
 * Keeps one kind of record (account requests, accounts, impersonation cases)
 * the way escalations are kept: a per-record lock, the policy table, the
 * decision log written first, state second.
 */
export class RecordKeeper<T extends Tracked, S extends { counters: Record<string, number> }> {
  private readonly lock = new KeyedLock();

  constructor(
    private readonly deps: {
      store: StateStore<S>;
      collection: (s: S) => Record<string, T>;
      subject: string;
      prefix: string;
      log: DecisionLog;
      clock: Clock;
      effects?: RecordEffects<T, S>;
    },
  ) {}

  get(id: string): T | undefined {
    const all = this.deps.collection(this.deps.store.read() as S);
    // Own properties only: an id such as "__proto__" or "constructor" is simply not found.
    return Object.hasOwn(all, id) ? structuredClone(all[id]!) : undefined;
  }

  all(): T[] {
    return Object.values(this.deps.collection(this.deps.store.read() as S)).map((r) => structuredClone(r));
  }

  /** Creates a record with the next id, logging `action` with `details`, and posts its card where `publish` says. */
  async create(actor: Actor, action: string, build: (id: string, stamp: Stamp) => T, details: (r: T) => Record<string, unknown>, publish?: Publish): Promise<T> {
    return this.lock.run(`create:${this.deps.prefix}`, async () => {
      const n = (this.deps.store.read().counters[this.deps.prefix] ?? 0) + 1;
      const record = build(`${this.deps.prefix}-${String(n).padStart(5, '0')}`, this.stamp(actor));
      await this.deps.log.append({ action, outcome: 'done', actor: actorRef(actor), subject: { type: this.deps.subject, id: record.id }, details: details(record) });
      await this.deps.store.update((s) => {
        s.counters[this.deps.prefix] = n;
        this.deps.collection(s)[record.id] = structuredClone(record);
        this.deps.effects?.changed(s, record, publish);
      });
      this.deps.effects?.committed();
      return structuredClone(record);
    });
  }

  /** Changes one record if the policy table (when `action` is given) and the plan allow it. */
  change(actor: Actor, id: string, action: Action | undefined, plan: (r: T) => Plan<T>, area?: (r: T) => string | undefined): Promise<Outcome<T>> {
    return this.lock.run(id, async () => {
      const current = this.get(id);
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
        if (p.reject === 'refused') await recordRefusal(this.deps.log, actor, action ?? `${this.deps.subject}.change`, p.reason, subject);
        return { kind: p.reject, reason: p.reason, record: current };
      }
      const stamp = this.stamp(actor);
      await this.deps.log.append({ ...p.log, outcome: 'done', actor: actorRef(actor), subject });
      const updated = await this.deps.store.update((s) => {
        const r = this.deps.collection(s)[id]!;
        p.apply(r, stamp);
        this.deps.effects?.changed(s, r, p.publish);
        return structuredClone(r);
      });
      this.deps.effects?.committed();
      return { kind: 'done', record: updated };
    });
  }

  /** Posts a record's card to more places (those without a copy yet), without changing the record. */
  async publish(id: string, publish: Publish): Promise<void> {
    await this.lock.run(id, () => this.deps.store.update((s) => {
      const r = this.deps.collection(s)[id];
      if (r && Object.hasOwn(this.deps.collection(s), id)) this.deps.effects?.changed(s, r, publish);
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
