import { impersonationCard } from '../../cards/impersonation/model.ts';
import type { CardView } from '../../cards/index.ts';
import { notice } from '../../cards/notice/model.ts';
import { IMPERSONATION, IMPERSONATION_REF } from '../../dialogs/account-steps.ts';
import type { DialogEngine } from '../../dialogs/engine.ts';
import type { Answers } from '../../dialogs/types.ts';
import type { AccountsConfig } from '../config/schema-operations.ts';
import type { AccountDomain } from '../domain/account-domain.ts';
import type { ImpersonationCase } from '../domain/account-types.ts';
import type { SocialPlatform } from '../domain/escalation.ts';
import type { Actor } from '../domain/people.ts';
import type { CasePublisher } from './case-publisher.ts';
import type { Reply } from './reply.ts';

/** Dialogs this flow completes. */
export const IMPERSONATION_DIALOGS = new Set([IMPERSONATION, IMPERSONATION_REF]);

/** `/impersonation`: a fake account reported to corporate comms and information security, and tracked until the platform acts. */
export class ImpersonationFlows {
  constructor(private readonly deps: { domain: AccountDomain; config: AccountsConfig; dialogs: DialogEngine; publisher: CasePublisher }) {}

  view = (c: ImpersonationCase): CardView => ({ kind: 'case', model: impersonationCard(c) });

  async start(actor: Actor): Promise<Reply> {
    return { kind: 'form', form: await this.deps.dialogs.start(IMPERSONATION, actor.person.id) };
  }

  async cardAction(actor: Actor, verb: string, id: string): Promise<Reply> {
    if (verb === 'impersonation.reported') return { kind: 'form', form: await this.deps.dialogs.start(IMPERSONATION_REF, actor.person.id, { subjectId: id }) };
    if (verb === 'impersonation.taken_down' || verb === 'impersonation.declined') return this.move(actor, id, verb === 'impersonation.taken_down' ? 'taken_down' : 'declined');
    return { kind: 'notice', notice: notice('error', 'Unknown action', 'This button is not recognised. The card may be out of date.') };
  }

  /** An impersonation case's card as it now stands, if there is one with that id. */
  cardFor(id: string): CardView | undefined {
    const c = this.deps.domain.impersonations.get(id);
    return c ? this.view(c) : undefined;
  }

  async complete(actor: Actor, dialogId: string, a: Answers): Promise<Reply> {
    if (dialogId === IMPERSONATION_REF) return this.move(actor, a.subjectId ?? '', 'reported', a.platformRef ?? '');
    const { impersonations } = this.deps.domain;
    const c = await impersonations.report(actor, { platform: a.platform as SocialPlatform, target: a.target ?? '', imitates: (a.imitates ?? '').replace(/^@/, ''), notes: a.notes ?? '' });
    // The case card goes to comms and information security with the report itself (AccountFlows.publishFor).
    return { kind: 'notice', notice: notice('success', `Impersonation ${c.id} reported`, 'Corporate communications and information security have the case.') };
  }

  private async move(actor: Actor, id: string, to: 'reported' | 'taken_down' | 'declined', ref = ''): Promise<Reply> {
    const outcome = await this.deps.domain.impersonations.move(actor, id, to, ref);
    return this.deps.publisher.reply(outcome, id, this.view, notice('success', 'Updated', `${id} is now ${to.replace('_', ' ')}.`));
  }
}
