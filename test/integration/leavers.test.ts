import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../bot/domain/clock.ts';
import { eventually } from '../fakes/http.ts';
import { postActivity } from '../fakes/teams-activities.ts';
import { postToSlack } from '../fakes/slack-requests.ts';
import { activeAccountInSlack } from '../helpers/account-flows.ts';
import { slackUser, teamsUser, TEAMS_ESCALATION_CHANNEL, USERS, type UserKey } from '../helpers/config.ts';
import { ackInSlack, clickInSlack, raiseInTeams, slashInSlack } from '../helpers/flows.ts';
import { restoreState, saveState, SIGNING_SECRET, startHarness, type Harness } from '../helpers/harness.ts';
import { leaverInSlack, leaverInTeams, memberRemovedFromTeam, outgoing, submitSlackStep, userDeactivated } from '../helpers/leavers.ts';

let h: Harness;
afterEach(async () => h?.stop());

const text = (x: unknown) => JSON.stringify(x);
const dmsTo = (k: UserKey, containing: string) => outgoing(h).filter((o) => 'person' in o.to && o.to.person === k && o.text.includes(containing));
const NORTH_LEAVES = { who: { kind: 'leaver', personId: 'pc.north', effectiveDate: '2026-11-30', sensitive: 'no' }, devices: {} };

