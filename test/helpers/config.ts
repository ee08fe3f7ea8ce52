import { parseForceConfig } from '../../bot/config/load-config.ts';
import type { ForceConfig } from '../../bot/config/schema.ts';

export const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
export const SLACK_TEAM = 'T0FORCE001';
export const TEAMS_ESCALATION_CHANNEL = '19:escalations@thread.tacv2';
export const TEAMS_TEAM = '19:team-root@thread.tacv2';
export const SLACK_ESCALATION_CHANNEL = 'C0ESCALATE';

/** Test people, each with Teams and Slack identities. */
export const USERS = {
  desk: { id: 'dana.desk', name: 'Dana Desk', aad: 'aad-desk', slack: 'U0DESK0001', roles: ['digital_desk'] },
  jones: { id: 'insp.jones', name: 'Insp. Jones', aad: 'aad-jones', slack: 'U0JONES001', roles: ['command'] },
  infoman: { id: 'ian.im', name: 'Ian Records', aad: 'aad-im', slack: 'U0INFOMAN1', roles: ['information_management'] },
  north: { id: 'pc.north', name: 'PC North', aad: 'aad-north', slack: 'U0NORTH001', roles: ['neighbourhood'], areas: ['north'] },
} as const;

export type UserKey = keyof typeof USERS;

/** The force config the integration tests run on. */
export function testConfig(): ForceConfig {
  return parseForceConfig({
    force: { name: 'Test Constabulary', accessHelp: 'Ask the digital desk supervisor for access.' },
    areas: [{ id: 'north', name: 'North Division' }, { id: 'south', name: 'South Division' }],
    emailDomains: ['test.police.uk'],
    platforms: { teams: { tenantIds: [TENANT] }, slack: { teamIds: [SLACK_TEAM] } },
    people: Object.values(USERS).map((u) => ({
      id: u.id, name: u.name, email: `${u.id}@test.police.uk`, roles: u.roles, areas: 'areas' in u ? u.areas : [],
      teams: { aadObjectId: u.aad, tenantId: TENANT },
      slack: { userId: u.slack, teamId: SLACK_TEAM },
    })),
    channels: {
      escalations: {
        teams: [{ channelId: TEAMS_ESCALATION_CHANNEL, name: 'Teams › Escalations' }],
        slack: [{ channelId: SLACK_ESCALATION_CHANNEL, name: '#escalations' }],
      },
    },
  });
}

export function teamsUser(key: UserKey) {
  return { aadObjectId: USERS[key].aad, tenantId: TENANT, name: USERS[key].name };
}

export function slackUser(key: UserKey) {
  return { userId: USERS[key].slack, teamId: SLACK_TEAM, name: USERS[key].name };
}
