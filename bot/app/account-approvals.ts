import type { RecordListItem, RecordListModel } from '../../cards/record-list/model.ts';
import type { AccountNames } from '../../cards/account-request/model.ts';
import type { AccountDomain } from '../domain/account-domain.ts';
import type { Account, AccountRequest } from '../domain/account-types.ts';
import type { Person } from '../domain/people.ts';
import { authorise } from '../domain/policy.ts';

/**
 * `/approvals`: what waits on this person in account governance, wherever
 * its card went (or could not go): requests at a stage they may decide
 * (never their own, and never the second stage of one they approved first),
 * closures they may approve, and accounts of theirs awaiting set-up. Each
 * item opens its card, whose buttons act on it.
 */
export class AccountApprovals {
  constructor(private readonly deps: { domain: AccountDomain; names: AccountNames }) {}

  list(person: Person): RecordListModel {
    const { requests, accounts } = this.deps.domain;
    const decide = requests.all().filter((r) => this.mayDecide(person, r)).map((r) => this.requestItem(r));
    const closures = accounts.all().filter((a) => a.closure?.status === 'awaiting_comms' && a.closure.requestedBy.personId !== person.id && authorise(person, 'account.approve_closure').allowed).map((a) => this.accountItem(a, `Closure asked for by ${a.closure!.requestedBy.name}: ${a.closure!.reason} (effective ${a.closure!.effectiveDate})`));
    const setups = accounts.all().filter((a) => a.state === 'awaiting_setup' && a.ownerId === person.id).map((a) => this.accountItem(a, 'Approved: you own it, and its set-up checklist is waiting for you'));
    const items = [...decide, ...closures, ...setups];
    return {
      title: 'Waiting for you',
      subtitle: items.length ? `${items.length} account decision(s) or set-up(s) for ${person.name}. Open one to act on it.` : `For ${person.name}.`,
      items,
      empty: 'Nothing in account governance is waiting for you.',
    };
  }

  /** Whether this person may decide the request at the stage it is at. */
  mayDecide(person: Person, r: AccountRequest): boolean {
    if (r.requester.personId === person.id) return false;
    if (r.status === 'awaiting_comms') return authorise(person, 'account.approve_comms', { area: r.details.area }).allowed;
    if (r.status === 'awaiting_infosec') return r.commsApproval?.personId !== person.id && authorise(person, 'account.approve_infosec', { area: r.details.area }).allowed;
    return false;
  }

  private requestItem(r: AccountRequest): RecordListItem {
    const stage = r.status === 'awaiting_comms' ? 'corporate communications (stage 1 of 2)' : `information security (stage 2 of 2; corporate communications: ${r.commsApproval?.name ?? 'approved'})`;
    return {
      heading: `${r.id} · ${r.details.platform} @${r.details.handle}`,
      lines: [`Asked for by ${r.requester.name} for ${this.deps.names.area(r.details.area)}; waiting for ${stage}.`],
      action: { verb: 'account.open', title: `Open ${r.id}`, subjectId: r.id },
    };
  }

  private accountItem(a: Account, line: string): RecordListItem {
    return { heading: `${a.id} · ${a.platform} @${a.handle}`, lines: [line], action: { verb: 'account.open', title: `Open @${a.handle}`.slice(0, 75), subjectId: a.id } };
  }
}
