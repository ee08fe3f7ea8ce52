import type { CardView } from '../../cards/index.ts';
import { notice } from '../../cards/notice/model.ts';
import { LEAVER_CASE, toLeaverInput } from '../../dialogs/leaver.ts';
import { LEAVER_PSD_REVIEW, LEAVER_TRANSFER } from '../../dialogs/leaver-steps.ts';
import type { DialogEngine } from '../../dialogs/engine.ts';
import type { Answers } from '../../dialogs/types.ts';
import type { LeaversConfig } from '../config/schema-operations.ts';
import { ukDate } from '../domain/account-domain.ts';
import type { Account } from '../domain/account-types.ts';
import type { Notify } from '../domain/checkpoint.ts';
import type { Clock } from '../domain/clock.ts';
import type { DecisionEntry, DecisionLog } from '../domain/decision-log.ts';
import { SYSTEM_ACTOR } from '../domain/escalations.ts';
import { assigneeIds, buildChecklist, mayTick } from '../domain/leaver-checklist.ts';
import type { LeaverCase } from '../domain/leaver-types.ts';
import { mayStart, type LeaverCases } from '../domain/leavers.ts';
import type { Actor, Directory } from '../domain/people.ts';
import { authorise } from '../domain/policy.ts';
import type { Outcome, Publish } from '../domain/record-keeper.ts';
import { ROLE_LABELS, type Role } from '../domain/roles.ts';
import type { LeaverAudiences } from './leaver-audience.ts';
import type { LeaverRegister } from './leaver-register.ts';
import type { Suspensions } from './suspensions.ts';
import { refusedReply } from './refusal-reply.ts';
import { changeNotice, type Reply } from './reply.ts';
import { ukEndOfDay } from './leaver-timers.ts';

/** Dialogs this flow completes. */
export const LEAVER_DIALOGS = new Set([LEAVER_CASE, LEAVER_TRANSFER, LEAVER_PSD_REVIEW]);

/**
 * Movers and leavers as chat-ops: `/leaver` and `/mover` open the dialog; a
 * case's checklist goes by direct message to each assignee (and, for a case
 * that is not restricted, to the configured channel); items are ticked in
 * the card; the case completes itself when every item is done and the
 * register no longer lists the person on the accounts they lose.
 */
export class LeaverFlows {
  constructor(
    private readonly deps: {
      cases: LeaverCases;
      audiences: LeaverAudiences;
      register: LeaverRegister;
      suspensions: Suspensions;
      directory: Directory;
      dialogs: DialogEngine;
      config: LeaversConfig;
      log: DecisionLog;
      clock: Clock;
    },
  ) {}

  /** `/leaver` or `/mover` (with an optional name or id to pre-fill). */
  async start(actor: Actor, kind: 'leaver' | 'mover', text: string): Promise<Reply> {
    const { directory } = this.deps;
    const managesSomeone = directory.all().some((p) => p.managerId === actor.person.id);
    if (!authorise(actor.person, 'leaver.start').allowed && !managesSomeone) {
      return this.refused(actor, 'leaver.start', 'Only a line manager (for their own reports), corporate communications, information security or professional standards may start a leaver or mover case.');
    }
    const wanted = text.trim().toLowerCase();
    const match = wanted ? directory.all().find((p) => p.id === wanted || p.name.toLowerCase() === wanted || p.email.toLowerCase() === wanted) : undefined;
    const context: Answers = {
      kind, canMarkPsd: authorise(actor.person, 'leaver.mark_psd').allowed ? 'yes' : 'no', today: ukDate(this.deps.clock.now()),
      ...(match ? { personId: match.id } : {}),
    };
    return { kind: 'form', form: await this.deps.dialogs.start(LEAVER_CASE, actor.person.id, context) };
  }

  /**
   * After the "who" step: a manager may only go on for their own reports
   * (the refusal is recorded, the form closed); and a second case for
   * someone with one open that the starter can see is pointed at that one
   * (one they may not see, such as a restricted case, is never revealed).
   */
  async checkWho(actor: Actor, answers: Answers): Promise<Reply | undefined> {
    const input = toLeaverInput(answers, (id) => this.deps.directory.get(id)?.name);
    const verdict = mayStart(actor.person, input.personId ? this.deps.directory.configured(input.personId) : undefined);
    if (!verdict.allowed) return this.refused(actor, 'leaver.start', verdict.reason);
    const open = input.personId ? this.deps.cases.all().find((c) => c.status === 'open' && c.personId === input.personId && this.deps.audiences.of(c, actor.person)) : undefined;
    return open ? { kind: 'notice', notice: notice('info', 'Already open', `${open.id} is already open for ${open.name}. See /leaver ${open.id}; nothing new was started.`) } : undefined;
  }

