import { CATEGORY_LABELS, SEVERITIES, type Escalation, type Severity } from './escalation.ts';
import type { Surge } from './surge-types.ts';

const QUARTER = 15 * 60_000;

/** What a surge came to, for its stand-down record, summary card and chart. */
export interface SurgeSummary {
  minutes: number;
  peakLevel: number;
  raised: number;
  bySeverity: Record<Severity, number>;
  byCategory: Record<string, number>;
  acknowledged: number;
  /** Minutes from raise to acknowledgement, over those acknowledged. */
  ackMedianMinutes: number | null;
  ackWorstMinutes: number | null;
  responders: string[];
  actionsDone: string[];
  actionsNotDone: string[];
  /** Escalations per 15 minutes from activation, by severity, and the bucket of each level change. */
  buckets: { starts: string[]; bySeverity: Record<Severity, number[]>; levels: Array<{ bucket: number; level: number }> };
}

/**
 * Computes the summary over the escalations raised during the surge (those
 * carrying its id). The chart's buckets start on the quarter hour (21:00,
 * 21:15), whatever minute the surge began.
 */
export function summarise(s: Surge, all: readonly Escalation[], end: string): SurgeSummary {
  const during = all.filter((e) => e.surge?.id === s.id);
  const activated = Date.parse(s.activated.at);
  const start = Math.floor(activated / QUARTER) * QUARTER;
  const count = Math.max(1, Math.ceil((Date.parse(end) - start) / QUARTER));
  const bucketOf = (at: string) => Math.min(count - 1, Math.max(0, Math.floor((Date.parse(at) - start) / QUARTER)));
  const bySeverity = Object.fromEntries(SEVERITIES.map((v) => [v, during.filter((e) => e.severity === v).length])) as Record<Severity, number>;
  const series = Object.fromEntries(SEVERITIES.map((v) => [v, Array.from({ length: count }, () => 0)])) as Record<Severity, number[]>;
  for (const e of during) series[e.severity][bucketOf(e.raised.at)]! += 1;
  const byCategory: Record<string, number> = {};
  for (const e of during) byCategory[CATEGORY_LABELS[e.category]] = (byCategory[CATEGORY_LABELS[e.category]] ?? 0) + 1;
  const waits = during.filter((e) => e.acknowledged).map((e) => (Date.parse(e.acknowledged!.at) - Date.parse(e.raised.at)) / 60_000).sort((a, b) => a - b);
  const median = waits.length ? (waits.length % 2 ? waits[(waits.length - 1) / 2]! : (waits[waits.length / 2 - 1]! + waits[waits.length / 2]!) / 2) : null;
  return {
    minutes: Math.round((Date.parse(end) - activated) / 60_000),
    peakLevel: Math.max(...s.levels.map((l) => l.level)),
    raised: during.length,
    bySeverity,
    byCategory,
    acknowledged: waits.length,
    ackMedianMinutes: median === null ? null : Math.round(median * 10) / 10,
    ackWorstMinutes: waits.length ? Math.round(waits.at(-1)! * 10) / 10 : null,
    responders: s.called.filter((p) => s.answers[p] && s.answers[p]!.answer !== 'unavailable'),
    actionsDone: s.tasks.filter((t) => t.done).map((t) => t.text),
    actionsNotDone: s.tasks.filter((t) => !t.done).map((t) => t.text),
    buckets: {
      starts: Array.from({ length: count }, (_, i) => new Date(start + i * QUARTER).toISOString()),
      bySeverity: series,
      levels: s.levels.map((l) => ({ bucket: bucketOf(l.at), level: l.level })),
    },
  };
}
