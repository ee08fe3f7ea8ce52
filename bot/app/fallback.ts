import { notice } from '../../cards/notice/model.ts';
import type { DeliveryConfig } from '../config/schema-operations.ts';
import type { Clock } from '../domain/clock.ts';
import type { Escalations } from '../domain/escalations.ts';
import type { Directory } from '../domain/people.ts';
import type { Delivery } from './delivery.ts';

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
      delivery: Delivery;
      directory: Directory;
      clock: Clock;
    },
  ) {}

  async tick(): Promise<number> {
    const { config, escalations, clock } = this.deps;
    const { afterMinutes, targets, people } = config.fallback;
    if (!targets.length && !people.length) return 0;
    const cutoff = clock.now().getTime() - afterMinutes * 60_000;
    let fired = 0;
    for (const e of escalations.all()) {
      if (e.status === 'closed' || !URGENT.has(e.severity) || e.fallback || e.copies.length || Date.parse(e.raised.at) > cutoff) continue;
      const outcome = await escalations.fallback(e.id, { targets, people }, afterMinutes);
      if (outcome.kind !== 'done') continue;
      fired += 1;
      const raiser = this.deps.directory.get(e.raised.personId);
      if (raiser) {
        await this.deps.delivery.tell(raiser, notice('error', `${e.id} has not reached anyone`,
          `No routed place had received your ${e.severity} escalation after ${afterMinutes} minutes, so it has been sent to the fallback places as well.`,
          config.deskPhone ? `Phone the digital desk now on ${config.deskPhone}.` : 'Phone the digital desk supervisor now.'));
      }
    }
    return fired;
  }
}