  /** Finishes a leaver dialog. */
  async complete(actor: Actor, dialogId: string, a: Answers): Promise<Reply> {
    if (dialogId === LEAVER_CASE) return this.open(actor, a);
    const [caseId = '', itemId = ''] = (a.subjectId ?? '').split(':');
    if (dialogId === LEAVER_TRANSFER) return this.tick(actor, caseId, itemId, a.newOwnerId ?? '');
    const outcome = await this.deps.cases.reviewPsd(actor, caseId, a.outcome === 'yes' ? 'yes' : 'no', a.reason ?? '', this.deps.clock.now().toISOString());
    if (outcome.kind === 'done' && outcome.record.psd === 'yes') await this.deps.suspensions.suspended(outcome.record);
    return this.reply(actor, outcome, caseId, outcome.kind === 'done' ? (outcome.record.psd === 'yes' ? 'Recorded: PSD-related. Their roles are suspended and every task is due now.' : 'Recorded: not PSD-related. It is now an ordinary case.') : undefined);
  }

  /** A button on a case card: tick an item, name a new owner, or review for PSD. */
  async cardAction(actor: Actor, verb: string, target: string): Promise<Reply> {
    const [caseId = '', itemId = ''] = target.split(':');
    const c = this.deps.cases.get(caseId);
    if (!c) return { kind: 'notice', notice: notice('error', 'Not found', `There is no case ${caseId}.`) };
    switch (verb) {
      case 'leaver.tick': return this.tick(actor, caseId, itemId);
      case 'leaver.transfer': {
        const item = c.items.find((i) => i.id === itemId);
        if (!item || item.task !== 'transfer_ownership') return { kind: 'notice', notice: notice('error', 'Not found', `${caseId} has no ownership transfer ${itemId}.`) };
        // Who may tick is checked (and a refusal recorded) before the form opens.
        const refused = await this.deps.cases.tick(actor, caseId, itemId, '');
        if (refused.kind === 'refused' || refused.kind === 'conflict') return this.reply(actor, refused, caseId);
        return { kind: 'form', form: await this.deps.dialogs.start(LEAVER_TRANSFER, actor.person.id, { subjectId: target, subjectLabel: `${caseId}: ${this.deps.register.label(item.accountId ?? '')}`, ...(c.personId ? { leaverPersonId: c.personId } : {}) }) };
      }
      case 'leaver.psd_review': {
        const verdict = authorise(actor.person, 'leaver.review_psd');
        if (!verdict.allowed) return this.refused(actor, 'leaver.review_psd', verdict.reason, caseId);
        return { kind: 'form', form: await this.deps.dialogs.start(LEAVER_PSD_REVIEW, actor.person.id, { subjectId: caseId }) };
      }
      default: return { kind: 'notice', notice: notice('error', 'Unknown action', 'This button is not recognised. The card may be out of date.') };
    }
  }

  /** The case's card as this person may see it, for replies on a card. */
  cardFor(id: string, actor: Actor): CardView | undefined {
    const c = this.deps.cases.get(id.split(':')[0] ?? '');
    return c ? this.deps.audiences.cardFor(c, actor.person) : undefined;
  }

  /**
   * Where a case's card goes after a change, written with it: on opening, to
   * every assignee, the requester, PSD (restricted cases) and information
   * security by direct message, and an unrestricted case to the configured
   * channel; once overdue, to the escalation people; items moved to
   * information security, to its holders. Never to the person leaving.
   */
  publishFor(c: LeaverCase, action: string): Publish | undefined {
    const people = (ids: string[]) => [...new Set(ids)].filter((id) => id !== c.personId);
    if (action === 'leaver.opened' || action === 'leaver.psd_confirmed' || action === 'leaver.items_reassigned' || action === 'leaver.items_added') {
      const ids = [c.requester.personId, ...this.holders('information_security'), ...c.items.flatMap((i) => assigneeIds(i, (r) => this.holders(r)))];
      if (c.restricted) ids.push(...this.holders('professional_standards'));
      const channel = !c.restricted && this.deps.config.channel && action === 'leaver.opened' ? { targets: [{ channel: this.deps.config.channel }] } : {};
      return { people: people(ids), area: '', ...channel };
    }
    if (action === 'leaver.escalated') return { people: people(this.escalationPeople()), area: '' };
    return undefined;
  }

