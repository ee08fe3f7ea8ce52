import type { ForceConfig } from '../config/schema.ts';
import type { Clock } from '../domain/clock.ts';
import { isStaffed } from '../domain/coverage.ts';
import { CATEGORY_SEVERITY, type Escalation, type EscalationInput } from '../domain/escalation.ts';
import type { Escalations, RaiseOutcome } from '../domain/escalations.ts';
import type { Actor } from '../domain/people.ts';
import { DEFAULT_ROUTING, route } from '../domain/routing.ts';
import type { Alerts } from './alerts.ts';
import type { BackgroundTasks } from './background.ts';
import type { Sla } from './sla.ts';

/**
 * Raising an escalation from any intake (a chat dialog or the intake API):
 * route it on category × area × severity, add the out-of-hours route when
 * the desk is not staffed, start its SLA timers, and post the alerts after
 * the answer.
 */
export class Raising {
  constructor(
    private readonly deps: {
      config: Pick<ForceConfig, 'routing' | 'coverage'>;
      escalations: Escalations;
      alerts: Alerts;
      sla: Sla;
      tasks: BackgroundTasks;
      clock: Clock;
    },
  ) {}

  async raise(actor: Actor, input: EscalationInput): Promise<RaiseOutcome> {
    const { config, escalations, alerts, sla, tasks, clock } = this.deps;
    const outOfHours = !isStaffed(clock.now(), config.coverage);
    const decision = route({ ...input, severity: CATEGORY_SEVERITY[input.category] }, config.routing ?? DEFAULT_ROUTING, outOfHours);
    const outcome = await escalations.raise(actor, input, decision);
    if (outcome.kind === 'raised') {
      await sla.sync(outcome.escalation);
      tasks.run(`publish ${outcome.escalation.id}`, () => alerts.publish(outcome.escalation, decision.targets));
    }
    return outcome;
  }

  /** Where an escalation's alert goes, in words, for the raiser's confirmation. */
  destinations(e: Escalation): string[] {
    return this.deps.alerts.places(e.route.targets, e.area).map((p) => p.name ?? p.platform);
  }
}
