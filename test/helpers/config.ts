import { parseForceConfig } from '../../bot/config/load-config.ts';
import type { ForceConfig } from '../../bot/config/schema.ts';

export const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
export const SLACK_TEAM = 'T0FORCE001';
export const TEAMS_ESCALATION_CHANNEL = '19:escalations@thread.tacv2';
export const TEAMS_TEAM = '19:team-root@thread.tacv2';
export const SLACK_ESCALATION_CHANNEL = 'C0ESCALATE';
export const SLACK_CONTROL_ROOM = 'C0CONTROL1';
export const TEAMS_COMMS_CHANNEL = '19:comms@thread.tacv2';
export const SLACK_COMMS_CHANNEL = 'C0COMMSAPP';
export const SLACK_INFOSEC_CHANNEL = 'C0SECAPPR1';
export const SLACK_RECORDS_CHANNEL = 'C0RECORDS1';

/** Test people, each with Teams and Slack identities. */
export const USERS = {
  desk: { id: 'dana.desk', name: 'Dana Desk', aad: 'aad-desk', slack: 'U0DESK0001', roles: ['digital_desk'], managerId: 'insp.jones' },
  jones: { id: 'insp.jones', name: 'Insp. Jones', aad: 'aad-jones', slack: 'U0JONES001', roles: ['command'] },
  infoman: { id: 'ian.im', name: 'Ian Records', aad: 'aad-im', slack: 'U0INFOMAN1', roles: ['information_management'] },
  north: { id: 'pc.north', name: 'PC North', aad: 'aad-north', slack: 'U0NORTH001', roles: ['neighbourhood'], areas: ['north'], managerId: 'insp.jones' },
  comms: { id: 'cara.comms', name: 'Cara Comms', aad: 'aad-comms', slack: 'U0COMMS001', roles: ['corporate_comms'] },
  sec: { id: 'sid.sec', name: 'Sid Security', aad: 'aad-sec', slack: 'U0SECUR001', roles: ['information_security'] },
  psd: { id: 'pat.psd', name: 'Pat Standards', aad: 'aad-psd', slack: 'U0PSDPAT01', roles: ['professional_standards'] },
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
      id: u.id, name: u.name, email: `${u.id}@test.police.uk`, roles: u.roles, areas: 'areas' in u ? u.areas : [], ...('managerId' in u ? { managerId: u.managerId } : {}),
      teams: { aadObjectId: u.aad, tenantId: TENANT },
      slack: { userId: u.slack, teamId: SLACK_TEAM },
    })),
    channels: {
      escalations: {
        teams: [{ channelId: TEAMS_ESCALATION_CHANNEL, name: 'Teams › Escalations' }],
        slack: [{ channelId: SLACK_ESCALATION_CHANNEL, name: '#escalations' }],
      },
      'control-room': { slack: [{ channelId: SLACK_CONTROL_ROOM, name: '#control-room' }] },
      'comms-approvals': { teams: [{ channelId: TEAMS_COMMS_CHANNEL, name: 'Teams › Comms approvals' }], slack: [{ channelId: SLACK_COMMS_CHANNEL, name: '#comms-approvals' }] },
      'infosec-approvals': { teams: [{ channelId: TEAMS_COMMS_CHANNEL, name: 'Teams › Comms approvals' }], slack: [{ channelId: SLACK_INFOSEC_CHANNEL, name: '#infosec-approvals' }] },
    },
    accounts: {
      naming: { pattern: 'TestPol[A-Z][A-Za-z0-9]{1,12}', description: 'TestPol followed by the team or area, e.g. TestPolNorth', prefix: 'TestPol' },
      approvers: { comms: [{ channel: 'comms-approvals' }], infosec: [{ channel: 'infosec-approvals' }] },
      investigationsProcess: 'Ask the investigations support unit.',
    },
    routing: {
      rules: [
        { name: 'Threat to life', match: { categories: ['threat_to_life'] }, targets: [{ channel: 'escalations' }, { channel: 'control-room' }] },
        { name: 'Complaints', match: { categories: ['complaint'] }, targets: [{ role: 'command' }] },
      ],
      default: { targets: [{ channel: 'escalations' }] },
      outOfHours: { targets: [{ channel: 'control-room' }] },
    },
    coverage: { staffed: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '22:00' }] },
    intake: { sources: [{ id: 'orlo', name: 'Orlo (SMMP)', secretEnv: 'BLUEDESK_INTAKE_SECRET_ORLO' }] },
    surge: {
      channels: [{ channel: 'escalations' }],
      rota: ['dana.desk', 'pc.north'],
      backup: ['ian.im'],
      remindAfterMinutes: 10,
      backupAfterMinutes: 20,
      sla: { acknowledgeWithinMinutes: { critical: 3, high: 10, medium: 30, low: 120 }, decideWithinMinutes: { critical: 20, high: 45, medium: 120, low: 480 } },
      digest: { from: 'medium', intervalSeconds: 30, newest: 5 },
      continuity: ['Post on the other platforms', 'Put updates on the force website', 'Tell the contact centre'],
    },
    sla: {
      acknowledgeWithinMinutes: { critical: 5, high: 15, medium: 60, low: 240 },
      decideWithinMinutes: { critical: 30, high: 60, medium: 240, low: 1440 },
      ladder: [
        { name: 'Desk supervisor', targets: [{ role: 'digital_desk' }] },
        { name: 'Duty officer', targets: [{ role: 'command' }] },
      ],
      maxDecisionReminders: 2,
    },
  });
}

export function teamsUser(key: UserKey) {
  return { aadObjectId: USERS[key].aad, tenantId: TENANT, name: USERS[key].name };
}

export function slackUser(key: UserKey) {
  return { userId: USERS[key].slack, teamId: SLACK_TEAM, name: USERS[key].name };
}

/**
 * The test config with a records office: a records channel and a retention
 * schedule with short periods the fake clock can reach. Kept out of the
 * default test config, whose tests move the clock on by months.
 */
export function withRecords(config: ForceConfig = testConfig()): ForceConfig {
  return parseForceConfig({
    ...config,
    channels: { ...config.channels, records: { slack: [{ channelId: SLACK_RECORDS_CHANNEL, name: '#records' }] } },
    records: {
      channel: 'records',
      retention: {
        setBy: 'Test schedule: short periods so the fake clock can reach them',
        default: 'general',
        classes: {
          escalation: { description: 'Escalations', subjects: ['escalation'], afterDays: 30, onExpiry: 'dispose' },
          accounts: { description: 'Account governance', subjects: ['account-request', 'account', 'impersonation'], afterDays: 365, onExpiry: 'review' },
          leavers: { description: 'Leaver cases', subjects: ['leaver', 'person'], afterDays: 60, onExpiry: 'dispose' },
          appeals: { description: 'Public appeals', subjects: ['appeal'], afterDays: 30, onExpiry: 'dispose' },
          'access-log': { description: 'Consultations and refusals', actions: ['records.consulted', 'records.exported', 'access.'], afterDays: 90, onExpiry: 'dispose' },
          general: { description: 'Everything else', subjects: ['surge'], afterDays: 365, onExpiry: 'review' },
        },
      },
    },
  });
}
