import type { Surge } from '../../bot/domain/surge-types.ts';
import { TRIGGERS } from '../../bot/domain/surge-types.ts';
import type { ChecklistCardModel, ChecklistLine } from '../checklist/model.ts';
import type { AlertAction } from '../escalation-alert/model.ts';
import { ukDateTime, ukTimeZoned } from '../format.ts';

/** Names for ids on a surge card. */
export interface SurgeNames {
  person: (id: string) => string;
  area: (id: string) => string;
  account: (id: string) => string;
}

const LEVEL_WORD = { 1: 'elevated', 2: 'surge', 3: 'full surge' } as const;

/**
 * The surge alert: what, how big, who is in charge; a live tally of the
 * rota's answers; the actions (and, for an outage, the continuity plan) as
 * a checklist ticked in the card; and the buttons to answer, change the
 * level and stand down.
 */
export function surgeCard(s: Surge, names: SurgeNames, now: string): ChecklistCardModel {
  const active = s.status === 'active';
  const answer = (id: string): string => {
    const a = s.answers[id];
    if (!a) return 'Not answered yet';
    if (a.answer === 'now') return `Available now (said ${ukTimeZoned(a.at)})`;
    if (a.answer === 'from') return `Available from ${a.from} (said ${ukTimeZoned(a.at)})`;
    return `Unavailable (said ${ukTimeZoned(a.at)})`;
  };
  const rota: ChecklistLine[] = s.called.map((id, i) => ({ id: `r${i + 1}`, text: names.person(id), done: s.answers[id]?.answer === 'now' || s.answers[id]?.answer === 'from', status: answer(id) }));
  const task = (kind: 'action' | 'continuity'): ChecklistLine[] => s.tasks.filter((t) => t.kind === kind).map((t) => ({
    id: t.id, text: t.text, done: !!t.done,
    status: t.done ? `Done by ${t.done.name}, ${ukTimeZoned(t.done.at)}` : 'To do',
    ...(!t.done && active ? { action: { verb: 'surge.task', title: `Done (${t.id})`, style: 'positive' as const } } : {}),
  }));
  const coming = s.called.filter((id) => s.answers[id] && s.answers[id]!.answer !== 'unavailable');
  const done = s.tasks.filter((t) => t.done).length;
  const changes = s.levels.slice(1).map((l) => `level ${l.level} at ${ukTimeZoned(l.at)} (${l.by})`);
  const groups = [
    ...(rota.length ? [{ title: `Surge rota: ${coming.length} coming, ${s.called.filter((id) => !s.answers[id]).length} not answered`, lines: rota }] : []),
    ...(task('action').length ? [{ title: 'Actions', lines: task('action') }] : []),
    ...(task('continuity').length ? [{ title: 'Continuity plan', lines: task('continuity') }] : []),
  ];
  return {
    subjectId: s.id,
    heading: active ? `🚨 SURGE · level ${s.level} (${LEVEL_WORD[s.level]}) · ${s.incidentName} · ${s.id}` : `✅ Stood down · ${s.incidentName} · ${s.id}`,
    style: !active ? 'good' : s.level === 3 ? 'attention' : 'warning',
    facts: [
      { label: 'Trigger', value: TRIGGERS[s.trigger] },
      { label: 'Incident', value: s.incidentRef ? `${s.incidentName} (${s.incidentRef})` : s.incidentName },
      { label: 'Level', value: `${s.level}${changes.length ? `; changed: ${changes.join(', ')}` : ''}` },
      { label: 'In charge', value: names.person(s.inChargeId) },
      { label: 'Areas', value: s.areas.map(names.area).join(', ') || 'force-wide' },
      ...(s.accountIds.length ? [{ label: 'Accounts', value: s.accountIds.map(names.account).join(', ') }] : []),
      { label: 'Expected duration', value: s.expectedDuration },
      { label: 'Activated', value: `${ukDateTime(s.activated.at)} by ${s.activated.name}` },
    ],
    flags: active && s.level === 3 ? ['Full surge: escalation service levels follow the surge profile'] : [],
    groups,
    hiddenText: '',
    statusText: active
      ? `Active for ${duration(s.activated.at, now)} · ${coming.length} coming · ${done} of ${s.tasks.length} actions done`
      : `Stood down ${ukDateTime(s.standDown!.at)} by ${s.standDown!.name} after ${duration(s.activated.at, s.standDown!.at)}`,
    actions: active ? ACTIONS : [],
    note: '',
    noteColor: 'Default',
    fallbackText: active ? `Surge level ${s.level}: ${s.incidentName} (${s.id})` : `Surge ${s.id} stood down`,
  };
}

const ACTIONS: AlertAction[] = [
  { verb: 'surge.available_now', title: 'Available now', style: 'positive' },
  { verb: 'surge.available_from', title: 'Available from…', style: 'default' },
  { verb: 'surge.unavailable', title: 'Unavailable', style: 'default' },
  { verb: 'surge.level', title: 'Change level', style: 'default' },
  { verb: 'surge.stand_down', title: 'Stand down', style: 'default' },
];

/** "2 h 05 min" between two instants. */
export function duration(from: string, to: string): string {
  const minutes = Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));
  const h = Math.floor(minutes / 60);
  return h ? `${h} h ${String(minutes % 60).padStart(2, '0')} min` : `${minutes} min`;
}
