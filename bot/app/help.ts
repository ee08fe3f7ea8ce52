import { notice, type NoticeModel } from '../../cards/notice/model.ts';
import type { Person } from '../domain/people.ts';
import { allowedActions, type Action } from '../domain/policy.ts';
import { ROLE_LABELS } from '../domain/roles.ts';

/** How each action is reached, in words that work on both platforms. */
const HOW: Partial<Record<Action, string>> = {
  'escalation.raise': '/escalate <link> <what you saw> — raise an escalation (opens a short form)',
  'escalation.view': '/escalations — open escalations for you; /escalation <id> — its full timeline; /coverage — when the desk is not staffed',
  'escalation.acknowledge': 'Acknowledge, Record decision, Escalate, Close — on an alert card',
  'escalation.note': 'Add note — on an alert card',
  'escalation.assign': 'Assign and Reopen — on an alert card',
  'account.request': '/account request — ask for a new official account; /account close <handle> — ask to close one',
  'account.view': '/accounts [platform] [area] [state] — the register; /account <handle> — one account and its history',
  'account.approve_comms': 'Approve, Reject, Request changes — on account request cards (corporate communications stage); approve closures',
  'account.approve_infosec': 'Approve, Reject, Request changes — on account request cards (information security stage)',
  'impersonation.report': '/impersonation — report a fake or impersonation account',
  'impersonation.update': 'Reported to platform, Taken down, Platform declined — on impersonation cards',
  'routes.view': '/routes — each route, its places, and whether Bluedesk can reach each one now',
};

/** Short help listing what this person's roles allow. */
export function helpNotice(person: Person): NoticeModel {
  const roles = person.roles.map((r) => ROLE_LABELS[r]).join(', ');
  return notice('info', 'Bluedesk commands',
    `Hello ${person.name} (${roles}). You can use:`,
    ...allowedActions(person).flatMap((a) => (HOW[a] ? [`• ${HOW[a]}`] : [])),
    '• help — show this list');
}
