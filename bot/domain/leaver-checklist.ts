import type { Account } from './account-types.ts';
import { TASKS, type Assignee, type ChecklistItem, type LeaverInput, type TaskKind } from './leaver-types.ts';
import type { Person } from './people.ts';
import type { Role } from './roles.ts';

/** Items for each account a person loses: the owner does them unless the owner is the one leaving. */
const ACCOUNT_TASKS: readonly TaskKind[] = ['smmp_access', 'admin_role', 'rotate_credentials', 'remove_2fa', 'logout_sessions'];

const INFOSEC: Assignee = { role: 'information_security' };

/** What the checklist builder needs to know about the people involved. */
export interface ChecklistPeople {
  /** Whether a person may be given account tasks: in the directory and holding a role now (not suspended). */
  canAct(personId: string): boolean;
}

/**
 * Builds the offboarding checklist for a case: for every account the person
 * loses, the access and credential items (and ownership transfer where they
 * own it); for the person, third-party apps, personal devices and their
 * Bluedesk roles. A mover keeps what the new post still needs. Item text
 * says what to do and never why. `after` numbers items after a case's
 * existing ones; `accountsOnly` builds just the account items (for an
 * account the register gained after the case opened).
 */
export function buildChecklist(input: LeaverInput, accounts: ReadonlyArray<Account>, people: ChecklistPeople, subject: Pick<Person, 'roles'> | undefined, opts: { after?: number; accountsOnly?: boolean } = {}): ChecklistItem[] {
  const items: ChecklistItem[] = [];
  const add = (task: TaskKind, assignee: Assignee, text: string, accountId?: string) =>
    items.push({ id: String((opts.after ?? 0) + items.length + 1), task, assignee, text, ...(accountId ? { accountId } : {}) });
  const who = input.name;
  const losing = accounts.filter((a) => input.accountIds.includes(a.id) && !(input.kind === 'mover' && input.keepAccountIds.includes(a.id)));
  for (const a of losing) {
    const owns = a.ownerId === input.personId;
    // The departing owner cannot offboard themselves: information security does it, and names the new owner.
    const assignee: Assignee = !owns && people.canAct(a.ownerId) ? { personId: a.ownerId } : INFOSEC;
    const handle = `${a.platform} @${a.handle}`;
    for (const task of ACCOUNT_TASKS) add(task, assignee, accountTaskText(task, who, handle), a.id);
    if (owns) add('transfer_ownership', INFOSEC, `Name a new owner for ${handle} and transfer it from ${who}`, a.id);
  }
  if (opts.accountsOnly) return items;
  if (input.apps.length) add('revoke_apps', INFOSEC, `Revoke the third-party apps ${who} authorised: ${input.apps.join(', ')}`);
  if (losing.length || input.devices.length) {
    const devices = input.devices.length ? ` (${input.devices.join(', ')})` : '';
    add('personal_devices', INFOSEC, `Confirm no force credentials or 2FA remain on ${who}'s personal or off-network devices${devices}`);
  }
  const losesRoles = subject ? subject.roles.filter((r) => !(input.kind === 'mover' && input.keepRoles.includes(r))) : [];
  if (losesRoles.length) add('bluedesk_roles', INFOSEC, `Remove ${who}'s Bluedesk roles${input.kind === 'mover' ? ' the new post does not need' : ''} (Bluedesk does this itself on the effective date)`);
  return items;
}

function accountTaskText(task: TaskKind, who: string, handle: string): string {
  switch (task) {
    case 'smmp_access': return `Remove ${who}'s access to ${handle} in the social media management platform`;
    case 'admin_role': return `Remove ${who}'s admin access to ${handle} on the platform`;
    case 'rotate_credentials': return `Rotate the shared password or passkey of ${handle}`;
    case 'remove_2fa': return `Remove ${who}'s two-factor device from ${handle}`;
    case 'logout_sessions': return `Log out all sessions and unknown devices on ${handle}`;
    default: return `${TASKS[task]} (${handle})`;
  }
}

/** Whether a person may tick an item: its assignee, a holder of its role, or information security. */
export function mayTick(item: ChecklistItem, person: Pick<Person, 'id' | 'roles'>): boolean {
  if (person.roles.includes('information_security')) return true;
  return 'personId' in item.assignee ? item.assignee.personId === person.id : person.roles.includes(item.assignee.role);
}

/** Whether an item is one of this person's to do (assigned to them, or to a role they hold). */
export function isAssignedTo(item: ChecklistItem, person: Pick<Person, 'id' | 'roles'>): boolean {
  return 'personId' in item.assignee ? item.assignee.personId === person.id : person.roles.includes(item.assignee.role);
}

/** The people an item's assignee means now: the person, or everyone holding the role. */
export function assigneeIds(item: ChecklistItem, holders: (role: Role) => string[]): string[] {
  return 'personId' in item.assignee ? [item.assignee.personId] : holders(item.assignee.role);
}