  /** Whom a change tells, and what: reminders to assignees, the overdue notice, and the requester at completion. Written with the change. */
  notifyFor(c: LeaverCase, entry: DecisionEntry): Notify[] | undefined {
    const msg = (people: string[], model: ReturnType<typeof notice>): Notify[] => [{ people: [...new Set(people)].filter((id) => id !== c.personId), message: { kind: 'notice', model } }];
    const open = c.items.filter((i) => !i.done);
    if (entry.action === 'leaver.reminded') {
      // Each assignee hears how many of the open items are theirs.
      const mine = new Map<string, number>();
      for (const i of open) for (const id of assigneeIds(i, (r) => this.holders(r))) mine.set(id, (mine.get(id) ?? 0) + 1);
      return [...mine].flatMap(([id, n]) => msg([id], notice('warning', `Reminder: offboarding tasks for ${c.name} (${c.id})`,
        `${n} item(s) for you are still to do; they are due ${c.psd === 'yes' ? 'now' : `by the end of ${c.effectiveDate}`}.`, 'Tick each one in the case card when it is done.')));
    }
    if (entry.action === 'leaver.escalated') {
      return msg(this.escalationPeople(), notice('error', `Overdue: offboarding for ${c.name} (${c.id})`, `${open.length} item(s) are still to do after the due time.`, 'The case card lists each item and who has it.'));
    }
    if (entry.action === 'leaver.completed') {
      return msg([c.requester.personId], notice('success', `Offboarding complete: ${c.name} (${c.id})`, 'Every item is done, the register is up to date, and the completion is recorded.'));
    }
    return undefined;
  }

  private async open(actor: Actor, a: Answers): Promise<Reply> {
    const { directory, cases, register, clock } = this.deps;
    const given = toLeaverInput(a, (id) => directory.get(id)?.name);
    const subject = given.personId ? directory.configured(given.personId) : undefined;
    const verdict = mayStart(actor.person, subject);
    if (!verdict.allowed) return this.refused(actor, 'leaver.start', verdict.reason);
    const now = clock.now().toISOString();
    // Every account the register lists them on is covered, whatever the form said: a case must not close with a door open.
    const held = given.personId ? register.heldBy(given.personId).map((x) => x.id) : [];
    const input = { ...given, accountIds: [...new Set([...given.accountIds, ...held])] };
    const accounts: Account[] = register.accounts(input.accountIds);
    const items = buildChecklist(input, accounts, this.people(input.personId), subject);
    const c = await cases.open(actor, input, { items, dueAt: input.psd === 'yes' ? now : ukEndOfDay(input.effectiveDate), rolesAtOpen: (subject?.roles ?? []) as Role[] });
    if (c.psd === 'yes') await this.deps.suspensions.suspended(c);
    const lines = c.psd === 'yes'
      ? ['Restricted: their Bluedesk roles are suspended now, and every task is due now.', 'Tasks are being sent by direct message to those who do them; they say only what to do.']
      : c.psd === 'review' ? ['Professional standards will review it. Until then it is restricted.', 'Tasks are being sent by direct message to those who do them.']
        : [`${c.items.length} item(s) are being sent by direct message: ${this.whoDoes(c)}. Due by the end of ${c.effectiveDate}.`];
    return { kind: 'notice', notice: notice('success', `${c.kind === 'mover' ? 'Mover' : 'Leaver'} case ${c.id} started`, ...lines, `You will be told when it is complete. See /leaver ${c.id}.`) };
  }

  /** Who the case's items go to, in words: "4 to Information security, 2 to PC North". */
  private whoDoes(c: LeaverCase): string {
    const counts = new Map<string, number>();
    for (const i of c.items) {
      const who = 'personId' in i.assignee ? this.deps.directory.get(i.assignee.personId)?.name ?? i.assignee.personId : ROLE_LABELS[i.assignee.role];
      counts.set(who, (counts.get(who) ?? 0) + 1);
    }
    return [...counts].map(([who, n]) => `${n} to ${who}`).join(', ');
  }

