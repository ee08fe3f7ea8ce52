import { notice, type NoticeModel } from '../../cards/notice/model.ts';
import type { Person } from '../domain/people.ts';
import { allowedActions, type Action } from '../domain/policy.ts';
import { ROLE_LABELS } from '../domain/roles.ts';

/** How each action is reached, in words that work on both platforms. */
const HOW: Partial<Record<Action, string>> = {
  'escalation.raise': '/escalate <link> <what you saw> — raise an escalation (opens a short form)',
  'escalation.view': '/escalations — open escalations for you; /escalation <id> — its full timeline; /coverage — when the desk is not staffed',
  'escalation.acknowledge': 'Acknowledge, Record decision, Escalate, Close — on an alert card',
  'escalation.note': 'Add note — on an alert card',
  'escalation.assign': 'Assign and Reopen — on an alert card',
  'account.request': '/account request — ask for a new official account; /account close <handle> — ask to close one',
  'account.view': '/accounts [platform] [area] [state] — the register; /account <handle> — one account and its history; /approvals — account requests, closures and set-ups waiting for you; /account REQ-00001 — a request’s card',
  'account.approve_comms': 'Approve, Reject, Request changes — on account request cards (corporate communications stage); approve closures',
  'account.approve_infosec': 'Approve, Reject, Request changes — on account request cards (information security stage)',
  'impersonation.report': '/impersonation — report a fake or impersonation account',
  'impersonation.update': 'Reported to platform, Taken down, Platform declined — on impersonation cards',
  'routes.view': '/routes — each route, its places, and whether Bluedesk can reach each one now',
  'leaver.start': '/leaver [name] or /mover [name] — start an offboarding case; /leaver <id> — one case',
  'leaver.review_psd': 'PSD review — on a case someone marked “sensitive — PSD to review”',
  'person.view': '/person <name> — someone’s effective Bluedesk roles, and why',
  'surge.activate': '/surge — stand the force up for a surge; /surge stand-down — stand it down with a summary',
  'surge.view': '/surge status — where an active surge stands; /continuity — the plan for a platform outage',
  'records.search': '/decisions [escalation|account|leaver|surge|appeal] [by <person>] [from/to YYYY-MM-DD] — search the decision records; /decisions <id> — one subject’s history',
  'appeal.register': '/appeal — register a public appeal post; /appeal closed <id> <why> — the appeal has ended: have every post taken down',
  'appeal.view': '/appeals — live public appeals; /appeal <id> — one appeal',
  'records.hold': '/hold <id> <reason> — place a legal hold; /hold lift <HLD-id> <reason>; /hold — the holds in force',
};

/** The command closest to a mistyped word (at most two letters off), if any. */
export function didYouMean(word: string, commands: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: { command: string; distance: number } | undefined;
  for (const c of commands) {
    const d = editDistance(w, c);
    if (d <= 2 && d < w.length && (!best || d < best.distance)) best = { command: c, distance: d };
  }
  return best?.command;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Short help listing what this person's roles allow. Given the word they
 * typed (when it was not a command), it starts with what was not understood
 * and the nearest command.
 */
export function helpNotice(person: Person, unknown?: { typed: string; suggestion?: string }, title = 'Bluedesk commands'): NoticeModel {
  const roles = person.roles.map((r) => ROLE_LABELS[r]).join(', ');
  return notice('info', title,
    ...(unknown ? [`“${unknown.typed.slice(0, 40)}” is not a Bluedesk command.${unknown.suggestion ? ` Did you mean “${unknown.suggestion}”?` : ''}`] : []),
    `Hello ${person.name} (${roles}). You can use:`,
    ...allowedActions(person).flatMap((a) => (HOW[a] ? [`• ${HOW[a]}`] : [])),
    '• /leavers — open leaver and mover cases you started or have tasks in (a line manager may also start /leaver for their own reports)',
    '• help — show this list');
}
