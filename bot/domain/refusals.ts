import type { DecisionLog } from './decision-log.ts';
import { identityKey, type Actor, type PlatformIdentity, type UnresolvedReason } from './people.ts';

/** Records that a known person was refused an action, and why. */
export async function recordRefusal(
  log: DecisionLog,
  actor: Actor,
  attempted: string,
  reason: string,
  subject?: { type: string; id: string },
): Promise<void> {
  await log.append({
    action: attempted,
    outcome: 'refused',
    actor: { personId: actor.person.id, name: actor.person.name, identity: identityKey(actor.via) },
    ...(subject ? { subject } : {}),
    reason,
  });
}

/**
 * What an outsider tried, as recorded: a command or verb name, normalised and
 * bounded. Never their message: it is someone else's text, of any length.
 */
export function attemptedName(attempted: string): string {
  const word = attempted.trim().split(/\s+/)[0] ?? '';
  const name = word.toLowerCase().replace(/^\//, '').replace(/[^a-z0-9._-]/g, '').slice(0, 40);
  return name || 'message';
}

/** Records that someone the directory does not know tried to use the bot. */
export async function recordUnknownAccess(log: DecisionLog, via: PlatformIdentity, reason: UnresolvedReason, attempted: string): Promise<void> {
  await log.append({
    action: 'access.refused',
    outcome: 'refused',
    actor: { identity: identityKey(via), ...(via.name ? { name: via.name.slice(0, 100) } : {}) },
    reason,
    details: { attempted: attemptedName(attempted) },
  });
}
