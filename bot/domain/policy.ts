import type { Person } from './people.ts';
import { ROLE_LABELS, type Role } from './roles.ts';

/** Everything a person can be allowed or refused. */
export type Action =
  | 'escalation.raise'
  | 'escalation.acknowledge'
  | 'escalation.assign'
  | 'escalation.note'
  | 'escalation.decide'
  | 'escalation.escalate'
  | 'escalation.close'
  | 'escalation.reopen'
  | 'escalation.view'
  | 'account.request'
  | 'account.approve_comms'
  | 'account.approve_infosec'
  | 'account.setup'
  | 'account.close'
  | 'account.approve_closure'
  | 'account.view'
  | 'impersonation.report'
  | 'impersonation.update'
  | 'routes.view'
  | 'leaver.start'
  | 'leaver.mark_psd'
  | 'leaver.review_psd'
  | 'leaver.view'
  | 'leaver.view_restricted'
  | 'leaver.tick_any'
  | 'person.view'
  | 'surge.activate'
  | 'surge.manage'
  | 'surge.view'
  | 'records.search'
  | 'records.export'
  | 'records.view_restricted'
  | 'records.hold'
  | 'records.retention'
  | 'appeal.register'
  | 'appeal.close'
  | 'appeal.view';

/** How far a role's permission reaches: everywhere, or only in the person's own areas. */
export type Reach = 'force' | 'own-area';

const ALL: Record<Role, Reach> = {
  corporate_comms: 'force', digital_desk: 'force', information_management: 'force', information_security: 'force',
  investigations_intelligence: 'force', neighbourhood: 'force', professional_standards: 'force', command: 'force',
};
/** Those who act on escalations: the desk, comms, command, the specialist teams, and a neighbourhood team in its own area. */
const RESPONDERS: Partial<Record<Role, Reach>> = {
  corporate_comms: 'force', digital_desk: 'force', investigations_intelligence: 'force', professional_standards: 'force', command: 'force', neighbourhood: 'own-area',
};
/** Those who run the desk: they assign work and can reopen what was closed. */
const DESK_LEADS: Partial<Record<Role, Reach>> = { corporate_comms: 'force', digital_desk: 'force', command: 'force' };
/** Those who see restricted (PSD-related) records and mark a case as one. */
const RESTRICTED_READERS: Partial<Record<Role, Reach>> = { professional_standards: 'force', information_security: 'force' };

/**
 * Who may do what: the one table. A role missing from an action's row may not do it.
 * Anyone on staff may raise and add what they know; responders act; desk leads steer.
 */
export const POLICY: Readonly<Record<Action, Readonly<Partial<Record<Role, Reach>>>>> = {
  'escalation.raise': ALL,
  'escalation.acknowledge': RESPONDERS,
  'escalation.assign': DESK_LEADS,
  'escalation.note': { ...ALL, neighbourhood: 'own-area' },
  'escalation.decide': RESPONDERS,
  'escalation.escalate': RESPONDERS,
  'escalation.close': RESPONDERS,
  'escalation.reopen': DESK_LEADS,
  'escalation.view': { ...ALL, neighbourhood: 'own-area' },
  // Official accounts: comms owns them, information security approves their security, owners set them up.
  'account.request': ALL,
  'account.approve_comms': { corporate_comms: 'force' },
  'account.approve_infosec': { information_security: 'force' },
  'account.setup': ALL,
  'account.close': ALL,
  'account.approve_closure': { corporate_comms: 'force' },
  'account.view': ALL,
  'impersonation.report': ALL,
  'impersonation.update': { corporate_comms: 'force', information_security: 'force' },
  // Where alerts go and whether each place can be reached: the desk leads keep the routes working.
  'routes.view': DESK_LEADS,
  // Movers and leavers: comms, information security and PSD start any case (a line manager starts one for their own reports: see leavers.ts).
  'leaver.start': { corporate_comms: 'force', information_security: 'force', professional_standards: 'force' },
  'leaver.mark_psd': RESTRICTED_READERS,
  'leaver.review_psd': { professional_standards: 'force' },
  'leaver.view': { corporate_comms: 'force', information_security: 'force', professional_standards: 'force' },
  // Restricted (PSD-related) records: only PSD and information security see them, or why they are restricted.
  'leaver.view_restricted': RESTRICTED_READERS,
  'leaver.tick_any': { information_security: 'force' },
  'person.view': { ...DESK_LEADS, ...RESTRICTED_READERS },
  // Surges: corporate comms, the desk leads and command stand the force up, run the surge and stand it down; anyone on staff can see its status.
  'surge.activate': DESK_LEADS,
  'surge.manage': DESK_LEADS,
  'surge.view': ALL,
  // Decision records: those who steer, audit or investigate search the log; information management and PSD export it and hold records; restricted records stay with PSD and information security.
  'records.search': { ...DESK_LEADS, ...RESTRICTED_READERS, information_management: 'force' },
  'records.export': { information_management: 'force', professional_standards: 'force' },
  'records.view_restricted': RESTRICTED_READERS,
  'records.hold': { information_management: 'force', professional_standards: 'force' },
  'records.retention': { information_management: 'force' },
  // Public appeals: those who post them register and close them; neighbourhood teams in their own area.
  'appeal.register': { corporate_comms: 'force', digital_desk: 'force', investigations_intelligence: 'force', neighbourhood: 'own-area' },
  'appeal.close': { corporate_comms: 'force', digital_desk: 'force', investigations_intelligence: 'force', command: 'force', neighbourhood: 'own-area' },
  'appeal.view': ALL,
};

