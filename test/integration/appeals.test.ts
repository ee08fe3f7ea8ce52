import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../bot/domain/clock.ts';
import { eventually } from '../fakes/http.ts';
import { personalMessage, postActivity } from '../fakes/teams-activities.ts';
import { activeAccountInSlack } from '../helpers/account-flows.ts';
import { slackUser, teamsUser, TEAMS_COMMS_CHANNEL, TEAMS_ESCALATION_CHANNEL, USERS, withRecords, type UserKey } from '../helpers/config.ts';
import { clickInSlack, clickInTeams, slashInSlack } from '../helpers/flows.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { modalInSlack, outgoing, submitSlackStep } from '../helpers/leavers.ts';

const POSTS = ['https://x.com/TestPolNorth/status/1001', 'https://www.facebook.com/TestPolNorth/posts/2002'];
const conv = (k: UserKey) => `a:personal-${USERS[k].aad}`;
const MINUTE = 60_000;

/**
 * A missing person appeal from registration to removal, across both
 * platforms and under the fake clock: registered in Slack, reviewed on its
 * date in Teams, ended when the person is found, chased, escalated, and
 * taken down post by post; then disposed of under the retention schedule.
 */
describe('public appeals', () => {
  let h: Harness;
  let account: string;
  const clock = new ManualClock(new Date('2026-11-25T14:00:00Z'));
  const appeal = () => h.decisions().then((all) => all.filter((r) => r.subject?.type === 'appeal'));
  const told = (k: UserKey, text: string) => outgoing(h).filter((o) => 'person' in o.to && o.to.person === k && o.text.includes(text));

  beforeAll(async () => {
    h = await startHarness({ clock, config: withRecords(), installIn: [TEAMS_ESCALATION_CHANNEL, TEAMS_COMMS_CHANNEL] });
    for (const k of Object.keys(USERS) as UserKey[]) await postActivity(h.url, personalMessage(h.connector.url, teamsUser(k), 'help'));
    account = await activeAccountInSlack(h); // owner PC North, administrator Dana Desk
    await h.bot.idle();
  }, 60_000);
  afterAll(async () => h?.stop());

  const register = (fields: Record<string, string>) => modalInSlack(h, slackUser('comms'), '/appeal', '', {
    appeal: { type: 'missing_person', accountId: account, area: 'north', urls: POSTS.join('\n'), reference: 'MISPER 26/1234', reviewDate: '2026-12-02', ...fields },
  });

  it('checks the form: links must be web links, and the review date after today', async () => {
    const bad = await register({ urls: 'javascript:alert(1)', reviewDate: '2026-11-20' });
    expect(bad.response_action).toBe('errors');
    expect(JSON.stringify(bad.errors)).toContain('https://');
    expect(JSON.stringify(bad.errors)).toContain('after today (2026-11-25)');
    expect(await appeal()).toEqual([]);
  });

  it('is registered in Slack; its card goes to whoever registered it and the account’s holders', async () => {
    const done = await register({});
    expect(JSON.stringify(done)).toContain('Appeal APL-00001 registered');
    await h.bot.idle();
    expect((await appeal()).map((r) => r.action)).toEqual(['appeal.registered']);
    for (const k of ['comms', 'north', 'desk'] as UserKey[]) expect(told(k, 'Missing person appeal APL-00001').length).toBeGreaterThan(0);
    expect(told('jones', 'APL-00001')).toEqual([]);
    expect(JSON.stringify(await slashInSlack(h, slackUser('infoman'), '/appeals'))).toContain('Live, review 2026-12-02');
  });

  it('asks its owners to keep, remove or archive it on its review date, once; kept in Teams, it gets a new date', async () => {
    clock.set(new Date('2026-12-02T08:00:00Z'));
    await h.bot.tick();
    await h.bot.tick();
    await h.bot.idle();
    expect((await appeal()).filter((r) => r.action === 'appeal.review_due')).toHaveLength(1);
    expect(told('north', 'Review due').length).toBeGreaterThan(0);
    // Someone who neither owns it nor may close appeals is refused before any form opens, and that is recorded.
    expect(JSON.stringify(await clickInTeams(h, teamsUser('infoman'), conv('infoman'), 'appeal.keep', { subjectId: 'APL-00001' }))).toContain('Not permitted');
    expect((await appeal()).at(-1)).toMatchObject({ action: 'appeal.review', outcome: 'refused', actor: { personId: 'ian.im' } });
    const form = await clickInTeams(h, teamsUser('north'), conv('north'), 'appeal.keep', { subjectId: 'APL-00001' });
    const submit = form.value.actions.find((a: any) => a.verb === 'dialog.submit');
    const kept = await clickInTeams(h, teamsUser('north'), conv('north'), 'dialog.submit', { ...submit.data, nextReview: '2026-12-09' });
    expect(JSON.stringify(kept)).toContain('The next review is on 2026-12-09');
    expect((await appeal()).at(-1)).toMatchObject({ action: 'appeal.reviewed', details: { decision: 'keep', nextReview: '2026-12-09' } });
  });

  it('when the person is found, /appeal closed asks for every post to come down now, and chases until it is done', async () => {
    clock.set(new Date('2026-12-03T10:00:00Z'));
    const closed = await postActivity(h.url, personalMessage(h.connector.url, teamsUser('jones'), 'appeal closed APL-00001 Found safe and well'));
    expect(closed.status).toBe(200);
    await h.bot.idle();
    expect((await appeal()).at(-1)).toMatchObject({ action: 'appeal.closed', reason: 'Found safe and well', details: { urgent: true } });
    for (const k of ['comms', 'north', 'desk'] as UserKey[]) expect(told(k, 'Take down now').length).toBeGreaterThan(0);
    // Every copy of the card now asks for it to come down.
    await eventually(() => h.slack.of('chat.update').some((c) => JSON.stringify(c.args).includes('Take down now')) || undefined, 3000, 'card updated');
    // Reminded every 30 minutes, and corporate communications told after two hours: each once, across a restart.
    clock.set(new Date(clock.now().getTime() + 31 * MINUTE));
    await h.bot.tick();
    await h.restart();
    await h.bot.tick();
    clock.set(new Date(clock.now().getTime() + 90 * MINUTE));
    await h.bot.tick();
    await h.bot.idle();
    const chased = (await appeal()).filter((r) => r.action.startsWith('appeal.removal_'));
    expect(chased.map((r) => r.action)).toEqual(['appeal.removal_reminded', 'appeal.removal_reminded', 'appeal.removal_overdue']);
    expect(told('comms', 'Overdue').length).toBeGreaterThan(0);
  });

  it('is taken down post by post, in Slack and Teams; the last one finishes it and the registrant is told', async () => {
    const modal = await (await clickInSlack(h, slackUser('north'), 'appeal.post:1', 'APL-00001:1', USERS.north.slack)).modal();
    const first = await submitSlackStep(h, slackUser('north'), modal, { outcome: 'removed' });
    expect(JSON.stringify(first)).not.toContain('errors');
    await h.bot.idle();
    expect((await appeal()).at(-1)).toMatchObject({ action: 'appeal.post_done', details: { post: POSTS[0], outcome: 'removed' } });
    const form = await clickInTeams(h, teamsUser('desk'), conv('desk'), 'appeal.post', { subjectId: 'APL-00001:2' });
    const submit = form.value.actions.find((a: any) => a.verb === 'dialog.submit');
    await clickInTeams(h, teamsUser('desk'), conv('desk'), 'dialog.submit', { ...submit.data, outcome: 'archived' });
    await h.bot.idle();
    expect((await appeal()).at(-1)).toMatchObject({ action: 'appeal.finished', details: { posts: ['removed', 'archived'] } });
    expect(told('comms', 'Taken down').length).toBeGreaterThan(0);
    // A second confirmation of a post already down is not recorded twice.
    const again = await clickInTeams(h, teamsUser('north'), conv('north'), 'appeal.post', { subjectId: 'APL-00001:2' });
    const again2 = again.value?.actions?.find((a: any) => a.verb === 'dialog.submit');
    if (again2) await clickInTeams(h, teamsUser('north'), conv('north'), 'dialog.submit', { ...again2.data, outcome: 'removed' });
    expect((await appeal()).filter((r) => r.action === 'appeal.finished')).toHaveLength(1);
    expect(await h.verify()).toMatchObject({ ok: true });
  });

  it('is disposed of under the retention schedule once its period after finishing has passed', async () => {
    clock.set(new Date(clock.now().getTime() + 31 * 24 * 60 * MINUTE));
    await h.bot.tick();
    const log = await h.decisions();
    expect(log.filter((r) => r.action === 'records.disposed').flatMap((r) => (r.details as { subjects: string[] }).subjects)).toContain('APL-00001');
    expect(log.filter((r) => r.subject?.id === 'APL-00001' && r.action.startsWith('appeal.')).every((r) => r.redacted)).toBe(true);
    expect(JSON.stringify(await slashInSlack(h, slackUser('comms'), '/appeal', 'APL-00001'))).toContain('There is no appeal APL-00001');
  });
});
