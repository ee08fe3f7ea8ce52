import { notice } from '../../cards/notice/model.ts';
import type { DialogEngine } from '../../dialogs/engine.ts';
import { toEscalationInput } from '../../dialogs/escalation-intake.ts';
import { LEAVER_CASE } from '../../dialogs/leaver.ts';
import { RECORD_DECISION } from '../../dialogs/record-decision.ts';
import { SURGE_ACTIVATE } from '../../dialogs/surge.ts';
import type { Answers } from '../../dialogs/types.ts';
import type { Actor } from '../domain/people.ts';
import { ACCOUNT_DIALOGS, type AccountFlows } from './account-flows.ts';
import { ESCALATION_DIALOGS, type CardActions } from './card-actions.ts';
import { raisedNotice } from './confirmation.ts';
import { IMPERSONATION_DIALOGS, type ImpersonationFlows } from './impersonation-flows.ts';
import { LEAVER_DIALOGS, type LeaverFlows } from './leaver-flows.ts';
import type { Raising } from './raising.ts';
import type { Reply } from './reply.ts';
import { SURGE_DIALOGS, type SurgeFlows } from './surge-flows.ts';
import { APPEAL_DIALOGS, type AppealFlows } from './appeal-flows.ts';

/**
 * One turn of a guided dialog, on either platform: a step's answer checked
 * against the flow it belongs to, the finished dialog handed to that flow,
 * and a notice at its end shown on the record's card.
 */
export class DialogTurns {
  constructor(
    private readonly deps: {
      dialogs: DialogEngine;
      raising: Raising;
      cardActions: CardActions;
      deskPhone?: string;
      accounts?: { flows: AccountFlows; impersonation: ImpersonationFlows };
      leavers: { flows: LeaverFlows };
      surge?: { flows: SurgeFlows };
      appeals: { flows: AppealFlows };
    },
  ) {}

  /**
   * A dialog step's answer. A form opened from a card replaces that card for
   * the person (Teams), so a plain notice at its end (a refusal, a closed form)
   * comes back on the record's card, refreshed, and the person keeps its buttons.
   */
  async submit(actor: Actor, sessionId: string, stepId: string, values: Record<string, unknown>): Promise<Reply> {
    const before = this.deps.dialogs.peek(sessionId, actor.person.id);
    return this.onSubjectCard(actor, before?.answers, await this.runDialogStep(actor, sessionId, stepId, values, before));
  }

  private async runDialogStep(actor: Actor, sessionId: string, stepId: string, values: Record<string, unknown>, before: { dialogId: string; answers: Answers } | undefined): Promise<Reply> {
    const { dialogs } = this.deps;
    const outcome = await dialogs.submit(sessionId, actor.person.id, stepId, values);
    switch (outcome.kind) {
      case 'invalid': return { kind: 'invalid', form: outcome.form };
      case 'next': {
        if (before?.dialogId === RECORD_DECISION && stepId === 'type') {
          const refused = await this.deps.cardActions.checkDecisionType(actor, before.answers, String(values.decisionType ?? ''));
          if (refused) {
            await dialogs.cancel(sessionId, actor.person.id);
            return refused;
          }
        }
        if (before?.dialogId === SURGE_ACTIVATE && stepId === 'what' && this.deps.surge) {
          const twice = this.deps.surge.flows.checkWhat(this.deps.dialogs.peek(sessionId, actor.person.id)?.answers ?? {});
          if (twice) {
            await dialogs.cancel(sessionId, actor.person.id);
            return twice;
          }
        }
        if (before?.dialogId === LEAVER_CASE && stepId === 'who') {
          const refused = await this.deps.leavers.flows.checkWho(actor, this.deps.dialogs.peek(sessionId, actor.person.id)?.answers ?? {});
          if (refused) {
            await dialogs.cancel(sessionId, actor.person.id);
            return refused;
          }
        }
        return { kind: 'form', form: outcome.form };
      }
      case 'gone': return { kind: 'notice', notice: notice('warning', 'This form is closed', outcome.message) };
      case 'already-complete':
        return { kind: 'notice', notice: notice('info', 'Already submitted', outcome.session.resultId ? `This form was already submitted (${outcome.session.resultId}).` : 'This form is being submitted.') };
      case 'complete': {
        const { dialogId, answers } = outcome.session;
        const done = await this.complete(actor, dialogId, answers).catch(async (err) => {
          await dialogs.reopen(sessionId);
          throw err;
        });
        await dialogs.finish(sessionId, done.resultId);
        return done.reply;
      }
    }
  }

  async cancel(actor: Actor, sessionId: string): Promise<Reply> {
    const before = this.deps.dialogs.peek(sessionId, actor.person.id);
    const cancelled = await this.deps.dialogs.cancel(sessionId, actor.person.id);
    const told = cancelled ? notice('info', 'Cancelled', 'Nothing was changed.') : notice('info', 'Nothing to cancel', 'This form was already closed.');
    return this.onSubjectCard(actor, before?.answers, { kind: 'notice', notice: told });
  }

  /** A notice about a record's form, shown on the record's card as it now stands when there is one. */
  private onSubjectCard(actor: Actor, answers: Answers | undefined, reply: Reply): Reply {
    if (reply.kind !== 'notice' || !answers) return reply;
    const id = answers.escalationId ?? answers.subjectId ?? '';
    const card = id ? (this.deps.cardActions.cardFor(id) ?? this.deps.accounts?.flows.cardFor(id) ?? this.deps.accounts?.impersonation.cardFor(id) ?? this.deps.leavers.flows.cardFor(id, actor) ?? this.deps.surge?.flows.cardFor(id) ?? this.deps.appeals.flows.cardFor(id)) : undefined;
    return card ? { kind: 'card', card, notice: reply.notice } : reply;
  }

  private async complete(actor: Actor, dialogId: string, answers: Answers): Promise<{ reply: Reply; resultId: string }> {
    const subject = answers.escalationId ?? answers.subjectId ?? answers.requestId ?? '';
    const accounts = this.deps.accounts;
    if (ESCALATION_DIALOGS.has(dialogId)) return { reply: await this.deps.cardActions.complete(actor, dialogId, answers), resultId: subject };
    if (accounts && ACCOUNT_DIALOGS.has(dialogId)) return { reply: await accounts.flows.complete(actor, dialogId, answers), resultId: subject };
    if (accounts && IMPERSONATION_DIALOGS.has(dialogId)) return { reply: await accounts.impersonation.complete(actor, dialogId, answers), resultId: subject };
    if (LEAVER_DIALOGS.has(dialogId)) return { reply: await this.deps.leavers.flows.complete(actor, dialogId, answers), resultId: subject };
    if (APPEAL_DIALOGS.has(dialogId)) return { reply: await this.deps.appeals.flows.complete(actor, dialogId, answers), resultId: subject.split(':')[0] ?? subject };
    if (this.deps.surge && SURGE_DIALOGS.has(dialogId)) return { reply: await this.deps.surge.flows.complete(actor, dialogId, answers), resultId: subject };
    return this.completeIntake(actor, answers);
  }

  private async completeIntake(actor: Actor, answers: Answers): Promise<{ reply: Reply; resultId: string }> {
    const outcome = await this.deps.raising.raise(actor, toEscalationInput(answers));
    if (outcome.kind === 'refused') return { reply: { kind: 'notice', notice: notice('warning', 'Not permitted', outcome.reason) }, resultId: '' };
    const e = outcome.escalation;
    const status = await this.deps.raising.delivery(e);
    return { reply: { kind: 'notice', notice: raisedNotice(e, status, this.deps.deskPhone) }, resultId: e.id };
  }
}
