import type { Account, AccountRequest, AccountsState, SetupChecklist } from './account-types.ts';
import type { Actor } from './people.ts';
import type { Outcome, RecordKeeper } from './record-keeper.ts';

/** A closure request's answers. */
export interface ClosureInput {
  reason: string;
  content: 'archive' | 'delete';
  /** YYYY-MM-DD (UK). */
  effectiveDate: string;
}

const isOwnerOrAdmin = (a: Account, personId: string) => a.ownerId === personId || a.adminIds.includes(personId);

/**
 * The register of official accounts: set-up, review, and closure (approved
 * by corporate communications, effective on its date).
 */
export class Accounts {
  constructor(
    private readonly keeper: RecordKeeper<Account, AccountsState>,
    private readonly today: () => string,
  ) {}

  get(id: string): Account | undefined {
    return this.keeper.get(id);
  }

  all(): Account[] {
    return this.keeper.all();
  }

  /** The live (not closed) account with this handle on this platform, if any. */
  byHandle(handle: string, platform?: string): Account | undefined {
    const h = handle.replace(/^@/, '').toLowerCase();
    return this.all().find((a) => a.handle.toLowerCase() === h && (!platform || a.platform === platform) && a.state !== 'closed');
  }

  /** An approved request becomes an account awaiting set-up. */
  register(actor: Actor, request: AccountRequest): Promise<Account> {
    const d = request.details;
    return this.keeper.create(actor, 'account.created', (id, stamp) => ({
      id, state: 'awaiting_setup', platform: d.platform, handle: d.handle.replace(/^@/, ''), displayName: d.displayName, area: d.area,
      ownerId: d.ownerId, adminIds: d.adminIds, businessEmail: d.businessEmail, reviewDate: d.reviewDate, verified: 'pending',
      requestId: request.id, updatedAt: stamp.at, copies: [],
    }), (a) => ({ requestId: a.requestId, handle: a.handle, platform: a.platform }));
  }

  /** The owner (or an admin) confirms the set-up checklist; every security item must be done. */
  completeSetup(actor: Actor, id: string, checklist: SetupChecklist): Promise<Outcome<Account>> {
    return this.keeper.change(actor, id, 'account.setup', (a) => {
      if (!isOwnerOrAdmin(a, actor.person.id)) return { reject: 'refused', reason: 'Only the account’s owner or an administrator can complete its set-up.' };
      if (a.state !== 'awaiting_setup') return { reject: 'conflict', reason: `@${a.handle} is already ${a.state.replace('_', ' ')}.` };
      const missing = [
        ['createdWithBusinessEmail', 'created with the business email'], ['twoFactorOn', 'two-factor authentication on'],
        ['loginAlertsOn', 'login alerts on'], ['inSmmp', 'added to the social media management platform'],
      ].filter(([k]) => !checklist[k as keyof SetupChecklist]).map(([, label]) => label);
      if (missing.length) return { reject: 'invalid', reason: `The account cannot go live until it is ${missing.join(', ')}.` };
      return {
        log: { action: 'account.activated', details: { ...checklist } },
        apply: (x, stamp) => {
          x.state = 'active';
          x.setup = { ...checklist, by: stamp };
          x.verified = checklist.verification === 'granted' ? 'granted' : checklist.verification === 'applied' ? 'applied' : 'not_available';
          x.updatedAt = stamp.at;
        },
      };
    });
  }

  /** Owner, admins or corporate comms ask to close an account. */
  requestClosure(actor: Actor, id: string, c: ClosureInput): Promise<Outcome<Account>> {
    return this.keeper.change(actor, id, 'account.close', (a) => {
      if (!isOwnerOrAdmin(a, actor.person.id) && !actor.person.roles.includes('corporate_comms')) {
        return { reject: 'refused', reason: 'Only the account’s owner, an administrator or corporate communications can ask to close it.' };
      }
      if (a.state === 'closed' || a.state === 'closing') return { reject: 'conflict', reason: `@${a.handle} is already ${a.state}.` };
      if (a.closure?.status === 'awaiting_comms') return { reject: 'conflict', reason: `A closure of @${a.handle} is already waiting for approval.` };
      return {
        log: { action: 'account.closure_requested', reason: c.reason, details: { content: c.content, effectiveDate: c.effectiveDate } },
        apply: (x, stamp) => { x.closure = { ...c, status: 'awaiting_comms', requestedBy: stamp }; },
      };
    });
  }

