import { CATEGORY_LABELS, type Escalation } from '../../bot/domain/escalation.ts';
import type { Surge } from '../../bot/domain/surge-types.ts';
import { clip, ukTimeZoned } from '../format.ts';
import type { RecordListModel } from '../record-list/model.ts';

/**
 * One digest per surge, posted once to each channel and updated in place:
 * how many escalations below the threshold have come in, by category, and
 * the newest few. Each can still be acknowledged from /escalations.
 */
export function surgeDigestCard(s: Surge, escalations: Escalation[], opts: { newest: number; from: string }): RecordListModel {
  const counts = new Map<string, number>();
  for (const e of escalations) counts.set(CATEGORY_LABELS[e.category], (counts.get(CATEGORY_LABELS[e.category]) ?? 0) + 1);
  const open = escalations.filter((e) => !e.acknowledged && e.status !== 'closed').length;
  const newest = [...escalations].sort((a, b) => b.raised.at.localeCompare(a.raised.at)).slice(0, opts.newest);
  return {
    title: `Surge digest · ${s.incidentName} · ${s.id}`,
    subtitle: `${escalations.length} escalation(s) of ${opts.from} severity and below since ${ukTimeZoned(s.activated.at)}, ${open} not yet acknowledged. ` +
      `By category: ${[...counts].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ') || 'none yet'}. ` +
      'Critical and high escalations are still posted one by one. Acknowledge these from /escalations.',
    items: newest.map((e) => ({
      heading: `${e.id} · ${e.severity.toUpperCase()} · ${CATEGORY_LABELS[e.category]} · ${ukTimeZoned(e.raised.at)}`,
      lines: [clip(e.summary, 200), e.acknowledged ? `Acknowledged by ${e.acknowledged.name}` : 'Awaiting acknowledgement'],
    })),
    empty: 'No escalations in the digest yet.',
  };
}
