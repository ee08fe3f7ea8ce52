import { APPEAL_TYPES, type Appeal } from '../../bot/domain/appeal-types.ts';
import type { ChecklistCardModel, ChecklistLine } from '../checklist/model.ts';
import { MAX_LINES } from '../checklist/model.ts';
import type { AlertAction } from '../escalation-alert/model.ts';
import { ukDateTime } from '../format.ts';

/** Names for ids, from the directory, the register and the areas. */
export interface AppealNames {
  person: (id: string) => string;
  account: (id: string) => string;
  area: (id: string) => string;
}

/**
 * A public appeal's card: its posts as a checklist (each confirmed removed
 * or archived in the card while it is being taken down), its review date,
 * and what the owner can do now. Every value is shown as plain text.
 */
export function appealCard(a: Appeal, names: AppealNames, today: string): ChecklistCardModel {
  const urgent = a.status === 'closing' && a.closing?.urgent;
  const reviewDue = a.status === 'live' && a.reviewDate <= today;
  const down = a.posts.filter((p) => p.state !== 'live').length;
  const lines: ChecklistLine[] = a.posts.slice(0, MAX_LINES).map((p) => ({
    id: p.id,
    text: p.url,
    done: p.state !== 'live',
    status: p.done ? `${p.state === 'removed' ? 'Removed' : 'Archived'}: confirmed by ${p.done.name}, ${ukDateTime(p.done.at)}` : a.status === 'closing' ? 'To take down: remove or archive it' : 'Live',
    ...(a.status === 'closing' && p.state === 'live' ? { action: { verb: 'appeal.post', title: `Taken down (${p.id})`, style: 'positive' as const } } : {}),
  }));
  return {
    subjectId: a.id,
    heading: urgent ? `🚨 Take down now: ${APPEAL_TYPES[a.type]} appeal ${a.id}` : `📣 ${APPEAL_TYPES[a.type]} appeal ${a.id}`,
    style: a.status === 'finished' ? 'good' : urgent ? 'attention' : reviewDue || a.status === 'closing' ? 'warning' : 'accent',
    facts: [
      { label: 'Account', value: names.account(a.accountId) },
      { label: 'Reference', value: a.reference },
      { label: 'Area', value: names.area(a.area) },
      { label: 'Registered by', value: `${a.registered.name}, ${ukDateTime(a.registered.at)}` },
      ...(a.status === 'live' ? [{ label: 'Review', value: `${a.reviewDate}${reviewDue ? ' (due: keep, remove or archive it)' : ''}` }] : []),
      ...(a.closing ? [{ label: 'Taking down', value: `${a.closing.reason} (${a.closing.name}, ${ukDateTime(a.closing.at)})` }] : []),
    ],
    flags: [
      ...(urgent ? ['The appeal has ended. Take every post down now: an appeal left online after it ends (a missing person found) harms their privacy.'] : []),
      ...(a.escalatedAt ? [`Not all posts were down in time: corporate communications were told at ${ukDateTime(a.escalatedAt)}.`] : []),
      ...(reviewDue ? ['Its review date has come: keep it (with a new review date), remove it or archive it.'] : []),
    ],
    groups: [{ title: `Posts (${down} of ${a.posts.length} taken down)`, lines }],
    hiddenText: a.posts.length > MAX_LINES ? `${a.posts.length - MAX_LINES} more post(s) are not shown; see /appeal ${a.id}.` : '',
    statusText: a.status === 'finished' ? `Finished: every post removed or archived by ${ukDateTime(a.finishedAt!)}.` : a.status === 'closing' ? `Being taken down: ${down} of ${a.posts.length} confirmed.` : `Live: review on ${a.reviewDate}.`,
    actions: actions(a),
    note: '',
    noteColor: 'Default',
    fallbackText: `${urgent ? 'URGENT: take down ' : ''}${APPEAL_TYPES[a.type]} appeal ${a.id} (${a.status})`,
  };
}

function actions(a: Appeal): AlertAction[] {
  if (a.status !== 'live') return [];
  return [
    { verb: 'appeal.keep', title: 'Keep (new review date)', style: 'default' },
    { verb: 'appeal.remove', title: 'Remove it', style: 'default' },
    { verb: 'appeal.archive', title: 'Archive it', style: 'default' },
    { verb: 'appeal.close', title: 'Appeal ended: take down now', style: 'positive' },
  ];
}
