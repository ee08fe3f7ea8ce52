import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseForceConfig } from '../../bot/config/load-config.ts';
import { ManualClock } from '../../bot/domain/clock.ts';
import { personalMessage, postActivity } from '../fakes/teams-activities.ts';
import { SLACK_CONTROL_ROOM, SLACK_ESCALATION_CHANNEL, TEAMS_ESCALATION_CHANNEL, USERS, slackUser, teamsUser, testConfig, type UserKey } from '../helpers/config.ts';
import { clickInTeams } from '../helpers/flows.ts';
import { INTAKE_SECRET, startHarness, type Harness } from '../helpers/harness.ts';
import { raiseViaIntake } from '../helpers/intake.ts';
import { leaverInTeams, modalInSlack } from '../helpers/leavers.ts';

/**
 * Dana Desk is on the surge rota and the backup list, a fallback person, a
 * bot admin, the head of information security's stand-in for overdue cases,
 * and the only digital desk operator the SLA ladder calls. Once a
 * PSD-related case suspends her, nothing Bluedesk chooses people for may
 * reach her: not a surge, an SLA tier, the fallback, a dead letter or a
 * reminder.
 */
describe('someone suspended by a PSD-related case is called in by nothing', () => {
  let h: Harness;
  const clock = new ManualClock(new Date('2026-11-25T10:00:00Z'));
  const dana = { teams: `a:personal-${USERS.desk.aad}`, slack: USERS.desk.slack };
  const toDana = () => [
    ...h.connector.calls.filter((c) => c.conversationId === dana.teams && c.method === 'POST'),
    ...h.slack.calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.postEphemeral') && (c.args.channel === dana.slack || c.args.user === dana.slack)),
  ].length;
  let before = 0;

  beforeAll(async () => {
    const base = testConfig();
    const config = parseForceConfig({
      ...base,
      surge: { ...base.surge, rota: ['dana.desk', 'pc.north'], backup: ['dana.desk', 'ian.im'] },
      delivery: { fallback: { afterMinutes: 2, people: ['dana.desk', 'insp.jones'] }, admins: ['dana.desk', 'ian.im'] },
      leavers: { escalateTo: ['dana.desk', 'sid.sec'] },
    });
    h = await startHarness({ clock, config, installIn: [TEAMS_ESCALATION_CHANNEL] });
    for (const k of Object.keys(USERS) as UserKey[]) await postActivity(h.url, personalMessage(h.connector.url, teamsUser(k), 'help'));
    await leaverInTeams(h, teamsUser('psd'), { who: { kind: 'leaver', personId: 'dana.desk', effectiveDate: '2026-11-27', psd: 'yes', psdReason: 'Investigation' }, devices: {} });
    await h.bot.idle();
    before = toDana();
  }, 60_000);
  afterAll(async () => h?.stop());

  it('is not on a new surge’s rota, nor called as backup, nor reminded', async () => {
    const ack = JSON.stringify(await modalInSlack(h, slackUser('comms'), '/surge', '', {
      what: { trigger: 'contentious_content', level: '2', incidentName: 'Viral video', incidentRef: 'CC-1' },
      scope: { expectedDuration: '2 hours', inChargeId: 'insp.jones' },
    }));
    expect(ack).toContain('1 rota member(s) are being asked');
    expect(ack).toContain('1 rota member(s) cannot be asked now and were left out.');
    expect(ack).not.toMatch(/Dana|PSD|suspend/);
    clock.advance(21 * 60_000);
    await h.bot.tick();
    await h.bot.idle();
    const surge = (await h.stored('surges'))['SRG-00001'];
    expect(surge.called).toEqual(['pc.north', 'ian.im']);
    expect(toDana()).toBe(before);
  });

  it('is not in an SLA tier, the fallback or the dead-letter notice', async () => {
    // A critical alert that reaches no routed place: the fallback fires, then the ladder's first tier (digital desk) is pulled in.
    h.slack.notInChannel.add(SLACK_ESCALATION_CHANNEL);
    h.slack.notInChannel.add(SLACK_CONTROL_ROOM);
    h.connector.forbidden.add(TEAMS_ESCALATION_CHANNEL); // and the Teams channel refuses: a dead letter for the admins
    const raised = await raiseViaIntake(h.url, INTAKE_SECRET, 'k1', { contentUrl: 'https://x.com/a/status/1', platform: 'X', category: 'threat_to_life', summary: 'Threat', area: 'north' });
    expect(raised.status).toBe(201);
    await h.bot.idle();
    for (let i = 0; i < 4; i++) {
      clock.advance(3 * 60_000);
      await h.bot.tick();
    }
    await h.bot.idle();
    const records = await h.decisions();
    // The record names who was sent it.
    expect(records.find((r) => r.action === 'escalation.delivery_fallback')?.details).toMatchObject({ people: ['insp.jones'] });
    expect(records.some((r) => r.action === 'escalation.tier_raised')).toBe(true);
    // Jones (fallback) and Ian (admin) were told; Dana was not.
    expect(h.connector.calls.some((c) => c.conversationId === `a:personal-${USERS.jones.aad}` && JSON.stringify(c.body).includes(raised.json.id))).toBe(true);
    expect(h.slack.calls.some((c) => c.args.channel === USERS.infoman.slack && JSON.stringify(c.args).includes('could not deliver'))).toBe(true);
    expect(toDana()).toBe(before);
  });

  it('is not offered as an assignee', async () => {
    const form = (await h.decisions()).length; // unchanged by reading a form
    const res = await postActivity(h.url, personalMessage(h.connector.url, teamsUser('jones'), 'escalations'));
    expect(res.status).toBe(200);
    expect((await h.decisions()).length).toBe(form);
    const assign = JSON.stringify(await clickInTeams(h, teamsUser('jones'), TEAMS_ESCALATION_CHANNEL, 'escalation.assign', { escalationId: 'ESC-00001' }));
    expect(assign).toContain('Assign to');
    expect(assign).not.toContain('Dana Desk');
    expect(toDana()).toBe(before);
  });
});