  /**
   * Ticks an item. An ownership transfer or an admin removal changes the
   * register first (repeating it is harmless, so a crash between the two
   * never leaves the case ahead of the register); the case then completes
   * itself once every item is done and the register agrees.
   */
  private async tick(actor: Actor, caseId: string, itemId: string, newOwnerId?: string): Promise<Reply> {
    const { cases, register, directory } = this.deps;
    const c = cases.get(caseId);
    const item = c?.items.find((i) => i.id === itemId);
    if (!c || !item) return { kind: 'notice', notice: notice('error', 'Not found', `There is no item ${itemId} in ${caseId}.`) };
    if (item.task === 'transfer_ownership') {
      const owner = directory.get(newOwnerId ?? '');
      if (!owner || owner.id === c.personId || owner.roles.length === 0) return { kind: 'notice', notice: notice('warning', 'Not recorded', 'Choose a new owner from the directory who holds a Bluedesk role, and not the person leaving.') };
    }
    const allowed = !item.done && c.status === 'open' && mayTick(item, actor.person);
    if (allowed && item.accountId && c.personId) {
      if (item.task === 'transfer_ownership') await register.transfer(actor, item.accountId, c.personId, newOwnerId!);
      if (item.task === 'admin_role') await register.removeAdmin(actor, item.accountId, c.personId);
    }
    const outcome = await cases.tick(actor, caseId, itemId, newOwnerId);
    if (outcome.kind !== 'done') return this.reply(actor, outcome, caseId);
    if (outcome.record.items.some((i) => !i.done)) return this.reply(actor, outcome, caseId, 'Ticked. Every copy of the case is being updated.');
    const completed = await this.tryComplete(caseId);
    if (completed.kind === 'done') return this.reply(actor, completed, caseId, 'Ticked: that was the last item, so the case is complete and the requester has been told.');
    // Not closed: the card as it now stands (perhaps with items just added), and why.
    const latest = cases.get(caseId) ?? outcome.record;
    return this.reply(actor, { kind: 'done', record: latest }, caseId, completed.kind === 'invalid' ? `Ticked, but the case cannot close yet: ${completed.reason}` : 'Ticked.');
  }

  /**
   * Completes a case whose items are all done. If the register lists the
   * person on an account the case does not cover (one approved after it
   * opened), items for it are added instead and the case stays open; if it
   * still lists them on one the case covers, it stays open and says why.
   */
  async tryComplete(caseId: string): Promise<Outcome<LeaverCase>> {
    const { cases, register, directory } = this.deps;
    const c = cases.get(caseId);
    if (!c) return { kind: 'not-found' };
    const extra = register.uncovered(c);
    if (extra.length) {
      const subject = c.personId ? directory.configured(c.personId) : undefined;
      const items = buildChecklist({ ...c, accountIds: extra.map((a) => a.id) }, extra, this.people(c.personId), subject, { after: c.items.length, accountsOnly: true });
      const added = await cases.addItems(SYSTEM_ACTOR, caseId, extra.map((a) => a.id), items);
      return added.kind === 'done' ? { kind: 'invalid', reason: `the register also lists ${c.name} on ${extra.map((a) => `@${a.handle}`).join(', ')}, so items for it have been added.`, record: added.record } : added;
    }
    return cases.complete(SYSTEM_ACTOR, caseId, (x) => register.stillHeld(x));
  }

  /** Who may be given account tasks: someone in the directory who holds a role now, and is not the person leaving. */
  private people(leaving: string | undefined) {
    return { canAct: (id: string) => id !== leaving && (this.deps.directory.get(id)?.roles.length ?? 0) > 0 };
  }

  private refused(actor: Actor, action: 'leaver.start' | 'leaver.review_psd', reason: string, caseId?: string): Promise<Reply> {
    return refusedReply(this.deps.log, actor, action, reason, caseId ? { type: 'leaver', id: caseId } : undefined);
  }

  /** The case card as the actor may see it, with what happened; or the notice alone when they may not see it. */
  private reply(actor: Actor, outcome: Outcome<LeaverCase>, caseId: string, done?: string): Reply {
    if (outcome.kind === 'not-found') return { kind: 'notice', notice: notice('error', 'Not found', `There is no case ${caseId}.`) };
    const told = outcome.kind === 'done' ? notice('success', 'Done', done ?? 'Recorded.') : changeNotice(outcome, caseId)!;
    const card = this.deps.audiences.cardFor(outcome.record, actor.person);
    return card ? { kind: 'card', card, notice: told } : { kind: 'notice', notice: told };
  }

  private holders(role: Role): string[] {
    return this.deps.directory.withRole(role).map((p) => p.id);
  }

  private escalationPeople(): string[] {
    return this.deps.config.escalateTo.length ? this.deps.config.escalateTo : this.holders('information_security');
  }
}
