import { leaverSignalCard } from '../../cards/leaver-signal/model.ts';
import type { DecisionLog } from '../domain/decision-log.ts';
import { actorRef, SYSTEM_ACTOR } from '../domain/escalations.ts';
import type { LeaverCases } from '../domain/leavers.ts';
import type { Directory, Person } from '../domain/people.ts';
import type { Delivery } from './delivery.ts';
import type { LeaverRegister } from './leaver-register.ts';
import type { SeenEvents } from './seen-events.ts';

const PLATFORM_NAMES = { slack: 'Slack', teams: 'the force’s Microsoft Teams team' } as const;

/**
 * The platforms tell us first: when Slack reports a user deactivated or
 * Teams a member removed from the force's team, and that person holds
 * Bluedesk roles or is on an account in the register, information security
 * gets a card offering to start a leaver case for them, pre-filled. It is
 * how a leaver is caught when nobody files the form. Each signal is recorded,
 * and offered once a day per person and platform while no case is open.
 */
export class LeaverSignals {
  constructor(
    private readonly deps: { cases: LeaverCases; register: LeaverRegister; directory: Directory; delivery: Delivery; seen: SeenEvents; log: DecisionLog },
  ) {}

  async removed(platform: 'slack' | 'teams', person: Person): Promise<void> {
    const configured = this.deps.directory.configured(person.id);
    const accounts = this.deps.register.live().filter((a) => a.ownerId === person.id || a.adminIds.includes(person.id));
    if (!configured?.roles.length && !accounts.length) return;
    if (this.deps.cases.all().some((c) => c.status === 'open' && c.personId === person.id)) return;
    if (!(await this.deps.seen.firstTime(`leaver-signal:${platform}:${person.id}`))) return;
    const where = PLATFORM_NAMES[platform];
    await this.deps.log.append({
      action: 'leaver.platform_removed', outcome: 'done', actor: actorRef(SYSTEM_ACTOR), subject: { type: 'person', id: person.id },
      details: { platform, accounts: accounts.map((a) => a.id) },
    });
    const card = leaverSignalCard({ personId: person.id, name: person.name, where, roles: configured?.roles.length ?? 0, accounts: accounts.map((a) => `${a.platform} @${a.handle}`) });
    const infosec = this.deps.directory.withRole('information_security').filter((p) => p.id !== person.id).map((p) => p.id);
    await this.deps.delivery.tellIds(infosec, { kind: 'case', model: card });
  }
}