describe('an ordinary leaver, started by their line manager', () => {
  it('runs on the timer: reminders before the date, roles removed on it, escalation once overdue; nothing repeats across a restart', async () => {
    const clock = new ManualClock(new Date('2026-11-25T14:00:00Z'));
    h = await startHarness({ clock, installIn: [TEAMS_ESCALATION_CHANNEL] });
    const account = await activeAccountInSlack(h);
    const done = await leaverInSlack(h, slackUser('jones'), { ...NORTH_LEAVES, accounts: { accountIds: account } });
    expect(text(done)).toContain('Leaver case LVR-00001 started');
    await h.bot.idle();
    // The owner is leaving, so information security has the account's items (and the transfer); the manager follows the case; the leaver gets nothing.
    expect(dmsTo('sec', 'LVR-00001').length).toBeGreaterThanOrEqual(2);
    expect(dmsTo('jones', 'LVR-00001').length).toBeGreaterThanOrEqual(2);
    expect(dmsTo('north', 'LVR-00001')).toEqual([]);

    const fire = async (at: string) => {
      clock.set(new Date(at));
      await h.bot.tick();
      await h.bot.idle();
    };
    const reminders = () => dmsTo('sec', 'Reminder: offboarding tasks for PC North').length;
    await fire('2026-11-26T12:00:00Z');
    expect(reminders()).toBe(0);
    await fire('2026-11-27T00:30:00Z'); // three days before the effective date
    const first = reminders();
    expect(first).toBeGreaterThan(0);
    await fire('2026-11-27T00:45:00Z');
    await h.restart();
    await fire('2026-11-27T01:00:00Z');
    expect(reminders()).toBe(first);
    await fire('2026-11-29T00:30:00Z'); // one day before
    expect(reminders()).toBe(2 * first);
    // Still a neighbourhood officer until the day.
    expect(text(await slashInSlack(h, slackUser('north'), '/escalations'))).not.toContain('Not permitted');
    await fire('2026-11-30T08:00:00Z');
    expect(text(await slashInSlack(h, slackUser('north'), '/escalations'))).toContain('Not permitted');
    const removed = (await h.decisions()).find((r) => r.action === 'leaver.roles_removed')!;
    expect(removed.actor!.personId).toBe('bluedesk');
    expect(removed.details).toEqual({ roles: ['neighbourhood'] });
    expect(dmsTo('sec', 'Overdue: offboarding')).toEqual([]);
    await fire('2026-12-01T00:30:00Z');
    expect(dmsTo('sec', 'Overdue: offboarding for PC North').length).toBeGreaterThan(0);
    await fire('2026-12-01T06:30:00Z');
    expect((await h.decisions()).filter((r) => r.action === 'leaver.escalated')).toHaveLength(1);
    expect((await h.decisions()).filter((r) => r.action === 'leaver.reminded')).toHaveLength(2);
  }, 60_000);

  it('refuses what it must with a clear message, recording only the refusals', async () => {
    h = await startHarness();
    const count = async () => (await h.decisions()).length;
    let before = await count();
    // A manager, for someone who is not their report: refused after the first step, the form closed.
    const notMine = await leaverInSlack(h, slackUser('jones'), { who: { kind: 'leaver', personId: 'cara.comms', effectiveDate: '2026-11-30', sensitive: 'no' } });
    expect(text(notMine)).toContain('Only their line manager, corporate communications, information security or professional standards');
    let added = (await h.decisions()).slice(before);
    expect(added.map((r) => [r.action, r.outcome])).toEqual([['leaver.start', 'refused']]);
    // Someone who manages nobody and holds no offboarding role: refused at once.
    before = await count();
    expect(text(await slashInSlack(h, slackUser('desk'), '/leaver'))).toContain('Not permitted');
    added = (await h.decisions()).slice(before);
    expect(added.map((r) => [r.action, r.outcome, r.actor!.personId])).toEqual([['leaver.start', 'refused', 'dana.desk']]);
    // Bad input: inline errors, nothing recorded.
    before = await count();
    const past = await leaverInSlack(h, slackUser('jones'), { who: { kind: 'leaver', personId: 'pc.north', effectiveDate: '2026-11-01', sensitive: 'no' } });
    expect(past.errors.effectiveDate).toBe('The effective date cannot be in the past. If they have already gone, use today (2026-11-25).');
    const unknown = await leaverInSlack(h, slackUser('comms'), { who: { kind: 'leaver', personId: 'nobody.at.all', effectiveDate: '2026-11-30', sensitive: 'no' } });
    expect(unknown.errors.personId).toBe('Choose one of the options for Who is it?.');
    const nameless = await leaverInSlack(h, slackUser('comms'), { who: { kind: 'leaver', personId: '_not_listed', effectiveDate: '2026-11-30', sensitive: 'no' } });
    expect(nameless.errors.personId).toBe('They are not in the directory: give their name below.');
    expect(await count()).toBe(before);
    // A second case for someone with one open is pointed at it, and nothing new starts.
    expect(text(await leaverInSlack(h, slackUser('jones'), NORTH_LEAVES))).toContain('Leaver case LVR-00001 started');
    expect(text(await leaverInSlack(h, slackUser('jones'), NORTH_LEAVES))).toContain('LVR-00001 is already open for PC North');
    expect((await h.decisions()).filter((r) => r.action === 'leaver.opened')).toHaveLength(1);
  });

  it('takes someone not in the directory, named in free text, and a mover who keeps what the new post needs', async () => {
    h = await startHarness();
    const account = await activeAccountInSlack(h);
    const free = await leaverInSlack(h, slackUser('comms'), { who: { kind: 'leaver', personId: '_not_listed', otherName: 'Temp Contractor', effectiveDate: '2026-11-26', sensitive: 'no' }, accounts: { accountIds: account }, devices: { apps: 'Buffer' } });
    expect(text(free)).toContain('Leaver case LVR-00001 started');
    // It says who the items went to, never "the account owners" in general.
    expect(text(free)).toMatch(/item\(s\) are being sent by direct message: \d+ to PC North, \d+ to Information security\./);
    const mover = await leaverInSlack(h, slackUser('jones'), {
      who: { kind: 'mover', personId: 'dana.desk', effectiveDate: '2026-11-26', sensitive: 'no' },
      accounts: { accountIds: account },
      mover: { newPost: 'Control room', keepRoles: 'digital_desk', keepAccountIds: '' },
      devices: {},
    }, '/mover');
    expect(text(mover)).toContain('Mover case LVR-00002 started');
    const opened = (await h.decisions()).filter((r) => r.action === 'leaver.opened').map((r) => r.details as any);
    expect(opened[0]).toMatchObject({ name: 'Temp Contractor', kind: 'leaver', apps: ['Buffer'] });
    expect(opened[0].personId).toBeUndefined();
    expect(opened[1]).toMatchObject({ kind: 'mover', newPost: 'Control room', keepRoles: ['digital_desk'] });
    // Dana keeps the desk role, so there is no roles item; she loses her admin access to the account.
    expect(opened[1].items.map((i: any) => i.task)).toEqual(['smmp_access', 'admin_role', 'rotate_credentials', 'remove_2fa', 'logout_sessions', 'personal_devices']);
  });
});

