import type { Notify } from '../domain/checkpoint.ts';
import type { DecisionEntry } from '../domain/decision-log.ts';
import type { Publish, Tracked } from '../domain/record-keeper.ts';
import { accountRequestCard, type AccountNames } from '../../cards/account-request/model.ts';
import { accountCard } from '../../cards/account/model.ts';
import type { CardView } from '../../cards/index.ts';
import { notice } from '../../cards/notice/model.ts';
import { ACCOUNT_REQUEST, answersFrom, toAccountDetails } from '../../dialogs/account-request.ts';
import { ACCOUNT_CLOSE, ACCOUNT_SETUP, REJECT_CLOSURE, REJECT_REQUEST, REQUEST_CHANGES } from '../../dialogs/account-steps.ts';
import type { DialogEngine } from '../../dialogs/engine.ts';
import type { Answers } from '../../dialogs/types.ts';
import type { AccountsConfig } from '../config/schema-operations.ts';
import type { AccountDomain } from '../domain/account-domain.ts';
import { ukDate } from '../domain/account-domain.ts';
import type { Account, AccountRequest } from '../domain/account-types.ts';
import { addMonths } from '../domain/accounts.ts';
import type { Clock } from '../domain/clock.ts';
import type { DecisionLog } from '../domain/decision-log.ts';
import type { Actor } from '../domain/people.ts';
import type { Action } from '../domain/policy.ts';
import type { CasePublisher } from './case-publisher.ts';
import { refuseUnless } from './refusal-reply.ts';
import type { Reply } from './reply.ts';

/** Dialogs this flow completes. */
export const ACCOUNT_DIALOGS = new Set([ACCOUNT_REQUEST, REJECT_REQUEST, REQUEST_CHANGES, ACCOUNT_SETUP, ACCOUNT_CLOSE, REJECT_CLOSURE]);

/**
 * Official accounts as chat-ops: request → corporate comms → information
 * security → register (awaiting set-up) → active; closure approved by comms.
 * Approval cards go to the approvers' channels on both platforms; the
 * requester and owner are told of each step by direct message.
 */
export class AccountFlows {
  constructor(
    private readonly deps: {
      domain: AccountDomain;
      config: AccountsConfig;
      dialogs: DialogEngine;
      publisher: CasePublisher;
      names: AccountNames;
      log: DecisionLog;
      clock: Clock;
    },
  ) {}

  requestView = (r: AccountRequest): CardView => ({ kind: 'case', model: accountRequestCard(r, this.deps.names) });
  accountView = (a: Account): CardView => ({ kind: 'case', model: accountCard(a, this.deps.names) });

  /** `/account request` */
  async startRequest(actor: Actor): Promise<Reply> {
    const refused = await this.refuse(actor, 'account.request');
    if (refused) return refused;
    const reviewDate = addMonths(ukDate(this.deps.clock.now()), 12);
    return { kind: 'form', form: await this.deps.dialogs.start(ACCOUNT_REQUEST, actor.person.id, { reviewDate, owner: actor.person.id }) };
  }

  /** `/account close <handle>` */
  async startClose(actor: Actor, handle: string): Promise<Reply> {
    const a = this.deps.domain.accounts.byHandle(handle);
    if (!a) return { kind: 'notice', notice: notice('warning', 'Unknown account', `No live official account @${handle.replace(/^@/, '')} is in the register. See /accounts.`) };
    return this.form(actor, 'account.close', ACCOUNT_CLOSE, { subjectId: a.id }, a.area);
  }

  /**
   * Where a request's or an account's card goes after a change: each
   * approval stage's approvers, the requester when changes are asked for,
   * the owner of a new account, comms when a closure is asked for. The
   * record keeper writes these posts with the change itself.
   */
  publishFor(kind: string, record: Tracked, action: string): Publish | undefined {
    const { comms, infosec } = this.deps.config.approvers;
    if (kind === 'account-request') {
      const r = record as AccountRequest;
      if (action === 'account.requested' || action === 'account.resubmitted') return { targets: comms, area: r.details.area };
      if (action === 'account.approved_comms') return { targets: infosec, area: r.details.area };
      if (action === 'account.changes_requested') return { people: [r.requester.personId], area: r.details.area };
    }
    if (kind === 'account') {
      const a = record as Account;
      if (action === 'account.created') return { people: [a.ownerId], area: a.area };
      if (action === 'account.closure_requested') return { targets: comms, area: a.area };
    }
    if (kind === 'impersonation' && action === 'impersonation.reported') return { targets: [...comms, ...infosec], area: '' };
    return undefined;
  }

