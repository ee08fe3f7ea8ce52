import { DAYS, type CoverageConfig } from '../config/schema-operations.ts';

const UK = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const DAY_NAMES: Record<(typeof DAYS)[number], string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

/** The UK local weekday and minute of the day for an instant. */
export function ukWeekMinute(at: Date): { day: (typeof DAYS)[number]; minute: number } {
  const parts = Object.fromEntries(UK.formatToParts(at).map((p) => [p.type, p.value]));
  const day = String(parts.weekday).slice(0, 3).toLowerCase() as (typeof DAYS)[number];
  return { day, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when the desk is staffed at that instant. No coverage config means staffed 24/7. */
export function isStaffed(at: Date, coverage: CoverageConfig | undefined): boolean {
  if (!coverage) return true;
  const { day, minute } = ukWeekMinute(at);
  return coverage.staffed.some((p) => p.days.includes(day) && minute >= toMinutes(p.from) && minute < toMinutes(p.to));
}

/**
 * The unstaffed periods of a week, per day, merged: the risk the APP asks a
 * force to record when it cannot monitor social media 24/7.
 */
export function unstaffedPeriods(coverage: CoverageConfig | undefined): string[] {
  if (!coverage) return [];
  const out: string[] = [];
  for (const day of DAYS) {
    const covered = coverage.staffed.filter((p) => p.days.includes(day)).map((p) => [toMinutes(p.from), toMinutes(p.to)] as const).sort((a, b) => a[0] - b[0]);
    let cursor = 0;
    const gaps: string[] = [];
    for (const [from, to] of covered) {
      if (from > cursor) gaps.push(`${fmt(cursor)}–${fmt(from)}`);
      cursor = Math.max(cursor, to);
    }
    if (cursor < 24 * 60) gaps.push(`${fmt(cursor)}–24:00`);
    if (gaps.length) out.push(`${DAY_NAMES[day]}: ${gaps.join(', ')}`);
  }
  return out;
}

function fmt(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}
