import type { StateStore } from '../../data/state-store.ts';
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

/** What a change does, once allowed: the log entry and the state change, or why not. */
export type Plan<T> =
  | { reject: 'invalid' | 'conflict' | 'refused'; reason: string }
  | { log: Omit<DecisionEntry, 'actor' | 'subject' | 'outcome'>; apply: (r: T, stamp: Stamp) => void };

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
    },
  ) {}

  get(id: string): T | undefined {
    const r = this.deps.collection(this.deps.store.read() as S)[id];
    return r ? structuredClone(r) : undefined;
  }

  all(): T[] {
    return Object.values(this.deps.collection(this.deps.store.read() as S)).map((r) => structuredClone(r));
  }

  /** Creates a record with the next id, logging `action` with `details`. */
  async create(actor: Actor, action: string, build: (id: string, stamp: Stamp) => T, details: (r: T) => Record<string, unknown>): Promise<T> {
    return this.lock.run(`create:${this.deps.prefix}`, async () => {
      const n = (this.deps.store.read().counters[this.deps.prefix] ?? 0) + 1;
      const record = build(`${this.deps.prefix}-${String(n).padStart(5, '0')}`, this.stamp(actor));
      await this.deps.log.append({ action, outcome: 'done', actor: actorRef(actor), subject: { type: this.deps.subject, id: record.id }, details: details(record) });
      await this.deps.store.update((s) => {
        s.counters[this.deps.prefix] = n;
        this.deps.collection(s)[record.id] = record;
      });
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
        return structuredClone(r);
      });
      return { kind: 'done', record: updated };
    });
  }

  /** Remembers where a card copy was posted so later changes update it in place. */
  async addCopies(id: string, copies: CardCopy[]): Promise<void> {
    if (!copies.length) return;
    await this.lock.run(id, () => this.deps.store.update((s) => { this.deps.collection(s)[id]?.copies.push(...copies); }));
  }

  private stamp(actor: Actor): Stamp {
    return { personId: actor.person.id, name: actor.person.name, via: actor.via, at: this.deps.clock.now().toISOString() };
  }
}

/** How an actor appears in the decision log. */
export function actorRef(actor: Actor): { personId: string; name: string; identity: string } {
  return { personId: actor.person.id, name: actor.person.name, identity: identityKey(actor.via) };
}
