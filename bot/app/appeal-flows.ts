import { appealCard, type AppealNames } from '../../cards/appeal/model.ts';
import type { CardView } from '../../cards/index.ts';
import { notice, type NoticeModel } from '../../cards/notice/model.ts';
import { APPEAL_CLOSE, APPEAL_KEEP, APPEAL_POST, APPEAL_REGISTER, toAppealInput } from '../../dialogs/appeal.ts';
import type { DialogEngine } from '../../dialogs/engine.ts';
import type { Answers } from '../../dialogs/types.ts';
import type { AppealsConfig } from '../config/schema-records.ts';
import { ukDate } from '../domain/account-domain.ts';
import { APPEAL_TYPES, type Appeal } from '../domain/appeal-types.ts';
import { MAY_ANSWER, type Appeals } from '../domain/appeals.ts';
import type { Notify } from '../domain/checkpoint.ts';
import type { Clock } from '../domain/clock.ts';
import type { DecisionEntry, DecisionLog } from '../domain/decision-log.ts';
import type { Actor } from '../domain/people.ts';
import { authorise } from '../domain/policy.ts';
import type { Outcome, Publish } from '../domain/record-keeper.ts';
import { refusedReply, refuseUnless } from './refusal-reply.ts';
import { changeNotice, type Reply } from './reply.ts';

/** Dialogs this flow completes. */
export const APPEAL_DIALOGS = new Set([APPEAL_REGISTER, APPEAL_KEEP, APPEAL_CLOSE, APPEAL_POST]);

/**
 * Public appeals as chat-ops: `/appeal` registers one; its card goes to
 * whoever registered it and the account's holders; on its review date they
 * are asked to keep, remove or archive it; `/appeal closed <id>` (a missing
 * person found) asks for every post to come down now, chased until each is
 * confirmed in the card.
 */
export class AppealFlows {
  constructor(private readonly deps: { appeals: Appeals; dialogs: DialogEngine; config: AppealsConfig; names: AppealNames; hasAccounts: () => boolean; log: DecisionLog; clock: Clock }) {}

  /** `/appeal`, `/appeal <id>`, `/appeal closed <id> <reason>`. */
  async command(actor: Actor, text: string): Promise<Reply> {
    const [first = '', second = '', ...rest] = text.trim().split(/\s+/);
    if (!first) return this.startRegister(actor);
    if (first.toLowerCase() === 'closed') {
      const a = this.deps.appeals.get(second.toUpperCase());
      if (!a) return this.unknown(second);
      if (!rest.length) return this.openClose(actor, a);
      return this.answer(await this.deps.appeals.close(actor, a.id, rest.join(' ')), a.id, 'Every post is now to come down: the account’s owners are being told, and reminded until each is confirmed.');
    }
    const refused = await refuseUnless(this.deps.log, actor, 'appeal.view');
    if (refused) return refused;
    const a = this.deps.appeals.get(first.toUpperCase());
    return a ? { kind: 'card', card: this.view(a) } : this.unknown(first);
  }

  /** `/appeals`: appeals that are live or being taken down, those needing action first. */
  async list(actor: Actor): Promise<Reply> {
    const refused = await refuseUnless(this.deps.log, actor, 'appeal.view');
    if (refused) return refused;
    const today = this.today();
    const rank = (a: Appeal) => (a.status === 'closing' ? (a.closing?.urgent ? 0 : 1) : a.reviewDate <= today ? 2 : 3);
    const open = this.deps.appeals.all().filter((a) => a.status !== 'finished').sort((x, y) => rank(x) - rank(y) || x.reviewDate.localeCompare(y.reviewDate));
    return {
      kind: 'card',
      card: {
        kind: 'record-list',
        model: {
          title: 'Public appeals', subtitle: 'Live and being taken down; those needing action first. /appeal registers one.',
          items: open.map((a) => ({
            heading: `${a.id} · ${APPEAL_TYPES[a.type]} · ${this.deps.names.account(a.accountId)}`,
            lines: [a.status === 'closing' ? `${a.closing?.urgent ? 'URGENT: ' : ''}being taken down, ${a.posts.filter((p) => p.state !== 'live').length} of ${a.posts.length} confirmed` : `Live, review ${a.reviewDate}${a.reviewDate <= today ? ' (due)' : ''}`, `Reference: ${a.reference}`],
          })),
          empty: 'No public appeals are live.',
        },
      },
    };
  }

