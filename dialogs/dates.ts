const UK_PARTS = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The UTC offset of UK local time at an instant, in minutes (0 in winter, 60 in summer). */
function ukOffsetMinutes(utcMs: number): number {
  const p = Object.fromEntries(UK_PARTS.formatToParts(new Date(utcMs)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return Math.round((asUtc - Math.floor(utcMs / 60_000) * 60_000) / 60_000);
}

/** "2026-11-26 09:00" in UK local time → a UTC ISO string, or undefined when it is not a real time. */
export function ukLocalToIso(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  const check = new Date(naive);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return undefined;
  // The offset depends on the instant, so take it at a first guess and again at the corrected one.
  const guess = naive - ukOffsetMinutes(naive) * 60_000;
  return new Date(naive - ukOffsetMinutes(guess) * 60_000).toISOString();
}

const UK_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in the UK, as YYYY-MM-DD. */
export function ukToday(now: Date): string {
  return UK_DAY.format(now);
}

/** A day after (or before, with a negative count) a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** True when the text is YYYY-MM-DD and a day the calendar has (not 2030-02-30, which Date.parse rolls over to 2 March). */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = m.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * What is wrong with a date typed into a form, or nothing: it must be
 * YYYY-MM-DD, a real calendar day, and where the field means a future, not
 * before today (`from: 'today'`) or after today (`from: 'tomorrow'`), in UK time.
 */
export function dateProblem(value: string, now: Date, rule: { from?: 'today' | 'tomorrow' } = {}): string | undefined {
  const today = ukToday(now);
  const example = rule.from === 'today' ? today : addDays(today, 1);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return `Enter the date as YYYY-MM-DD, e.g. ${example}.`;
  if (!isCalendarDate(value)) return `${value} is not a date in the calendar. Enter it as YYYY-MM-DD, e.g. ${example}.`;
  if (rule.from === 'today' && value < today) return `The date cannot be in the past (today is ${today}).`;
  if (rule.from === 'tomorrow' && value <= today) return `The date must be after today (${today}).`;
  return undefined;
}

/** A UK local time that is a sensible example for a future field: 09:00 tomorrow. */
export function exampleUkDateTime(now: Date): string {
  return `${addDays(ukToday(now), 1)} 09:00`;
}

/** What is wrong with a UK local date and time (YYYY-MM-DD HH:MM), or nothing; `future` asks for a time after now. */
export function ukDateTimeProblem(value: string, now: Date, rule: { future?: boolean } = {}): string | undefined {
  const example = exampleUkDateTime(now);
  if (!/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$/.test(value.trim())) return `Enter the time as YYYY-MM-DD HH:MM in UK time, e.g. ${example}.`;
  const iso = ukLocalToIso(value);
  if (!iso) return `${value} is not a real date and time. Enter it as YYYY-MM-DD HH:MM in UK time, e.g. ${example}.`;
  if (rule.future && Date.parse(iso) <= now.getTime()) return `The time must be in the future (it is ${ukToday(now)} ${UK_PARTS.format(now).slice(-5)} now in the UK).`;
  return undefined;
}
