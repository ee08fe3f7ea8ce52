import type { DecisionRecord } from '../../domain/decision-log.ts';

/** The CSV columns, in order: flat enough for a spreadsheet, with the rest as JSON. */
export const CSV_COLUMNS = [
  'seq', 'at', 'action', 'outcome', 'subject_type', 'subject_id', 'actor_id', 'actor_name', 'actor_identity', 'reason',
  'ndm_information', 'ndm_threat_risk', 'ndm_powers_policy', 'ndm_options', 'ndm_action', 'ndm_review_at',
  'details_json', 'restricted', 'redacted_by', 'hash', 'prev',
] as const;

/**
 * A cell as RFC 4180 writes it: quoted when it holds a comma, quote or line
 * break. A cell a spreadsheet would run as a formula (starting = + - @, tab
 * or carriage return) is prefixed with an apostrophe, because user text is
 * data and an auditor's Excel must not execute it.
 */
export function csvCell(value: unknown): string {
  let text = value === undefined || value === null ? '' : typeof value === 'string' ? value : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function row(r: DecisionRecord): unknown[] {
  const n = r.rationale ?? {};
  return [
    r.seq, r.at, r.action, r.outcome, r.subject?.type, r.subject?.id, r.actor?.personId, r.actor?.name, r.actor?.identity, r.reason,
    n.information, n.threatRisk, n.powersPolicy, n.options, n.action, n.reviewAt,
    r.details ? JSON.stringify(r.details) : '', r.restricted ? 'yes' : '', r.redacted?.by, r.hash, r.prev,
  ];
}

/** Records as CSV with a header row and CRLF line ends (RFC 4180). */
export function toCsv(records: readonly DecisionRecord[]): string {
  return [CSV_COLUMNS.join(','), ...records.map((r) => row(r).map(csvCell).join(','))].join('\r\n') + '\r\n';
}

/**
 * Records as JSON Lines, one per line, without their write-ahead images (the
 * state a change wrote, which an auditor reads through `details`): each line
 * keeps its hash, so `npm run verify-log` on the original proves it.
 */
export function toJsonl(records: readonly DecisionRecord[]): string {
  return records.map((r) => {
    const { wal: _wal, ...rest } = r;
    return JSON.stringify(rest);
  }).join('\n') + (records.length ? '\n' : '');
}