  /** A button on an appeal card. */
  async cardAction(actor: Actor, verb: string, target: string): Promise<Reply> {
    const [id = '', postId = ''] = target.split(':');
    const a = this.deps.appeals.get(id);
    if (!a) return this.unknown(id);
    // Who may answer is checked (and a refusal recorded) before a form opens.
    if (verb !== 'appeal.close' && !this.deps.appeals.mayAnswer(actor, a)) return refusedReply(this.deps.log, actor, verb === 'appeal.post' ? 'appeal.post' : 'appeal.review', MAY_ANSWER, { type: 'appeal', id: a.id });
    switch (verb) {
      case 'appeal.keep': return this.form(actor, APPEAL_KEEP, { subjectId: a.id, today: this.today() });
      case 'appeal.remove': case 'appeal.archive':
        return this.answer(await this.deps.appeals.review(actor, a.id, verb === 'appeal.remove' ? 'remove' : 'archive', { today: this.today() }), a.id, 'Recorded. The account’s owners are asked to take each post down and confirm it in the card.');
      case 'appeal.close': return this.openClose(actor, a);
      case 'appeal.post': return this.form(actor, APPEAL_POST, { subjectId: target, subjectLabel: a.posts.find((p) => p.id === postId)?.url ?? target });
      default: return { kind: 'notice', notice: notice('error', 'Unknown action', 'This button is not recognised. The card may be out of date.') };
    }
  }

  async complete(actor: Actor, dialogId: string, a: Answers): Promise<Reply> {
    const [id = '', postId = ''] = (a.subjectId ?? '').split(':');
    switch (dialogId) {
      case APPEAL_REGISTER: return this.register(actor, a);
      case APPEAL_KEEP: return this.answer(await this.deps.appeals.review(actor, id, 'keep', { nextReview: a.nextReview ?? '', today: this.today() }), id, `Kept up. The next review is on ${a.nextReview}.`);
      case APPEAL_CLOSE: return this.answer(await this.deps.appeals.close(actor, id, a.reason ?? ''), id, 'Every post is now to come down: the account’s owners are being told, and reminded until each is confirmed.');
      default: return this.answer(await this.deps.appeals.markPost(actor, id, postId, a.outcome === 'archived' ? 'archived' : 'removed'), id, 'Recorded.');
    }
  }

  view(a: Appeal): CardView {
    return { kind: 'checklist', model: appealCard(a, this.deps.names, this.today()) };
  }

  cardFor(id: string): CardView | undefined {
    const a = this.deps.appeals.get(id.split(':')[0] ?? '');
    return a ? this.view(a) : undefined;
  }

  /** Where an appeal's card goes after a change, written with it: its owners from the start, and those told when removal is overdue. */
  publishFor(a: Appeal, action: string): Publish | undefined {
    if (action === 'appeal.registered') return { people: this.deps.appeals.owners(a), area: a.area };
    if (action === 'appeal.removal_overdue') return { targets: this.deps.config.escalateTo, area: a.area };
    return undefined;
  }