describe('a crash after a PSD-related case is written but before work moves off the person', () => {
  it('is finished at start-up: the case is back, the person suspended, and their escalation released once', async () => {
    h = await startHarness({ installIn: [TEAMS_ESCALATION_CHANNEL] });
    const escalation = await raiseInTeams(h, teamsUser('north'), { area: 'north' });
    await ackInSlack(h, slackUser('desk'), escalation);
    await saveState(h.dataDir);
    await leaverInSlack(h, slackUser('psd'), { who: { kind: 'leaver', personId: 'dana.desk', effectiveDate: '2026-12-20', psd: 'yes', psdReason: 'Investigation' }, devices: {} });
    await h.bot.idle();
    await h.restart(async () => {
      // What a crash right after the case's log record leaves: that record, and state from before it.
      const path = join(h.dataDir, 'decisions.jsonl');
      const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
      const opened = lines.findIndex((l) => JSON.parse(l).action === 'leaver.opened');
      await writeFile(path, `${lines.slice(0, opened + 1).join('\n')}\n`);
      await restoreState(h.dataDir);
    });
    expect(text(await slashInSlack(h, slackUser('desk'), '/escalations'))).toContain('Not permitted');
    const released = (await h.decisions()).filter((r) => r.action === 'escalation.owner_unavailable');
    expect(released.map((r) => r.subject?.id)).toEqual([escalation]);
    await h.restart();
    expect((await h.decisions()).filter((r) => r.action === 'escalation.owner_unavailable')).toHaveLength(1);
  });
});

describe('an account approved after the case opened', () => {
  it('keeps the case open: items for it are added, and it closes only once the register no longer lists the person', async () => {
    h = await startHarness();
    const first = await activeAccountInSlack(h);
    await leaverInSlack(h, slackUser('comms'), { who: { kind: 'leaver', personId: 'dana.desk', effectiveDate: '2026-11-25', sensitive: 'no' }, accounts: { accountIds: first }, devices: {} });
    const later = await activeAccountInSlack(h, { account: { handle: '@TestPolSouth', displayName: 'Test Police South', area: 'south' }, people: { owner: 'pc.north', admins: 'dana.desk' } });
    const c = () => h.decisions().then((all) => all.filter((r) => r.subject?.id === 'LVR-00001'));
    const opened = (await c()).find((r) => r.action === 'leaver.opened')!.details as { items: Array<{ item: string }> };
    let last = '';
    for (const { item } of opened.items) {
      await clickInSlack(h, slackUser('sec'), `leaver.tick:${item}`, `LVR-00001:${item}`, USERS.sec.slack);
      await h.bot.idle();
      last = text(h.slack.of('chat.postEphemeral').at(-1)?.args);
    }
    expect(last).toContain('the register also lists Dana Desk on @TestPolSouth, so items for it have been added');
    const added = (await c()).find((r) => r.action === 'leaver.items_added')!.details as { items: Array<{ item: string; assignee: unknown }> };
    expect(added.items.map((i) => i.item)).toEqual(['8', '9', '10', '11', '12']);
    expect(added.items[0]!.assignee).toEqual({ personId: 'pc.north' });
    expect((await c()).some((r) => r.action === 'leaver.completed')).toBe(false);
    for (const { item } of added.items) await clickInSlack(h, slackUser('north'), `leaver.tick:${item}`, `LVR-00001:${item}`, USERS.north.slack);
    await h.bot.idle();
    expect((await c()).some((r) => r.action === 'leaver.completed')).toBe(true);
    expect((await h.decisions()).some((r) => r.action === 'account.admin_removed' && r.subject?.id === later)).toBe(true);
  });
});

describe('a PSD-related case on the timer', () => {
  it('is due at once: assignees are reminded within the hour, then hourly, and the head of information security is told after the configured hours', async () => {
    const clock = new ManualClock(new Date('2026-11-25T14:00:00Z'));
    h = await startHarness({ clock, installIn: [TEAMS_ESCALATION_CHANNEL] });
    const account = await activeAccountInSlack(h);
    await leaverInSlack(h, slackUser('psd'), { who: { kind: 'leaver', personId: 'dana.desk', effectiveDate: '2026-12-20', psd: 'yes', psdReason: 'Under investigation' }, accounts: { accountIds: account }, devices: {} });
    await h.bot.idle();
    const fire = async (at: string) => {
      clock.set(new Date(at));
      await h.bot.tick();
      await h.bot.idle();
    };
    const reminded = async () => (await h.decisions()).filter((r) => r.action === 'leaver.reminded').map((r) => (r.details as { reminder: number }).reminder);
    await fire('2026-11-25T14:29:00Z');
    expect(await reminded()).toEqual([]);
    await fire('2026-11-25T14:31:00Z');
    expect(await reminded()).toEqual([1]);
    // The owner of the account (PC North) is reminded of their items, never told why.
    const north = dmsTo('north', 'Reminder: offboarding tasks for Dana Desk');
    expect(north.length).toBeGreaterThan(0);
    expect(north.every((o) => !o.text.includes('investigation'))).toBe(true);
    await fire('2026-11-25T15:31:00Z');
    expect(await reminded()).toEqual([1, 2]);
    expect((await h.decisions()).some((r) => r.action === 'leaver.escalated')).toBe(false);
    await fire('2026-11-25T18:01:00Z');
    // Reminders 3 and 4 (16:30, 17:30) fell due before this tick: one message goes, not two.
    expect(await reminded()).toEqual([1, 2, 4]);
    expect((await h.decisions()).filter((r) => r.action === 'leaver.escalated')).toHaveLength(1);
    expect(dmsTo('sec', 'Overdue: offboarding for Dana Desk').length).toBeGreaterThan(0);
  });
});

