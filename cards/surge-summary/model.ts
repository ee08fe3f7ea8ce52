import type { SurgeSummary } from '../../bot/domain/surge-summary.ts';
import type { Surge } from '../../bot/domain/surge-types.ts';
import type { CaseCardModel } from '../case-card/model.ts';
import { duration } from '../surge/model.ts';

/**
 * The stand-down summary: how long, how high, what came in (by severity and
 * category), how fast it was acknowledged, who came, what was done and not,
 * the debrief, and the chart (each platform's adapter settles how it is shown).
 */
export function surgeSummaryCard(s: Surge, sum: SurgeSummary, names: { person: (id: string) => string }, chart: { sha256: string; url?: string }): CaseCardModel {
  const sev = Object.entries(sum.bySeverity).map(([k, n]) => `${k} ${n}`).join(', ');
  const cat = Object.entries(sum.byCategory).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  const down = s.standDown!;
  return {
    subjectId: s.id,
    heading: `📊 Surge summary · ${s.incidentName} · ${s.id}`,
    style: 'emphasis',
    facts: [
      { label: 'Duration', value: `${duration(s.activated.at, down.at)} (peak level ${sum.peakLevel})` },
      { label: 'Escalations', value: `${sum.raised}: ${sev}` },
      { label: 'By category', value: cat },
      { label: 'Time to acknowledge', value: sum.ackMedianMinutes === null ? 'none acknowledged' : `median ${sum.ackMedianMinutes} min, worst ${sum.ackWorstMinutes} min (${sum.acknowledged} of ${sum.raised} acknowledged)` },
      { label: 'Responders', value: sum.responders.map(names.person).join(', ') || 'none' },
      { label: 'Actions done', value: sum.actionsDone.join('; ') || 'none' },
      { label: 'Not done', value: sum.actionsNotDone.join('; ') || 'none' },
      { label: 'Debrief', value: down.debrief },
    ],
    flags: [],
    statusText: `Stood down by ${down.name}`,
    image: {
      sha256: chart.sha256, ...(chart.url ? { url: chart.url } : {}),
      alt: `Chart of escalations per 15 minutes during ${s.incidentName}, by severity, with the level changes marked: ${sum.raised} in all, peak level ${sum.peakLevel}.`,
      missing: `kept with the record (SHA-256 ${chart.sha256.slice(0, 16)}…); this platform could not be sent it, so ask the digital desk for it`,
    },
    actions: [],
    note: '',
    noteColor: 'Default',
    fallbackText: `Surge ${s.id} summary: ${sum.raised} escalations over ${duration(s.activated.at, down.at)}`,
  };
}
