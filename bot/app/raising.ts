import type { ForceConfig } from '../config/schema.ts';
import type { Clock } from '../domain/clock.ts';
import { isStaffed } from '../domain/coverage.ts';
import { CATEGORY_SEVERITY, SEVERITIES, type Escalation, type EscalationInput, type Severity } from '../domain/escalation.ts';
import type { Escalations, RaiseOutcome } from '../domain/escalations.ts';
import type { Actor } from '../domain/people.ts';
import { DEFAULT_ROUTING, route } from '../domain/routing.ts';
import type { Alerts } from './alerts.ts';
import type { WalChange } from '../domain/checkpoint.ts';
import type { DeliveryStatus } from './outbox/types.ts';

/** How long a confirmation waits for delivery: Slack must have its answer within 3 s. */
export const CONFIRMATION_WAIT_MS = 1500;

/**
 * Raising an escalation from any intake (a chat dialog or the intake API):
 * route it on category × area × severity, add the out-of-hours route when
 * the desk is not staffed, and start its SLA timers. Its alerts are queued
 * in the outbox in the same commit as the escalation.
 */
export class Raising {
  constructor(
    private readonly deps: {
      config: Pick<ForceConfig, 'routing' | 'coverage'>;
      escalations: Escalations;
      alerts: Alerts;
      clock: Clock;
      /** The surge in force now (the highest level if several), and the severity from which escalations go into its digest. */
      surge?: () => { id: string; level: number; digestFrom: Severity } | undefined;
    },
  ) {}

  /** Raises; `index` names an entry (an intake idempotency key) to write in the same log record. */
  async raise(actor: Actor, input: EscalationInput, index?: (e: Escalation) => WalChange['index']): Promise<RaiseOutcome> {
    const { config, escalations, clock } = this.deps;
    const outOfHours = !isStaffed(clock.now(), config.coverage);
    const severity = CATEGORY_SEVERITY[input.category];
    const decision = route({ ...input, severity }, config.routing ?? DEFAULT_ROUTING, outOfHours);
    const surge = this.deps.surge?.();
    const digest = !!surge && SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(surge.digestFrom);
    // Its SLA timers are written with it (see alignTimers).
    return escalations.raise(actor, input, decision, index, surge ? { id: surge.id, level: surge.level, digest } : undefined);
  }

  /**
   * Where the alert really went, for the raiser: waits briefly for a first
   * attempt at each place (inside the platforms' answer deadlines), so the
   * confirmation says delivered only where it was.
   */
  delivery(e: Escalation, ms = CONFIRMATION_WAIT_MS): Promise<DeliveryStatus> {
    return this.deps.alerts.settled(e, ms);
  }

  /** The same, by id. */
  deliveryOf(id: string, ms = CONFIRMATION_WAIT_MS): Promise<DeliveryStatus> {
    return this.deps.alerts.settledById(id, ms);
  }
}
