import type { Person } from './people.ts';
import { ROLE_LABELS, type Role } from './roles.ts';

/** Everything a person can be allowed or refused. */
export type Action = 'escalation.raise' | 'escalation.acknowledge';

/** How far a role's permission reaches: everywhere, or only in the person's own areas. */
export type Reach = 'force' | 'own-area';

/**
 * Who may do what: the one table. A role missing from an action's row may not do it.
 * Anyone on staff may raise; acknowledging needs someone who can act on it
 * (the desk, comms, command, the specialist teams, or a neighbourhood team in its own area).
 */
export const POLICY: Readonly<Record<Action, Readonly<Partial<Record<Role, Reach>>>>> = {
  'escalation.raise': {
    corporate_comms: 'force',
    digital_desk: 'force',
    information_management: 'force',
    information_security: 'force',
    investigations_intelligence: 'force',
    neighbourhood: 'force',
    professional_standards: 'force',
    command: 'force',
  },
  'escalation.acknowledge': {
    corporate_comms: 'force',
    digital_desk: 'force',
    investigations_intelligence: 'force',
    professional_standards: 'force',
    command: 'force',
    neighbourhood: 'own-area',
  },
};

/** What people see for each action in help and refusals. */
export const ACTION_LABELS: Record<Action, string> = {
  'escalation.raise': 'raise an escalation',
  'escalation.acknowledge': 'acknowledge an escalation',
};

/** The answer to "may this person do this?" with a reason a person can read. */
export type Verdict = { allowed: true } | { allowed: false; reason: string };

/** Checks the table for one person, action and (optionally) the subject's area. */
export function authorise(person: Person, action: Action, subject: { area?: string } = {}): Verdict {
  const row = POLICY[action];
  for (const role of person.roles) {
    const reach = row[role];
    if (reach === 'force') return { allowed: true };
    if (reach === 'own-area' && subject.area !== undefined && person.areas.includes(subject.area)) return { allowed: true };
  }
  const roles = (Object.keys(row) as Role[]).map((r) => ROLE_LABELS[r] + (row[r] === 'own-area' ? ' (own area)' : ''));
  return { allowed: false, reason: `Only ${roles.join(', ')} may ${ACTION_LABELS[action]}.` };
}

/** The actions a person may take anywhere, for help text. */
export function allowedActions(person: Person): Action[] {
  return (Object.keys(POLICY) as Action[]).filter((a) => person.roles.some((r) => POLICY[a][r] !== undefined));
}