  /** Corporate comms approve or reject a closure; approval closes it on its effective date. */
  decideClosure(actor: Actor, id: string, approve: boolean, comment = ''): Promise<Outcome<Account>> {
    return this.keeper.change(actor, id, 'account.approve_closure', (a) => {
      if (a.closure?.status !== 'awaiting_comms') return { reject: 'conflict', reason: `No closure of @${a.handle} is waiting for approval.` };
      if (a.closure.requestedBy.personId === actor.person.id) return { reject: 'refused', reason: 'Separation of duties: you cannot approve a closure you asked for.' };
      if (!approve && !comment.trim()) return { reject: 'invalid', reason: 'Give the reason for rejecting the closure.' };
      const closeNow = approve && a.closure.effectiveDate <= this.today();
      return {
        log: { action: approve ? 'account.closure_approved' : 'account.closure_rejected', ...(comment.trim() ? { reason: comment.trim() } : {}), details: { effectiveDate: a.closure.effectiveDate, closedNow: closeNow } },
        apply: (x, stamp) => {
          x.closure = { ...x.closure!, status: approve ? 'approved' : 'rejected', decidedBy: stamp };
          if (approve) x.state = closeNow ? 'closed' : 'closing';
          x.updatedAt = stamp.at;
        },
      };
    });
  }

  /** Closes accounts whose approved closure has reached its effective date (run by the timer). */
  async closeDue(system: Actor): Promise<Account[]> {
    const due = this.all().filter((a) => a.state === 'closing' && a.closure!.effectiveDate <= this.today());
    const closed: Account[] = [];
    for (const a of due) {
      const r = await this.keeper.change(system, a.id, undefined, (x) => (x.state !== 'closing' ? { reject: 'conflict', reason: 'moved on' } : {
        log: { action: 'account.closed', details: { effectiveDate: x.closure!.effectiveDate } },
        apply: (y, stamp) => { y.state = 'closed'; y.updatedAt = stamp.at; },
      }));
      if (r.kind === 'done') closed.push(r.record);
    }
    return closed;
  }

  /** The owner confirms the account is still needed: the next review is in twelve months. */
  confirmReview(actor: Actor, id: string): Promise<Outcome<Account>> {
    return this.keeper.change(actor, id, 'account.setup', (a) => {
      if (!isOwnerOrAdmin(a, actor.person.id)) return { reject: 'refused', reason: 'Only the account’s owner or an administrator can confirm it is still needed.' };
      if (a.state === 'closed') return { reject: 'conflict', reason: `@${a.handle} is closed.` };
      const next = addMonths(this.today(), 12);
      return {
        log: { action: 'account.reviewed', details: { nextReview: next } },
        apply: (x, stamp) => { x.reviewDate = next; x.lastReviewed = stamp; x.updatedAt = stamp.at; },
      };
    });
  }

  /** The owner, an admin or corporate comms record that the platform granted verification. */
  markVerified(actor: Actor, id: string): Promise<Outcome<Account>> {
    return this.keeper.change(actor, id, 'account.setup', (a) => {
      if (!isOwnerOrAdmin(a, actor.person.id) && !actor.person.roles.includes('corporate_comms')) return { reject: 'refused', reason: 'Only the account’s owner, an administrator or corporate communications can record its verification.' };
      if (a.verified === 'granted') return { reject: 'conflict', reason: `@${a.handle} is already verified.` };
      if (a.state !== 'active') return { reject: 'conflict', reason: `@${a.handle} is ${a.state.replace('_', ' ')}.` };
      return { log: { action: 'account.verified' }, apply: (x, stamp) => { x.verified = 'granted'; x.updatedAt = stamp.at; } };
    });
  }

  /**
   * Offboarding changes who holds an account: a new owner in place of one
   * leaving, or an administrator removed. Authorised by the leaver case (its
   * item's assignee); idempotent, so repeating it after a crash changes nothing.
   * The record says what changed, never why: the account's history is widely read.
   */
  changeHolders(actor: Actor, id: string, change: { transfer: { from: string; to: string } } | { removeAdmin: string }): Promise<Outcome<Account>> {
    return this.keeper.change(actor, id, undefined, (a) => {
      if ('transfer' in change) {
        const { from, to } = change.transfer;
        if (a.ownerId !== from) return { reject: 'conflict', reason: `@${a.handle} is no longer owned by them.` };
        return {
          log: { action: 'account.owner_changed', details: { from, to } },
          apply: (x, stamp) => { x.ownerId = to; x.adminIds = x.adminIds.filter((p) => p !== to && p !== from); x.updatedAt = stamp.at; },
        };
      }
      if (!a.adminIds.includes(change.removeAdmin)) return { reject: 'conflict', reason: `They are not an administrator of @${a.handle}.` };
      return {
        log: { action: 'account.admin_removed', details: { personId: change.removeAdmin } },
        apply: (x, stamp) => { x.adminIds = x.adminIds.filter((p) => p !== change.removeAdmin); x.updatedAt = stamp.at; },
      };
    });
  }

  /** Posts the card to more places, in the same kind of commit as a change. */
  publish: RecordKeeper<Account, AccountsState>['publish'] = (id, to) => this.keeper.publish(id, to);
}

/** YYYY-MM-DD plus whole months (clamped to the month's last day). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}
