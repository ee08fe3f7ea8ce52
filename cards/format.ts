/** The force's time zone: times are stored in UTC and shown in UK local time. */
export const UK_TIME_ZONE = 'Europe/London';

const dateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: UK_TIME_ZONE, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZoneName: 'short',
});

/** "25 Nov 2026, 14:03 GMT" (or BST in summer). */
export function ukDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

/**
 * Escapes the three characters Slack's mrkdwn treats as control characters,
 * so user text cannot forge links or mentions such as `<!channel>`.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to a limit at a word boundary where there is one, marking the cut: for titles people read. */
export function clipWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:·—-]+$/, '')}…`;
}

/** "14:03 GMT" (or BST in summer): a time on a card that also shows zoned dates. */
export function ukTimeZoned(iso: string): string {
  const parts = dateTime.formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('hour')}:${get('minute')} ${get('timeZoneName')}`;
}

/** Cuts text to a platform limit, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
