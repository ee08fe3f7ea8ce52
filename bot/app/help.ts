import { notice, type NoticeModel } from '../../cards/notice/model.ts';
import type { Person } from '../domain/people.ts';
import { allowedActions, type Action } from '../domain/policy.ts';
import { ROLE_LABELS } from '../domain/roles.ts';

/** How each action is reached, in words that work on both platforms. */
const HOW: Record<Action, string> = {
  'escalation.raise': '/escalate <link> <what you saw> — raise an escalation (opens a short form)',
  'escalation.acknowledge': 'Acknowledge — on an escalation alert card',
};

/** Short help listing what this person's roles allow. */
export function helpNotice(person: Person): NoticeModel {
  const roles = person.roles.map((r) => ROLE_LABELS[r]).join(', ');
  return notice('info', 'Bluedesk commands',
    `Hello ${person.name} (${roles}). You can use:`,
    ...allowedActions(person).map((a) => `• ${HOW[a]}`),
    '• help — show this list');
}
