import { notice } from '../../cards/notice/model.ts';
import type { DeliveryConfig } from '../config/schema-operations.ts';
import type { Clock } from '../domain/clock.ts';
import type { Notify } from '../domain/checkpoint.ts';
import type { DecisionEntry } from '../domain/decision-log.ts';
import type { Escalation } from '../domain/escalation.ts';
import type { Escalations } from '../domain/escalations.ts';

const URGENT = new Set(['critical', 'high']);

/**
 * The last line for urgent alerts: a critical or high escalation whose alert
 * has reached no routed place within the configured time also goes to the
 * fallback places (marked "delivered by fallback"), the decision is recorded,
 * and the raiser is told to phone. Runs with the timers, on the injected clock.
 */
export class DeliveryFallback {
  constructor(
    private readonly deps: {
      config: DeliveryConfig;
      escalations: Escalations;
      clock: Clock;
      /** Of these people, those who may be called in now (the directory's recipients). */
      callable: (ids: readonly string[]) => string[];
    },
  ) {}

  async tick(): Promise<number> {
    const { config, escalations, clock } = this.deps;
    const { afterMinutes, targets } = config.fallback;
    // Chosen now, so the record names who was actually sent it (nobody suspended or gone).
    const people = this.deps.callable(config.fallback.people);
    if (!targets.length && !people.length) return 0;
    const cutoff = clock.now().getTime() - afterMinutes * 60_000;
    let fired = 0;
    for (const e of escalations.all()) {
      if (e.status === 'closed' || !URGENT.has(e.severity) || e.fallback || e.copies.length || Date.parse(e.raised.at) > cutoff) continue;
      const outcome = await escalations.fallback(e.id, { targets, people }, afterMinutes);
      if (outcome.kind === 'done') fired += 1;
    }
    return fired;
  }

  /** The raiser is told, with the fallback itself, that the alert reached no one and to phone. */
  notifyFor(e: Escalation, entry: DecisionEntry): Notify[] | undefined {
    if (entry.action !== 'escalation.delivery_fallback') return undefined;
    const { afterMinutes } = this.deps.config.fallback;
    return [{
      people: [e.raised.personId],
      message: { kind: 'notice', model: notice('error', `${e.id} has not reached anyone`,
        `No routed place had received your ${e.severity} escalation after ${afterMinutes} minutes, so it has been sent to the fallback places as well.`,
        this.deps.config.deskPhone ? `Phone the digital desk now on ${this.deps.config.deskPhone}.` : 'Phone the digital desk supervisor now.') },
    }];
  }
}
