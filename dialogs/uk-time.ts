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