  /** Whom a change tells, and what, written with it: the owners when action is needed, the registrant when every post is down. */
  notifyFor(a: Appeal, entry: DecisionEntry): Notify[] | undefined {
    const owners = this.deps.appeals.owners(a);
    const live = a.posts.filter((p) => p.state === 'live').length;
    const msg = (people: string[], model: NoticeModel): Notify[] => [{ people: [...new Set(people)], message: { kind: 'notice', model } }];
    const what = `${APPEAL_TYPES[a.type]} appeal ${a.id} (${this.deps.names.account(a.accountId)}, ref ${a.reference})`;
    switch (entry.action) {
      case 'appeal.review_due': return msg(owners, notice('warning', `Review due: ${what}`, 'Keep it up (with a new review date), remove it or archive it, from its card.'));
      case 'appeal.closed': return msg(owners, notice('error', `Take down now: ${what}`, `The appeal has ended (${a.closing?.reason}). Remove or archive every post now and confirm each in the card: an appeal left up after it ends harms the person's privacy.`));
      case 'appeal.reviewed': return a.status === 'closing' ? msg(owners, notice('warning', `To take down: ${what}`, `A review decided to ${entry.details?.decision} it. Take each post down and confirm it in the card.`)) : undefined;
      case 'appeal.removal_reminded': return msg(owners, notice('warning', `Reminder: ${what}`, `${live} post(s) still to take down. Confirm each in the card once it is down.`));
      case 'appeal.removal_overdue': return msg(owners, notice('error', `Overdue: ${what}`, `${live} post(s) are still up; corporate communications have been told.`));
      case 'appeal.finished': return msg([a.registered.personId, ...(a.closing ? [a.closing.personId] : [])], notice('success', `Taken down: ${what}`, 'Every post is confirmed removed or archived, and it is recorded.'));
      default: return undefined;
    }
  }

  private async startRegister(actor: Actor): Promise<Reply> {
    const refused = await refuseUnless(this.deps.log, actor, 'appeal.register');
    if (refused) return refused;
    if (!this.deps.hasAccounts()) return { kind: 'notice', notice: notice('info', 'No accounts to choose from', 'An appeal is registered against an official account in the register, and the register has no live accounts (or account governance is not configured).') };
    const due = new Date(this.deps.clock.now().getTime() + this.deps.config.defaultReviewDays * 86_400_000);
    return this.form(actor, APPEAL_REGISTER, { today: this.today(), defaultReview: ukDate(due) });
  }

  private async register(actor: Actor, answers: Answers): Promise<Reply> {
    const input = toAppealInput(answers);
    // The area is known only now: a neighbourhood officer registers appeals for their own area.
    const verdict = authorise(actor.person, 'appeal.register', { area: input.area });
    if (!verdict.allowed) return refusedReply(this.deps.log, actor, 'appeal.register', verdict.reason);
    const a = await this.deps.appeals.register(actor, input);
    return { kind: 'notice', notice: notice('success', `Appeal ${a.id} registered`, `${a.posts.length} post(s) from ${this.deps.names.account(a.accountId)}. Review on ${a.reviewDate}.`, `Its card is being sent to you and the account's owners. When the appeal ends, use /appeal closed ${a.id} <why> to have every post taken down.`) };
  }

  private async openClose(actor: Actor, a: Appeal): Promise<Reply> {
    const refused = await refuseUnless(this.deps.log, actor, 'appeal.close', { area: a.area, subject: { type: 'appeal', id: a.id } });
    return refused ?? this.form(actor, APPEAL_CLOSE, { subjectId: a.id });
  }

  private async form(actor: Actor, dialogId: string, context: Answers): Promise<Reply> {
    return { kind: 'form', form: await this.deps.dialogs.start(dialogId, actor.person.id, context) };
  }

  private answer(outcome: Outcome<Appeal>, id: string, done: string): Reply {
    if (outcome.kind === 'not-found') return this.unknown(id);
    const problem = changeNotice(outcome, id);
    if (problem) return { kind: 'card', card: this.view(outcome.record), notice: problem };
    return { kind: 'card', card: this.view(outcome.record), notice: notice('success', 'Done', done) };
  }

  private unknown(id: string): Reply {
    return { kind: 'notice', notice: notice('error', 'Unknown appeal', `There is no appeal ${id || '(no id given)'}. See /appeals.`, 'Use /appeal closed <id> <why> when an appeal ends.') };
  }

  private today(): string {
    return ukDate(this.deps.clock.now());
  }
}
