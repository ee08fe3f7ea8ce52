import type { Account } from '../../bot/domain/account-types.ts';
import type { AccountNames } from '../account-request/model.ts';
import type { CaseCardModel } from '../case-card/model.ts';
import { ukDateTime } from '../format.ts';

const STATE: Record<Account['state'], string> = {
  awaiting_setup: 'Awaiting set-up by its owner',
  active: 'Active',
  closing: 'Closing',
  closed: 'Closed',
};

/** An account in the register, with the actions its state allows. */
export function accountCard(a: Account, names: AccountNames): CaseCardModel {
  const closure = a.closure;
  const closing = closure ? `Closure ${closure.status.replace('_', ' ')}: ${closure.reason} (${closure.content === 'archive' ? 'archive' : 'delete'} the content, effective ${closure.effectiveDate}); asked by ${closure.requestedBy.name}` : '';
  return {
    subjectId: a.id,
    heading: `🛡️ ${a.platform} @${a.handle} · ${a.displayName}`,
    style: a.state === 'active' ? 'good' : a.state === 'closed' ? 'emphasis' : 'accent',
    facts: [
      { label: 'Register id', value: a.id },
      { label: 'Owning area', value: names.area(a.area) },
      { label: 'Owner', value: names.person(a.ownerId) },
      { label: 'Administrators', value: a.adminIds.map(names.person).join(', ') || 'none' },
      { label: 'Business email', value: a.businessEmail },
      { label: 'Verification', value: a.verified.replace('_', ' ') },
      { label: 'Review date', value: a.reviewDate },
      ...(a.setup ? [{ label: 'Set up', value: `${a.setup.by.name}, ${ukDateTime(a.setup.by.at)}` }] : []),
      ...(closing ? [{ label: 'Closure', value: closing }] : []),
    ],
    flags: a.state === 'active' && a.verified === 'applied' ? ['Verification applied for but not yet granted'] : [],
    statusText: STATE[a.state],
    actions: [
      ...(a.state === 'awaiting_setup' ? [{ verb: 'account.setup', title: 'Complete set-up', style: 'positive' as const }] : []),
      ...(closure?.status === 'awaiting_comms'
        ? [{ verb: 'account.approve_closure', title: 'Approve closure', style: 'positive' as const }, { verb: 'account.reject_closure', title: 'Reject closure', style: 'default' as const }]
        : []),
      ...(a.state === 'active' && closure?.status !== 'awaiting_comms'
        ? [{ verb: 'account.review', title: 'Still needed', style: 'default' as const }, { verb: 'account.close', title: 'Close account', style: 'default' as const }]
        : []),
      ...(a.state === 'active' && a.verified === 'applied' ? [{ verb: 'account.verified', title: 'Verification granted', style: 'default' as const }] : []),
    ],
    note: '',
    noteColor: 'Default',
    fallbackText: `${a.platform} account @${a.handle}: ${STATE[a.state]}.`,
  };
}
