import { mayTick } from '../../bot/domain/leaver-checklist.ts';
import type { ChecklistItem, LeaverCase } from '../../bot/domain/leaver-types.ts';
import { ROLE_LABELS, type Role } from '../../bot/domain/roles.ts';
import { MAX_GROUPS, MAX_LINES, type ChecklistCardModel, type ChecklistLine } from '../checklist/model.ts';
import type { AlertAction } from '../escalation-alert/model.ts';
import { ukDateTime } from '../format.ts';

/**
 * Who a copy of a case card is for, which decides what it shows:
 * `restricted` (PSD and information security) sees everything, including
 * whether and why it is PSD-related; `case` (the requester, comms, the line
 * manager) sees the whole checklist but never that; `tasks` (an assignee)
 * sees only their own items; `channel` is a channel copy of a case that is
 * not restricted.
 */
export type LeaverAudience =
  | { level: 'restricted' | 'case' | 'tasks'; viewer: { id: string; roles: Role[] } }
  | { level: 'channel' };

/** Names for ids, from the directory and the register. */
export interface LeaverNames {
  person: (id: string) => string;
  account: (id: string) => string;
}

/** A leaver or mover case as one audience may see it. */
export function leaverCard(c: LeaverCase, audience: LeaverAudience, names: LeaverNames, now: string, overdueAt: string = c.dueAt): ChecklistCardModel {
  const level = audience.level;
  const viewer = 'viewer' in audience ? audience.viewer : undefined;
  const mine = (i: ChecklistItem) => !viewer || level !== 'tasks' || ('personId' in i.assignee ? i.assignee.personId === viewer.id : viewer.roles.includes(i.assignee.role));
  const items = c.items.filter(mine);
  // Open items first, so those left off a long card are done ones; the rest appear as items are ticked.
  const open = items.filter((i) => !i.done);
  const shown = new Set([...open, ...items.filter((i) => i.done)].slice(0, MAX_LINES).map((i) => i.id));
  const allGroups = groupItems(items.filter((i) => shown.has(i.id)), names);
  const groups = allGroups.slice(0, MAX_GROUPS).map((g) => ({ title: g.title, lines: g.items.map((i) => line(i, viewer, names)) }));
  const hidden = items.length - groups.reduce((n, g) => n + g.lines.length, 0);
  const hiddenOpen = open.filter((i) => !groups.some((g) => g.lines.some((l) => l.id === i.id))).length;
  const done = c.items.filter((i) => i.done).length;
  const overdue = c.status === 'open' && now > overdueAt;
  const word = c.kind === 'mover' ? 'Mover' : 'Leaver';
  const full = level !== 'tasks';
  return {
    subjectId: c.id,
    heading: level === 'tasks' ? `🧾 Offboarding tasks: ${c.name} · ${c.id}` : `${c.kind === 'mover' ? '🔀' : '🚪'} ${word}: ${c.name} · ${c.id}`,
    style: c.status === 'complete' ? 'good' : overdue ? 'attention' : 'accent',
    facts: [
      ...(full ? [{ label: 'Case', value: `${word}, effective ${c.effectiveDate}` }] : [{ label: 'Person', value: c.name }]),
      ...(full && c.newPost ? [{ label: 'New post', value: c.newPost }] : []),
      ...(full ? [{ label: 'Started by', value: `${c.requester.name}, ${ukDateTime(c.requester.at)}` }] : []),
      { label: 'Due', value: c.status === 'complete' ? 'done' : `${dueText(c)}${overdue ? ' (overdue)' : ''}` },
      ...(level === 'restricted' && c.psd === 'yes' ? [{ label: 'PSD-related', value: c.psdReason ?? 'yes' }] : []),
      ...(level === 'restricted' && c.psd === 'review' ? [{ label: 'PSD', value: 'Marked sensitive: waiting for professional standards to review' }] : []),
      ...(level === 'restricted' && c.psdReview ? [{ label: 'PSD review', value: `${c.psdReview.outcome === 'yes' ? 'PSD-related' : 'Not PSD-related'} (${c.psdReview.name}): ${c.psdReview.reason}` }] : []),
    ],
    flags: [
      ...(level === 'restricted' && c.restricted ? ['Restricted: only PSD and information security see why. It never goes to a channel, and tasks say only what to do.'] : []),
      ...(overdue ? [`Overdue: it was due ${ukDateTime(c.dueAt)}.`] : []),
    ],
    groups,
    hiddenText: hidden ? `${hidden} more item(s) are not shown, to keep this card within the platforms’ size limits${hiddenOpen ? ` (${hiddenOpen} still to do: they appear here as others are ticked)` : ' (all done)'}.` : '',
    statusText: c.status === 'complete'
      ? `Complete: every item done; closed ${ukDateTime(c.completed!.at)}.`
      : level === 'tasks' ? `${items.filter((i) => i.done).length} of ${items.length} of your items done.` : `Open: ${done} of ${c.items.length} items done.`,
    actions: caseActions(c, audience),
    note: '',
    noteColor: 'Default',
    fallbackText: level === 'tasks' ? `Offboarding tasks for ${c.name} (${c.id})` : `${word} case ${c.id}: ${c.name}, ${done} of ${c.items.length} done`,
  };
}

function caseActions(c: LeaverCase, audience: LeaverAudience): AlertAction[] {
  if (audience.level !== 'restricted' || c.psd !== 'review' || !audience.viewer.roles.includes('professional_standards')) return [];
  return [{ verb: 'leaver.psd_review', title: 'PSD review', style: 'positive' }];
}

function groupItems(items: ChecklistItem[], names: LeaverNames): Array<{ title: string; items: ChecklistItem[] }> {
  const groups = new Map<string, { title: string; items: ChecklistItem[] }>();
  for (const i of items) {
    const key = i.accountId ?? '';
    if (!groups.has(key)) groups.set(key, { title: i.accountId ? names.account(i.accountId) : 'The person', items: [] });
    groups.get(key)!.items.push(i);
  }
  return [...groups.values()];
}

function line(i: ChecklistItem, viewer: { id: string; roles: Role[] } | undefined, names: LeaverNames): ChecklistLine {
  const who = 'personId' in i.assignee ? names.person(i.assignee.personId) : ROLE_LABELS[i.assignee.role];
  const status = i.done
    ? `Done by ${i.done.name}, ${ukDateTime(i.done.at)}${i.done.newOwnerId ? `; new owner ${names.person(i.done.newOwnerId)}` : ''}`
    : `To do: ${who}`;
  const canAct = !i.done && (!viewer || mayTick(i, viewer));
  return { id: i.id, text: i.text, done: !!i.done, status, ...(canAct ? { action: actionFor(i) } : {}) };
}

function actionFor(i: ChecklistItem): AlertAction {
  if (i.task === 'transfer_ownership') return { verb: 'leaver.transfer', title: `Name new owner (${i.id})`, style: 'positive' };
  if (i.task === 'bluedesk_roles') return { verb: 'leaver.tick', title: `Remove now (${i.id})`, style: 'default' };
  return { verb: 'leaver.tick', title: `Done (${i.id})`, style: 'positive' };
}

function dueText(c: LeaverCase): string {
  return c.psd === 'yes' ? `now (since ${ukDateTime(c.dueAt)})` : `by the end of ${c.effectiveDate}`;
}
