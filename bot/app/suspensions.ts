import { notice } from '../../cards/notice/model.ts';
import type { Notify } from '../domain/checkpoint.ts';
import type { DecisionEntry } from '../domain/decision-log.ts';
import type { Escalation } from '../domain/escalation.ts';
import { SYSTEM_ACTOR, type Escalations } from '../domain/escalations.ts';
import type { LeaverCase } from '../domain/leaver-types.ts';
import type { LeaverCases } from '../domain/leavers.ts';
import type { Directory } from '../domain/people.ts';
import { authorise } from '../domain/policy.ts';

/**
 * What happens when a PSD-related case suspends someone's roles (the
 * suspension itself is written with the case): work waiting on them moves
 * to others. Escalations they own go back to being unowned, with their card
 * sent to the other holders of their roles who can act on it, who are told;
 * offboarding items assigned to them go to information security. Nothing
 * said to anyone gives the reason.
 */
export class Suspensions {
  constructor(private readonly deps: { cases: LeaverCases; escalations: Escalations; directory: Directory }) {}

  async suspended(c: LeaverCase): Promise<void> {
    const personId = c.personId;
    if (!personId) return;
    const configured = this.deps.directory.configured(personId)?.roles ?? [];
    for (const other of this.deps.cases.all().filter((x) => x.status === 'open')) {
      if (other.items.some((i) => !i.done && 'personId' in i.assignee && i.assignee.personId === personId)) await this.deps.cases.reassignFrom(SYSTEM_ACTOR, other.id, personId);
    }
    for (const e of this.deps.escalations.all().filter((x) => x.status !== 'closed' && x.owner?.personId === personId)) {
      const to = this.deps.directory.all()
        .filter((p) => p.id !== personId && p.roles.some((r) => configured.includes(r)) && authorise(p, 'escalation.decide', { area: e.area }).allowed)
        .map((p) => p.id);
      // Nobody else holds their roles: the desk leads take it.
      const fallback = this.deps.directory.all().filter((p) => p.id !== personId && authorise(p, 'escalation.assign').allowed).map((p) => p.id);
      await this.deps.escalations.releaseOwner(e.id, personId, to.length ? to : fallback);
    }
  }

  /**
   * Moves work off everyone an open PSD-related case suspends. Run at
   * start-up: the moves are written after the case that causes them, so a
   * crash in between is finished here. Each move is idempotent.
   */
  async reconcile(): Promise<void> {
    for (const c of this.deps.cases.all().filter((x) => x.status === 'open' && x.psd === 'yes')) await this.suspended(c);
  }

  /** The message that goes with a released escalation, written with the change. */
  static notifyFor(e: Escalation, entry: DecisionEntry): Notify[] | undefined {
    if (entry.action !== 'escalation.owner_unavailable') return undefined;
    const to = ((entry.details as { to?: string[] } | undefined)?.to ?? []);
    return [{
      people: to,
      message: { kind: 'notice', model: notice('warning', `${e.id} needs a new owner`, `Its owner is no longer available, so it has come back to the holders of their role. It is ${e.status}, ${e.severity}.`, 'Open its card (just sent to you) to assign it or take it on.') },
    }];
  }
}