  /**
   * Whom a change tells by direct message, and what: the requester at each
   * decision on their request, the owner and the asker when a closure is
   * decided, the owner when the account closes. Written with the change.
   */
  notifyFor(kind: string, record: Tracked, entry: DecisionEntry): Notify[] | undefined {
    const msg = (people: string[], model: ReturnType<typeof notice>): Notify[] => [{ people, message: { kind: 'notice', model } }];
    if (kind === 'account-request') {
      const r = record as AccountRequest;
      const to = [r.requester.personId];
      if (entry.action === 'account.rejected') return msg(to, notice('warning', `Account request ${r.id} rejected`, `${entry.actor.name ?? 'Someone'}: ${entry.reason ?? ''}`));
      if (entry.action === 'account.approved_comms') return msg(to, notice('info', `Account request ${r.id}: corporate communications approved`, `Approved by ${entry.actor.name ?? 'corporate communications'}. Information security is next.`));
      if (entry.action === 'account.registered' && r.accountId) return msg(to, notice('success', `Account request ${r.id} approved`, `@${r.details.handle.replace(/^@/, '')} is in the register as ${r.accountId}, awaiting set-up by its owner.`));
    }
    if (kind === 'account') {
      const a = record as Account;
      if (entry.action === 'account.closure_approved' || entry.action === 'account.closure_rejected') {
        const approved = entry.action === 'account.closure_approved';
        return msg([a.ownerId, a.closure!.requestedBy.personId], notice(approved ? 'info' : 'warning', `Closure of @${a.handle} ${approved ? 'approved' : 'rejected'}`, approved ? `Effective ${a.closure!.effectiveDate}.` : (entry.reason ?? '')));
      }
      if (entry.action === 'account.closed') return msg([a.ownerId], notice('info', `@${a.handle} is closed`, 'It has left the public list of official accounts. The register keeps it as closed.'));
    }
    return undefined;
  }

  /** An account request's or account's card as it now stands, if there is one with that id. */
  cardFor(id: string): CardView | undefined {
    const r = this.deps.domain.requests.get(id);
    if (r) return this.requestView(r);
    const a = this.deps.domain.accounts.get(id);
    return a ? this.accountView(a) : undefined;
  }

  /** `/account REQ-00001` and the Open button on `/approvals`: the request's or account's card, with its buttons, for anyone who may see the register. */
  async open(actor: Actor, id: string): Promise<Reply> {
    const refused = await this.refuse(actor, 'account.view');
    if (refused) return refused;
    const wanted = id.trim().toUpperCase();
    const card = this.cardFor(wanted) ?? await this.deps.domain.requests.fetch(wanted).then((r) => (r ? this.requestView(r) : undefined));
    return card ? { kind: 'card', card } : notFound(wanted);
  }

  async cardAction(actor: Actor, verb: string, id: string): Promise<Reply> {
    const { requests, accounts } = this.deps.domain;
    const p = this.deps.publisher;
    switch (verb) {
      case 'account.open': return this.open(actor, id);
      case 'account.approve': return this.approve(actor, id);
      case 'account.reject': return this.form(actor, this.stageAction(id), REJECT_REQUEST, { subjectId: id });
      case 'account.changes': return this.form(actor, this.stageAction(id), REQUEST_CHANGES, { subjectId: id });
      case 'account.amend': {
        const r = requests.get(id);
        if (!r) return notFound(id);
        if (r.requester.personId !== actor.person.id) return { kind: 'notice', notice: notice('warning', 'Not yours', 'Only the requester can amend and resubmit this request.') };
        return { kind: 'form', form: await this.deps.dialogs.start(ACCOUNT_REQUEST, actor.person.id, { ...answersFrom(r.details), requestId: r.id }) };
      }
      case 'account.setup': return this.form(actor, 'account.setup', ACCOUNT_SETUP, { subjectId: id });
      case 'account.close': return this.form(actor, 'account.close', ACCOUNT_CLOSE, { subjectId: id });
      case 'account.reject_closure': return this.form(actor, 'account.approve_closure', REJECT_CLOSURE, { subjectId: id });
      case 'account.review': {
        const outcome = await accounts.confirmReview(actor, id);
        return p.reply(outcome, id, this.accountView, notice('success', 'Review recorded', `Next review: ${outcome.kind === 'done' ? outcome.record.reviewDate : ''}.`));
      }
      case 'account.approve_closure': return this.decideClosure(actor, id, true, '');
      case 'account.verified': {
        const outcome = await accounts.markVerified(actor, id);
        return p.reply(outcome, id, this.accountView, notice('success', 'Verified', 'The public list now shows the account as verified.'));
      }
      default: return { kind: 'notice', notice: notice('error', 'Unknown action', 'This button is not recognised. The card may be out of date.') };
    }
  }

