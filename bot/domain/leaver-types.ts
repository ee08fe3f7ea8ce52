import type { CheckpointState } from './checkpoint.ts';
import type { CardCopy, Stamp } from './escalation.ts';
import type { Role } from './roles.ts';

/** A leaver goes; a mover changes post and keeps what the new post needs. */
export type LeaverKind = 'leaver' | 'mover';

/**
 * Whether a case is about a professional-standards matter: `yes` (marked by
 * PSD or information security, with the reason), `review` (someone else
 * ticked "sensitive — PSD to review": PSD decides), or `no`.
 */
export type PsdStatus = 'yes' | 'review' | 'no';

/** What the person starting a case tells us. */
export interface LeaverInput {
  kind: LeaverKind;
  /** The person, by directory id; absent when they are not in the directory. */
  personId?: string;
  /** Their name as given (the directory's name when they are in it). */
  name: string;
  /** YYYY-MM-DD (UK). */
  effectiveDate: string;
  psd: PsdStatus;
  /** Why it is PSD-related: seen only by PSD and information security. */
  psdReason?: string;
  /** Register ids of the accounts they can reach. */
  accountIds: string[];
  /** A mover's new post. */
  newPost?: string;
  /** Roles a mover's new post still needs. */
  keepRoles: Role[];
  /** Accounts (register ids) a mover's new post still needs. */
  keepAccountIds: string[];
  /** Personal or off-network devices they used for force accounts, one per entry. */
  devices: string[];
  /** Third-party apps they authorised, one per entry. */
  apps: string[];
}

/** The offboarding tasks the APP's movers-and-leavers and security guidance call for. */
export const TASKS = {
  smmp_access: 'Remove their access in the social media management platform',
  admin_role: 'Remove their admin role on the platform',
  rotate_credentials: 'Rotate the shared password or passkey',
  remove_2fa: 'Remove their two-factor device',
  logout_sessions: 'Log out all sessions and unknown devices',
  transfer_ownership: 'Transfer ownership to a new owner',
  revoke_apps: 'Revoke the third-party apps they authorised',
  personal_devices: 'Confirm no credentials or 2FA remain on personal or off-network devices',
  bluedesk_roles: 'Remove their Bluedesk roles',
} as const;

export type TaskKind = keyof typeof TASKS;

/** Who does an item: one person, or anyone holding a role (information security). */
export type Assignee = { personId: string } | { role: Role };

/** One checklist item: what to do, for which account, by whom, and when it was done. */
export interface ChecklistItem {
  id: string;
  task: TaskKind;
  accountId?: string;
  /** What to do, in words that never give the reason for the case. */
  text: string;
  assignee: Assignee;
  done?: Stamp & { newOwnerId?: string };
}

/** A leaver or mover case as stored. Times are UTC ISO strings. */
export interface LeaverCase extends LeaverInput {
  id: string;
  status: 'open' | 'complete';
  /** PSD-related or sent for PSD review: seen only by those allowed, never posted to a channel. */
  restricted: boolean;
  requester: Stamp;
  /** The Bluedesk roles the person held (by the config) when the case opened: what a leaver loses. */
  rolesAtOpen: Role[];
  items: ChecklistItem[];
  /** When every item is due (UTC ISO): at once for a PSD-related case, else the end of the effective date. */
  dueAt: string;
  /** Reminders sent (their count) and whether the overdue case went to the escalation people. */
  reminders: number;
  escalatedAt?: string;
  psdReview?: Stamp & { outcome: 'yes' | 'no'; reason: string };
  completed?: Stamp;
  copies: CardCopy[];
}

/**
 * A change to someone's Bluedesk roles made by a leaver case, kept in state
 * and applied over the directory (the force config file is never rewritten).
 */
export interface RoleChange {
  personId: string;
  caseId: string;
  /** Every role suspended at once (a PSD-related case), until the case removes them. */
  suspendedAt?: string;
  /** Roles removed for good on the effective date. */
  removed?: { roles: Role[]; at: string };
}

/** The slice of state leaver cases own. */
export interface LeaversState extends CheckpointState {
  leaverCases: Record<string, LeaverCase>;
  /** Keyed by case id: each case owns its one entry. */
  roleChanges: Record<string, RoleChange>;
  counters: Record<string, number>;
}

/** A person's roles now: the configured ones, less all while suspended, less any removed. */
export function rolesNow(configured: readonly Role[], changes: ReadonlyArray<RoleChange>): Role[] {
  if (changes.some((c) => c.suspendedAt)) return [];
  const removed = new Set(changes.flatMap((c) => c.removed?.roles ?? []));
  return configured.filter((r) => !removed.has(r));
}
