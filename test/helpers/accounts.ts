import { Checkpoint, CheckpointedLog } from '../../bot/domain/checkpoint.ts';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountDomain } from '../../bot/domain/account-domain.ts';
import type { AccountDetails } from '../../bot/domain/account-types.ts';
import { ManualClock } from '../../bot/domain/clock.ts';
import type { Actor } from '../../bot/domain/people.ts';
import type { Role } from '../../bot/domain/roles.ts';
import { emptyState } from '../../bot/state.ts';
import { JsonlDecisionLog } from '../../data/jsonl-decision-log.ts';
import { JournaledStateStore } from '../../data/journal-store.ts';
import { person } from './people.ts';

export const actor = (id: string, roles: Role[]): Actor => ({ person: person(id, roles), via: { platform: 'slack', userId: `U${id.toUpperCase()}`, teamId: 'T1' } });

export function details(over: Partial<AccountDetails> = {}): AccountDetails {
  return {
    platform: 'X', handle: 'ExamplePolNorth', displayName: 'Example Police North', purpose: 'Local engagement', audience: 'North residents', area: 'north',
    ownerId: 'owner', adminIds: ['admin'], businessEmail: 'north.social@example.police.uk', verificationPlan: 'Apply for government verification',
    twoFactor: 'authenticator', loginAlerts: true, credentialsInPasswordManager: true, smmpEnrolled: true, thirdPartyApps: [], reviewDate: '2027-11-25', ...over,
  };
}

/** The real account domain on real storage, with a manual clock. */
export async function testAccountDomain() {
  const dir = await mkdtemp(join(tmpdir(), 'acc-'));
  const clock = new ManualClock(new Date('2026-11-25T10:00:00Z'));
  const logPath = join(dir, 'decisions.jsonl');
  const domain = accountDomain(await JournaledStateStore.open(join(dir, 'state.json'), emptyState), new CheckpointedLog(await JsonlDecisionLog.open(logPath, clock), new Checkpoint()), clock);
  return { ...domain, clock, logPath };
}