describe('a case someone marks “sensitive — PSD to review”', () => {
  it('goes to PSD restricted, without saying why; PSD confirms it and the person is suspended', async () => {
    h = await startHarness();
    const done = await leaverInSlack(h, slackUser('jones'), { who: { kind: 'leaver', personId: 'pc.north', effectiveDate: '2026-12-10', sensitive: 'yes' }, devices: {} });
    expect(text(done)).toContain('Professional standards will review it');
    await h.bot.idle();
    const psdCard = await eventually(() => dmsTo('psd', 'LVR-00001').find((o) => o.text.includes('leaver.psd_review')), 3000, 'PSD card with its review button');
    expect(psdCard.text).toContain('waiting for professional standards to review');
    // Not yet PSD-related: nobody is suspended.
    expect(text(await slashInSlack(h, slackUser('north'), '/escalations'))).not.toContain('Not permitted');
    const modal = await (await clickInSlack(h, slackUser('psd'), 'leaver.psd_review', 'LVR-00001', USERS.psd.slack)).modal();
    const ack = await submitSlackStep(h, slackUser('psd'), modal, { outcome: 'yes', reason: 'Linked to complaint CO/123' });
    expect(text(ack)).toContain('Recorded: PSD-related');
    expect(text(await slashInSlack(h, slackUser('north'), '/escalations'))).toContain('Not permitted');
    expect(text(await slashInSlack(h, slackUser('jones'), '/leaver', 'LVR-00001'))).not.toContain('CO/123');
    // A PSD review by anyone else is refused and recorded.
    await clickInSlack(h, slackUser('sec'), 'leaver.psd_review', 'LVR-00001', USERS.sec.slack);
    expect((await h.decisions()).some((r) => r.action === 'leaver.review_psd' && r.outcome === 'refused' && r.actor!.personId === 'sid.sec')).toBe(true);
  });
});

describe('the platforms tell us first', () => {
  it('offers information security a leaver case when Slack deactivates or Teams removes someone the directory knows', async () => {
    h = await startHarness({ installIn: [TEAMS_ESCALATION_CHANNEL] });
    const res = await postToSlack(h.url, userDeactivated(USERS.north.slack), { secret: SIGNING_SECRET, contentType: 'application/json' });
    expect(res.status).toBe(200);
    await h.bot.idle();
    const card = await eventually(() => dmsTo('sec', 'PC North was removed from Slack').at(0), 3000, 'signal card');
    expect(card.text).toContain('leaver.start_for');
    expect((await h.decisions()).filter((r) => r.action === 'leaver.platform_removed').map((r) => r.details)).toEqual([{ platform: 'slack', accounts: [] }]);
    // The same signal again is not offered twice.
    await postToSlack(h.url, userDeactivated(USERS.north.slack), { secret: SIGNING_SECRET, contentType: 'application/json' });
    await postActivity(h.url, memberRemovedFromTeam(h.connector.url, USERS.north.aad, TEAMS_ESCALATION_CHANNEL));
    await h.bot.idle();
    expect((await h.decisions()).filter((r) => r.action === 'leaver.platform_removed').map((r) => (r.details as any).platform)).toEqual(['slack', 'teams']);
    // Someone the directory does not know is ignored.
    await postActivity(h.url, memberRemovedFromTeam(h.connector.url, 'aad-stranger', TEAMS_ESCALATION_CHANNEL));
    // Information security starts the case from the card, pre-filled.
    const modal = await (await clickInSlack(h, slackUser('sec'), 'leaver.start_for', 'pc.north', USERS.sec.slack)).modal();
    expect(text(modal)).toContain('"initial_option":{"text":{"type":"plain_text","text":"PC North"');
    const form = await leaverInTeams(h, teamsUser('sec'), { who: { kind: 'leaver', personId: 'pc.north', effectiveDate: '2026-11-25', psd: 'no' }, devices: {} });
    expect(text(form)).toContain('Leaver case LVR-00001 started');
    expect((await h.decisions()).filter((r) => r.action === 'leaver.platform_removed')).toHaveLength(2);
    // The effective date is today, so the timer removes the roles at once.
    await h.bot.tick();
    expect((await h.decisions()).some((r) => r.action === 'leaver.roles_removed')).toBe(true);
  });
});