/** What people see for each action in help and refusals. */
export const ACTION_LABELS: Record<Action, string> = {
  'escalation.raise': 'raise an escalation',
  'escalation.acknowledge': 'acknowledge an escalation',
  'escalation.assign': 'assign an escalation',
  'escalation.note': 'add a note to an escalation',
  'escalation.decide': 'record a decision on an escalation',
  'escalation.escalate': 'escalate to the next tier',
  'escalation.close': 'close an escalation',
  'escalation.reopen': 'reopen an escalation',
  'escalation.view': 'view escalations',
  'account.request': 'request an official account',
  'account.approve_comms': 'approve account requests for corporate communications',
  'account.approve_infosec': 'approve account requests for information security',
  'account.setup': 'complete an account’s set-up',
  'account.close': 'request an account’s closure',
  'account.approve_closure': 'approve an account’s closure',
  'account.view': 'view the account register',
  'impersonation.report': 'report an impersonation account',
  'impersonation.update': 'update an impersonation case',
  'routes.view': 'see the routes and whether each place is reachable',
  'leaver.start': 'start a leaver or mover case for anyone',
  'leaver.mark_psd': 'mark a leaver case as PSD-related',
  'leaver.review_psd': 'review a case sent to professional standards',
  'leaver.view': 'see leaver and mover cases',
  'leaver.view_restricted': 'see restricted leaver cases',
  'leaver.tick_any': 'tick any offboarding item',
  'person.view': 'see a person’s effective roles',
  'surge.activate': 'activate a surge',
  'surge.manage': 'run a surge (actions, level, stand-down)',
  'surge.view': 'see a surge’s status',
  'records.search': 'search the decision records',
  'records.export': 'export decision records, reports and subject access requests',
  'records.view_restricted': 'see restricted records',
  'records.hold': 'place or lift a legal hold',
  'records.retention': 'run the retention job',
  'appeal.register': 'register a public appeal',
  'appeal.close': 'close a public appeal',
  'appeal.view': 'see public appeals',
};

/** The answer to "may this person do this?" with a reason a person can read. */
export type Verdict = { allowed: true } | { allowed: false; reason: string };

/** Checks the table for one person, action and (optionally) the subject's area. */
export function authorise(person: Person, action: Action, subject: { area?: string } = {}): Verdict {
  const row = POLICY[action];
  for (const role of person.roles) {
    const reach = row[role];
    if (reach === 'force') return { allowed: true };
    // Without a subject area the question is "anywhere?": an area-scoped role answers yes if it has an area.
    if (reach === 'own-area' && (subject.area === undefined ? person.areas.length > 0 : person.areas.includes(subject.area))) return { allowed: true };
  }
  const roles = (Object.keys(row) as Role[]).map((r) => ROLE_LABELS[r] + (row[r] === 'own-area' ? ' (own area)' : ''));
  return { allowed: false, reason: `Only ${roles.join(', ')} may ${ACTION_LABELS[action]}.` };
}

/** The actions a person may take anywhere, for help text. */
export function allowedActions(person: Person): Action[] {
  return (Object.keys(POLICY) as Action[]).filter((a) => person.roles.some((r) => POLICY[a][r] !== undefined));
}
