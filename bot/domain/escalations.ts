import type { StateStore } from '../../data/state-store.ts';
import type { Clock } from './clock.ts';
import type { DecisionLog } from './decision-log.ts';
import { CATEGORY_SEVERITY, type CardCopy, type Escalation, type EscalationInput, type Stamp } from './escalation.ts';
import { KeyedLock } from './keyed-lock.ts';
import { identityKey, type Actor } from './people.ts';
import { authorise } from './policy.ts';
import { recordRefusal } from './refusals.ts';

/** The slice of state escalations own. */
export interface EscalationState {
  escalations: Record<string, Escalation>;
  counters: { escalation: number };
}

/** Result of raising an escalation. */
export type RaiseOutcome = { kind: 'raised'; escalation: Escalation } | { kind: 'refused'; reason: string };

/** Result of acknowledging: the winner, the one who was too late, or a refusal. */
export type AcknowledgeOutcome =
  | { kind: 'acknowledged'; escalation: Escalation }
  | { kind: 'already'; escalation: Escalation }
  | { kind: 'not-found' }
  | { kind: 'refused'; reason: string; escalation: Escalation };

/**
 * Raising and acknowledging escalations. Each decision is written to the
 * decision log first, then to state, so the log never misses a decision
 * that state shows.
 */
export class Escalations {
  private readonly lock = new KeyedLock();

  constructor(
    private readonly store: StateStore<EscalationState>,
    private readonly log: DecisionLog,
    private readonly clock: Clock,
  ) {}

  get(id: string): Escalation | undefined {
    return this.store.read().escalations[id];
  }

  async raise(actor: Actor, input: EscalationInput): Promise<RaiseOutcome> {
    const verdict = authorise(actor.person, 'escalation.raise');
    if (!verdict.allowed) {
      await recordRefusal(this.log, actor, 'escalation.raise', verdict.reason);
      return { kind: 'refused', reason: verdict.reason };
    }
    return this.lock.run('raise', async () => {
      const n = this.store.read().counters.escalation + 1;
      const escalation: Escalation = {
        ...input,
        id: `ESC-${String(n).padStart(5, '0')}`,
        severity: CATEGORY_SEVERITY[input.category],
        status: 'open',
        raised: this.stamp(actor),
        copies: [],
      };
      await this.log.append({
        action: 'escalation.raised',
        outcome: 'done',
        actor: actorRef(actor),
        subject: { type: 'escalation', id: escalation.id },
        details: { ...input, severity: escalation.severity },
      });
      await this.store.update((s) => {
        s.counters.escalation = n;
        s.escalations[escalation.id] = escalation;
      });
      return { kind: 'raised', escalation: structuredClone(escalation) };
    });
  }

  async acknowledge(actor: Actor, id: string): Promise<AcknowledgeOutcome> {
    return this.lock.run(id, async () => {
      const current = this.get(id);
      if (!current) return { kind: 'not-found' };
      const verdict = authorise(actor.person, 'escalation.acknowledge', { area: current.area });
      if (!verdict.allowed) {
        await recordRefusal(this.log, actor, 'escalation.acknowledge', verdict.reason, { type: 'escalation', id });
        return { kind: 'refused', reason: verdict.reason, escalation: structuredClone(current) };
      }
      if (current.acknowledged) return { kind: 'already', escalation: structuredClone(current) };
      const stamp = this.stamp(actor);
      await this.log.append({
        action: 'escalation.acknowledged',
        outcome: 'done',
        actor: actorRef(actor),
        subject: { type: 'escalation', id },
      });
      const updated = await this.store.update((s) => {
        const e = s.escalations[id]!;
        e.status = 'acknowledged';
        e.acknowledged = stamp;
        return structuredClone(e);
      });
      return { kind: 'acknowledged', escalation: updated };
    });
  }

  /** Remembers where a card copy was posted so later changes update it in place. */
  async addCopies(id: string, copies: CardCopy[]): Promise<void> {
    if (!copies.length) return;
    await this.lock.run(id, () =>
      this.store.update((s) => {
        s.escalations[id]?.copies.push(...copies);
      }),
    );
  }

  private stamp(actor: Actor): Stamp {
    return { personId: actor.person.id, name: actor.person.name, via: actor.via, at: this.clock.now().toISOString() };
  }
}

/** How an actor appears in the decision log. */
export function actorRef(actor: Actor): { personId: string; name: string; identity: string } {
  return { personId: actor.person.id, name: actor.person.name, identity: identityKey(actor.via) };
}