  /** Finishes an account dialog. */
  async complete(actor: Actor, dialogId: string, a: Answers): Promise<Reply> {
    const { requests, accounts } = this.deps.domain;
    const p = this.deps.publisher;
    const id = a.subjectId ?? '';
    switch (dialogId) {
      case ACCOUNT_REQUEST: return a.requestId ? this.resubmit(actor, a.requestId, a) : this.submit(actor, a);
      case REJECT_REQUEST:
      case REQUEST_CHANGES: {
        // The requester is told with the change: a rejection by message, changes by the card itself with its "Amend and resubmit" button.
        const outcome = dialogId === REJECT_REQUEST ? await requests.reject(actor, id, a.reason ?? '') : await requests.requestChanges(actor, id, a.comment ?? '');
        return p.reply(outcome, id, this.requestView, notice('success', dialogId === REJECT_REQUEST ? 'Rejected' : 'Sent back for changes', 'The requester has been told.'));
      }
      case ACCOUNT_SETUP: {
        const outcome = await accounts.completeSetup(actor, id, {
          createdWithBusinessEmail: a.createdWithBusinessEmail === 'yes', twoFactorOn: a.twoFactorOn === 'yes', loginAlertsOn: a.loginAlertsOn === 'yes', inSmmp: a.inSmmp === 'yes',
          verification: a.verification as 'applied' | 'granted' | 'not_available',
        });
        return p.reply(outcome, id, this.accountView, notice('success', 'Account active', 'It now appears on the public list of official accounts.'));
      }
      case ACCOUNT_CLOSE: {
        const outcome = await accounts.requestClosure(actor, id, { reason: a.reason ?? '', content: a.content as 'archive' | 'delete', effectiveDate: a.effectiveDate ?? '' });
        return p.reply(outcome, id, this.accountView, notice('success', 'Closure requested', 'Corporate communications have been asked to approve it.'));
      }
      case REJECT_CLOSURE: return this.decideClosure(actor, id, false, a.reason ?? '');
      default: return { kind: 'notice', notice: notice('error', 'Unknown form', 'This form is not recognised.') };
    }
  }

  private async submit(actor: Actor, a: Answers): Promise<Reply> {
    const r = await this.deps.domain.requests.submit(actor, toAccountDetails(a));
    return { kind: 'notice', notice: notice('success', `Account request ${r.id} submitted`, 'Corporate communications approve it first, then information security. You will get a message at each step.') };
  }

  private async resubmit(actor: Actor, id: string, a: Answers): Promise<Reply> {
    const outcome = await this.deps.domain.requests.resubmit(actor, id, toAccountDetails(a));
    return this.deps.publisher.reply(outcome, id, this.requestView, notice('success', `Account request ${id} resubmitted`, 'It goes back to corporate communications.'));
  }

  private async approve(actor: Actor, id: string): Promise<Reply> {
    const { requests, accounts } = this.deps.domain;
    const p = this.deps.publisher;
    const outcome = await requests.approve(actor, id);
    if (outcome.kind !== 'done') return p.reply(outcome, id, this.requestView);
    let r = outcome.record;
    if (r.status === 'awaiting_infosec') {
      return p.reply(outcome, id, this.requestView, notice('success', 'Approved', 'Information security is next.'));
    }
    const account = await accounts.register(actor, r);
    await requests.linkAccount(id, account.id, actor);
    r = requests.get(id)!;
    // The owner got the account card with its set-up checklist when the account was created; it stays current as the account changes.
    return { kind: 'card', card: this.requestView(r), notice: notice('success', 'Approved', `@${account.handle} is in the register, awaiting set-up.`) };
  }

  private async decideClosure(actor: Actor, id: string, approve: boolean, reason: string): Promise<Reply> {
    const outcome = await this.deps.domain.accounts.decideClosure(actor, id, approve, reason);
    return this.deps.publisher.reply(outcome, id, this.accountView, notice('success', approve ? 'Closure approved' : 'Closure rejected', 'The owner has been told.'));
  }

  /** The permission the request's current stage needs, checked before a form opens. */
  private stageAction(id: string): Action {
    return this.deps.domain.requests.get(id)?.status === 'awaiting_infosec' ? 'account.approve_infosec' : 'account.approve_comms';
  }

  private async form(actor: Actor, action: Action, dialogId: string, context: Answers, area?: string): Promise<Reply> {
    const refused = await this.refuse(actor, action, context.subjectId, area);
    if (refused) return refused;
    // The form names what it is about: the account's handle, or the request.
    const account = this.deps.domain.accounts.get(context.subjectId ?? '');
    const subjectLabel = account ? `@${account.handle} (${account.id})` : context.subjectId;
    return { kind: 'form', form: await this.deps.dialogs.start(dialogId, actor.person.id, { ...context, ...(subjectLabel ? { subjectLabel } : {}) }) };
  }

  private refuse(actor: Actor, action: Action, subjectId?: string, area?: string): Promise<Reply | undefined> {
    return refuseUnless(this.deps.log, actor, action, { ...(area ? { area } : {}), ...(subjectId ? { subject: { type: subjectId.startsWith('REQ') ? 'account-request' : 'account', id: subjectId } } : {}) });
  }
}

function notFound(id: string): Reply {
  return { kind: 'notice', notice: notice('error', 'Not found', `There is no ${id}.`) };
}
