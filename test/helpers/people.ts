import type { Person } from '../../bot/domain/people.ts';
import type { Role } from '../../bot/domain/roles.ts';

export const TENANT = '11111111-2222-3333-4444-555555555555';
export const SLACK_TEAM = 'T0TESTTEAM';

/** A person for unit tests, with both platform identities. */
export function person(id: string, roles: Role[], areas: string[] = []): Person {
  return {
    id,
    name: id,
    email: `${id}@example.police.uk`,
    roles,
    areas,
    teams: { aadObjectId: `aad-${id}`, tenantId: TENANT },
    slack: { userId: `U${id.toUpperCase().replace(/[^A-Z0-9]/g, '')}`, teamId: SLACK_TEAM },
  };
}
