import type { AccountRequest } from '../../bot/domain/account-types.ts';
import type { CaseCardModel } from '../case-card/model.ts';
import { ukDateTime } from '../format.ts';

/** How account cards name people and areas they only have ids for. */
export interface AccountNames {
  person: (id: string) => string;
  area: (id: string) => string;
}

const STATUS: Record<AccountRequest['status'], string> = {
  awaiting_comms: 'Awaiting corporate communications approval (stage 1 of 2)',
  awaiting_infosec: 'Awaiting information security approval (stage 2 of 2)',
  changes_requested: 'Changes requested: waiting for the requester to amend',
  rejected: 'Rejected',
  approved: 'Approved: added to the register, awaiting set-up',
};

/** The approval card for a request for a new official account. */
export function accountRequestCard(r: AccountRequest, names: AccountNames): CaseCardModel {
  const d = r.details;
  const deciding = r.status === 'awaiting_comms' || r.status === 'awaiting_infosec';
  const approvals = [r.commsApproval && `corporate comms: ${r.commsApproval.name}`, r.infosecApproval && `information security: ${r.infosecApproval.name}`].filter(Boolean).join('; ');
  const status = STATUS[r.status] + (approvals ? ` · Approved by ${approvals}` : '') + (r.lastComment && !deciding ? ` · ${r.lastComment.by.name}: ${r.lastComment.text}` : '');
  return {
    subjectId: r.id,
    heading: `📝 Account request ${r.id} · ${d.platform} @${d.handle}`,
    style: r.status === 'rejected' ? 'attention' : r.status === 'approved' ? 'good' : 'accent',
    facts: [
      { label: 'Display name', value: d.displayName },
      { label: 'Purpose', value: d.purpose },
      { label: 'Audience', value: d.audience },
      { label: 'Owning area', value: names.area(d.area) },
      { label: 'Owner', value: names.person(d.ownerId) },
      { label: 'Administrators', value: d.adminIds.map(names.person).join(', ') || 'none' },
      { label: 'Business email', value: d.businessEmail },
      { label: 'Verification plan', value: d.verificationPlan },
      { label: 'Security', value: `2FA: ${d.twoFactor}; login alerts: on; credentials in the password manager: yes; in the SMMP: yes` },
      { label: 'Third-party apps', value: d.thirdPartyApps.join('; ') || 'none' },
      { label: 'Review date', value: d.reviewDate },
      { label: 'Requested by', value: `${r.requester.name}, ${ukDateTime(r.requester.at)}` },
    ],
    flags: [
      ...(d.twoFactor === 'sms' ? ['Two-factor by SMS: it can be intercepted or SIM-swapped; prefer an authenticator app or passkey'] : []),
      ...(d.thirdPartyApps.length ? [`${d.thirdPartyApps.length} third-party app(s) requested: allow only what is critically necessary`] : []),
    ],
    statusText: status,
    actions: deciding
      ? [
          { verb: 'account.approve', title: 'Approve', style: 'positive' },
          { verb: 'account.reject', title: 'Reject', style: 'default' },
          { verb: 'account.changes', title: 'Request changes', style: 'default' },
        ]
      : r.status === 'changes_requested' ? [{ verb: 'account.amend', title: 'Amend and resubmit', style: 'positive' }] : [],
    note: '',
    noteColor: 'Default',
    fallbackText: `Account request ${r.id} for ${d.platform} @${d.handle}: ${STATUS[r.status]}.`,
  };
}
