import type { AccountDetails, AccountRequest, AccountsState } from './account-types.ts';
import type { Actor } from './people.ts';
import type { Action } from './policy.ts';
import type { Outcome, Plan, RecordKeeper } from './record-keeper.ts';

/** The stage a request waits on, and the permission that acts on it. */
const STAGE: Partial<Record<AccountRequest['status'], { action: Action; name: string }>> = {
  awaiting_comms: { action: 'account.approve_comms', name: 'corporate communications' },
  awaiting_infosec: { action: 'account.approve_infosec', name: 'information security' },
};

/**
 * Requests for new official accounts and their two-stage approval:
 * corporate communications, then information security. Separation of
 * duties: the requester approves nothing, and nobody approves both stages.
 */
export class AccountRequests {
  constructor(private readonly keeper: RecordKeeper<AccountRequest, AccountsState>) {}

  get(id: string): AccountRequest | undefined {
    return this.keeper.get(id);
  }

  /** Like `get`, reading a request from the archive where that needs I/O (PostgreSQL). */
  fetch(id: string): Promise<AccountRequest | undefined> {
    return this.keeper.fetch(id);
  }

  /** The requests in hot state: those in progress, and those decided lately. */
  all(): AccountRequest[] {
    return this.keeper.all();
  }

  /**
   * Moves requests decided before `cutoff` (rejected, or approved and in the
   * register) out of hot state into the archive; `keep` holds back those
   * still needed there (an outbox item still updating their card).
   */
  archiveDecided(cutoff: string, keep: (r: AccountRequest) => boolean): Promise<number> {
    return this.keeper.archiveFinished((r) => {
      if (r.status === 'rejected') return r.lastComment?.by.at ?? '';
      return r.status === 'approved' && r.accountId ? r.infosecApproval?.at ?? '' : undefined;
    }, cutoff, keep);
  }

  submit(actor: Actor, details: AccountDetails): Promise<AccountRequest> {
    return this.keeper.create(actor, 'account.requested', (id, stamp) => ({ id, status: 'awaiting_comms', details, requester: stamp, copies: [] }), (r) => ({ ...r.details }));
  }

  /** Approves the stage the request is at. */
  approve(actor: Actor, id: string): Promise<Outcome<AccountRequest>> {
    return this.atStage(actor, id, (r, stage) => {
      if (r.requester.personId === actor.person.id) return { reject: 'refused', reason: 'Separation of duties: you cannot approve your own request.' };
      if (r.status === 'awaiting_infosec' && r.commsApproval?.personId === actor.person.id) {
        return { reject: 'refused', reason: 'Separation of duties: one person cannot approve both stages. Information security approval must come from someone else.' };
      }
      const comms = r.status === 'awaiting_comms';
      return {
        log: { action: comms ? 'account.approved_comms' : 'account.approved_infosec', details: { stage: stage.name } },
        apply: (x, stamp) => {
          if (comms) Object.assign(x, { status: 'awaiting_infosec', commsApproval: stamp });
          else Object.assign(x, { status: 'approved', infosecApproval: stamp });
        },
      };
    });
  }

  /** Rejects at the current stage; a reason is required. */
  reject(actor: Actor, id: string, reason: string): Promise<Outcome<AccountRequest>> {
    return this.comment(actor, id, reason, 'rejected');
  }

  /** Sends the request back to the requester to amend; a comment is required. */
  requestChanges(actor: Actor, id: string, comment: string): Promise<Outcome<AccountRequest>> {
    return this.comment(actor, id, comment, 'changes');
  }

  /** The requester's amended request goes back to the first stage. */
  resubmit(actor: Actor, id: string, details: AccountDetails): Promise<Outcome<AccountRequest>> {
    return this.keeper.change(actor, id, 'account.request', (r) => {
      if (r.requester.personId !== actor.person.id) return { reject: 'refused', reason: 'Only the requester can amend and resubmit a request.' };
      if (r.status !== 'changes_requested') return { reject: 'conflict', reason: `${r.id} is not waiting for changes.` };
      return {
        log: { action: 'account.resubmitted', details: { ...details } },
        apply: (x) => {
          x.details = details;
          x.status = 'awaiting_comms';
          delete x.commsApproval;
          delete x.infosecApproval;
        },
      };
    });
  }

  /** Links an approved request to the register entry it became. */
  async linkAccount(id: string, accountId: string, actor: Actor): Promise<void> {
    await this.keeper.change(actor, id, undefined, () => ({ log: { action: 'account.registered', details: { accountId } }, apply: (x) => { x.accountId = accountId; } }));
  }

  /** Posts the card to more places, in the same kind of commit as a change. */
  publish: RecordKeeper<AccountRequest, AccountsState>['publish'] = (id, to) => this.keeper.publish(id, to);

  private comment(actor: Actor, id: string, text: string, kind: 'rejected' | 'changes'): Promise<Outcome<AccountRequest>> {
    return this.atStage(actor, id, (r) => {
      if (!text.trim()) return { reject: 'invalid', reason: kind === 'rejected' ? 'Give the reason for rejecting.' : 'Say what needs to change.' };
      if (r.requester.personId === actor.person.id) return { reject: 'refused', reason: 'Separation of duties: you cannot decide on your own request.' };
      return {
        log: { action: kind === 'rejected' ? 'account.rejected' : 'account.changes_requested', reason: text.trim() },
        apply: (x, stamp) => {
          x.status = kind === 'rejected' ? 'rejected' : 'changes_requested';
          x.lastComment = { by: stamp, text: text.trim(), kind };
        },
      };
    });
  }

  /** Runs a decision at the request's current stage, under that stage's permission. */
  private async atStage(actor: Actor, id: string, plan: (r: AccountRequest, stage: { action: Action; name: string }) => Plan<AccountRequest>): Promise<Outcome<AccountRequest>> {
    const current = await this.keeper.fetch(id);
    const stage = current && STAGE[current.status];
    if (!current) return { kind: 'not-found' };
    if (!stage) return { kind: 'conflict', reason: `${id} is ${current.status.replace('_', ' ')}: there is nothing to decide.`, record: current };
    return this.keeper.change(actor, id, stage.action, (r) => (r.status === current.status ? plan(r, stage) : { reject: 'conflict', reason: `${id} has moved on: it is now ${r.status.replace('_', ' ')}.` }));
  }
}
