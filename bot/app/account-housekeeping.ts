import { notice } from '../../cards/notice/model.ts';
import type { StateStore } from '../../data/state-store.ts';
import type { AccountsConfig } from '../config/schema-operations.ts';
import { ukDate, type AccountDomain } from '../domain/account-domain.ts';
import type { Account } from '../domain/account-types.ts';
import type { Clock } from '../domain/clock.ts';
import type { DecisionLog } from '../domain/decision-log.ts';
import { SYSTEM_ACTOR } from '../domain/escalations.ts';
import { actorRef } from '../domain/record-keeper.ts';
import type { AccountFlows } from './account-flows.ts';
import type { CasePublisher } from './case-publisher.ts';
import type { ImpersonationFlows } from './impersonation-flows.ts';

/** When each reminder was last sent (UK date), so each goes at most once a day. */
export interface HousekeepingState {
  reminders: Record<string, string>;
}

const DAY = 24 * 60 * 60 * 1000;
const daysBetween = (from: string, to: string) => Math.floor((Date.parse(to) - Date.parse(from)) / DAY);

/**
 * The register's calendar, run with the SLA timers on the injected clock:
 * closures take effect on their date; owners are reminded when a review is
 * due and re-prompted while verification is pending; reviews overdue by more
 * than N days go to corporate comms; open impersonation cases are chased.
 * Each reminder goes at most once a UK day and is recorded.
 */
export class AccountHousekeeping {
  constructor(
    private readonly deps: {
      domain: AccountDomain;
      config: AccountsConfig;
      flows: AccountFlows;
      impersonation: ImpersonationFlows;
      publisher: CasePublisher;
      store: StateStore<HousekeepingState>;
      log: DecisionLog;
      clock: Clock;
    },
  ) {}

  async tick(): Promise<number> {
    const { domain, config, flows, publisher } = this.deps;
    const today = ukDate(this.deps.clock.now());
    let done = 0;
    // Each owner is told with the closure itself (AccountFlows.notifyFor).
    done += (await domain.accounts.closeDue(SYSTEM_ACTOR)).length;
    for (const a of domain.accounts.all().filter((x) => x.state === 'active')) {
      if (a.reviewDate <= today && (await this.once(`review:${a.id}`, today, a.id, 'account.review_reminded'))) {
        // The account card itself carries "Still needed" and "Close account".
        await publisher.tell([a.ownerId], flows.accountView(a));
        await publisher.tell([a.ownerId], notice('warning', `Review due for @${a.handle}`, `Its review date was ${a.reviewDate}. Confirm it is still needed, or start its closure, from the card.`));
        done += 1;
      }
      if (daysBetween(a.reviewDate, today) > config.reviewOverdueDays && (await this.once(`overdue:${a.id}`, today, a.id, 'account.review_overdue'))) {
        await domain.accounts.publish(a.id, { targets: config.approvers.comms, area: a.area });
        done += 1;
      }
      if (a.verified === 'applied' && this.setupAge(a, today) >= config.verificationRepromptDays && (await this.once(`verify:${a.id}`, today, a.id, 'account.verification_reprompted'))) {
        await publisher.tell([a.ownerId], notice('info', `Verification for @${a.handle}`, 'Verification was applied for but is not yet granted. Chase it with the platform, and update the register when it is granted.'));
        done += 1;
      }
    }
    for (const c of domain.impersonations.all().filter((x) => x.status === 'open' || x.status === 'reported')) {
      const idle = daysBetween(c.updated.at.slice(0, 10), today);
      if (idle >= config.impersonationReminderDays && (await this.once(`imp:${c.id}`, today, c.id, 'impersonation.reminded', 'impersonation'))) {
        await domain.impersonations.publish(c.id, { targets: [...config.approvers.comms, ...config.approvers.infosec], area: '' });
        done += 1;
      }
    }
    return done;
  }

  private setupAge(a: Account, today: string): number {
    return a.setup ? daysBetween(a.setup.by.at.slice(0, 10), today) : 0;
  }

  /** True (and recorded) the first time a reminder is due today; false when it already went today. */
  private async once(key: string, today: string, subjectId: string, action: string, subject = 'account'): Promise<boolean> {
    const first = await this.deps.store.update((s) => {
      if (s.reminders[key] === today) return false;
      s.reminders[key] = today;
      return true;
    });
    if (first) await this.deps.log.append({ action, outcome: 'done', actor: actorRef(SYSTEM_ACTOR), subject: { type: subject, id: subjectId } });
    return first;
  }
}
