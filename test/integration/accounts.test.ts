import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../fakes/http.ts';
import { cardAction, personalMessage, postActivity } from '../fakes/teams-activities.ts';
import { SLACK_COMMS_CHANNEL, SLACK_INFOSEC_CHANNEL, TEAMS_COMMS_CHANNEL, slackUser, teamsUser } from '../helpers/config.ts';
import { clickInSlack, clickInTeams, openTeamsForm, slashInSlack, submitModal } from '../helpers/flows.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { ACCOUNT, PEOPLE, PURPOSE, SECURITY, requestInSlack as requestFrom } from '../helpers/account-flows.ts';
import type { ManualClock } from '../../bot/domain/clock.ts';

const text = (n: unknown) => JSON.stringify(n);
describe('official accounts on both platforms', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ installIn: [TEAMS_COMMS_CHANNEL] });
  });
  afterAll(async () => h.stop());

  const requestInSlack = (user?: ReturnType<typeof slackUser>, over: Record<string, Record<string, string>> = {}) => requestFrom(h, user, over);

  it('rejects bad input inline, naming the rule, and records nothing', async () => {
    const before = (await h.decisions()).length;
    expect((await requestInSlack(undefined, { account: { handle: 'northcops' } })).errors).toEqual({
      handle: 'The handle must follow the force’s naming rule: TestPol followed by the team or area, e.g. TestPolNorth. For example: @TestPolNorth',
    });
    expect((await requestInSlack(undefined, { account: { accountType: 'investigative' } })).errors?.accountType ?? '').toContain('Ask the investigations support unit.');
    expect((await requestInSlack(undefined, { people: { businessEmail: 'pc.north@gmail.com' } })).errors?.businessEmail ?? '').toContain('Personal email addresses are not allowed');
    expect((await requestInSlack(undefined, { security: { loginAlerts: 'no' } })).errors?.loginAlerts).toContain('Login alerts must be on');
    expect((await h.decisions()).length).toBe(before);
  });

  it('requested in Slack, approved by comms in Teams and by information security in Slack; set up by its owner', async () => {
    const id = (await requestInSlack()).id ?? '';
    expect(id).toMatch(/^REQ-/);
    await h.bot.idle();
    const teamsCard = h.connector.calls.find((c) => c.conversationId === TEAMS_COMMS_CHANNEL && text(c.body).includes(id))!;
    expect(text(teamsCard.body)).toContain('Two-factor by SMS');
    expect(h.slack.of('chat.postMessage').some((c) => c.args.channel === SLACK_COMMS_CHANNEL && text(c.args.blocks).includes(id))).toBe(true);

    // The requester cannot approve their own request (refused, recorded).
    const own = await clickInTeams(h, teamsUser('north'), TEAMS_COMMS_CHANNEL, 'account.approve', { subjectId: id });
    expect(text(own)).toContain('Not permitted');

    const comms = await clickInTeams(h, teamsUser('comms'), TEAMS_COMMS_CHANNEL, 'account.approve', { subjectId: id });
    expect(text(comms.value)).toContain('Awaiting information security approval');
    await h.bot.idle();
    const infosecCard = h.slack.of('chat.postMessage').find((c) => c.args.channel === SLACK_INFOSEC_CHANNEL && text(c.args.blocks).includes(id));
    expect(infosecCard).toBeDefined();
    expect(h.slack.of('chat.postMessage').some((c) => c.args.channel === slackUser('north').userId && text(c.args.blocks).includes('corporate communications approved'))).toBe(true);

    await clickInSlack(h, slackUser('sec'), 'account.approve', id);
    await h.bot.idle();
    await eventually(() => h.slack.of('chat.update').some((c) => text(c.args.blocks).includes(id) && text(c.args.blocks).includes('Approved: added to the register')), 3000, 'approved everywhere');
    expect(h.connector.calls.some((c) => c.method === 'PUT' && c.conversationId === TEAMS_COMMS_CHANNEL && text(c.body).includes('Approved: added to the register'))).toBe(true);

    // The requester is told, with the change itself, where the account is.
    await eventually(() => h.slack.of('chat.postMessage').find((c) => c.args.channel === slackUser('north').userId && text(c.args.blocks).includes(`Account request ${id} approved`) && text(c.args.blocks).includes('is in the register as ACC-')), 3000, 'requester told');
    // The owner gets the account card with its set-up checklist.
    const ownerCard = await eventually(() => h.slack.of('chat.postMessage').find((c) => c.args.channel === slackUser('north').userId && text(c.args.blocks).includes('account.setup')), 3000, 'owner card');
    const accountId = text(ownerCard.args.blocks).match(/ACC-\d{5}/)![0];
    const listBefore = await (await fetch(`${h.url}/official-accounts.json`)).json();
    expect(listBefore.accounts).toEqual([]);

    const setup = await (await clickInSlack(h, slackUser('north'), 'account.setup', accountId)).modal();
    const notReady = await submitModal(h, slackUser('north'), setup, { createdWithBusinessEmail: 'yes', twoFactorOn: 'no', loginAlertsOn: 'yes', inSmmp: 'yes', verification: 'applied' });
    expect(text(notReady)).toContain('cannot go live until it is two-factor authentication on');
    const setup2 = await (await clickInSlack(h, slackUser('north'), 'account.setup', accountId)).modal();
    expect(text(await submitModal(h, slackUser('north'), setup2, { createdWithBusinessEmail: 'yes', twoFactorOn: 'yes', loginAlertsOn: 'yes', inSmmp: 'yes', verification: 'granted' }))).toContain('Account active');

    const list = await (await fetch(`${h.url}/official-accounts.json`)).json();
    expect(list.accounts).toEqual([{ platform: 'X', handle: '@TestPolNorth', displayName: 'Test Police North', url: 'https://x.com/TestPolNorth', area: 'North Division', verified: true }]);
    expect(text(list)).not.toMatch(/pc\.north|north\.social|Dana|PC North/);
    const actions = (await h.decisions()).filter((r) => r.subject?.id === id || r.subject?.id === accountId).map((r) => `${r.action}:${r.outcome}`);
    expect(actions).toEqual([
      'account.requested:done', 'account.approve_comms:refused', 'account.approved_comms:done', 'account.approved_infosec:done',
      'account.created:done', 'account.registered:done', 'account.activated:done',
    ]);
  });

  it('/approvals lists what waits for each person, wherever its card went, and opens it to decide; /account REQ-… opens one', async () => {
    const id = (await requestInSlack(slackUser('desk'), { account: { handle: '@TestPolSouth', displayName: 'Test Police South', area: 'south' } })).id!;
    await h.bot.idle();
    const listed = async (who: 'comms' | 'sec' | 'desk' | 'north', platform: 'slack' | 'teams' = 'slack') => text(platform === 'slack'
      ? await slashInSlack(h, slackUser(who), '/approvals')
      : (await postActivity(h.url, personalMessage(h.connector.url, teamsUser(who), 'approvals')), h.connector.calls.filter((c) => c.conversationId === `a:personal-aad-${who}`).at(-1)!.body));
    // Comms sees it (in either platform); the requester and information security do not yet.
    expect(await listed('comms')).toContain(`${id} · X @TestPolSouth`);
    expect(await listed('comms', 'teams')).toContain(`${id} · X @TestPolSouth`);
    expect(await listed('desk')).not.toContain(id);
    expect(await listed('sec')).not.toContain(id);
    // Opening it from the list gives the card with its buttons; comms approves from there.
    const opened = await clickInTeams(h, teamsUser('comms'), 'a:personal-aad-comms', 'account.open', { subjectId: id });
    expect(text(opened.value)).toContain('account.approve');
    await clickInTeams(h, teamsUser('comms'), 'a:personal-aad-comms', 'account.approve', { subjectId: id });
    await h.bot.idle();
    // Now it waits for information security, and no longer for comms (who may not approve both stages).
    expect(await listed('sec')).toContain('waiting for information security (stage 2 of 2; corporate communications: Cara Comms)');
    expect(await listed('comms')).toContain('Nothing in account governance is waiting for you.');
    expect(text(await slashInSlack(h, slackUser('sec'), '/account', id.toLowerCase()))).toContain(`Account request ${id}`);
    expect(text(await slashInSlack(h, slackUser('sec'), '/account', 'REQ-99999'))).toContain('There is no REQ-99999');
  });

  it('requested in Teams, sent back for changes in Slack, amended, then approved in Slack and in Teams; one person cannot approve both', async () => {
    const user = teamsUser('desk');
    const opened = await openTeamsForm(h, user, 'account request');
    const conv = opened.conv;
    let reply: any;
    for (const [stepId, values] of [['account', { ...ACCOUNT, handle: 'TestPolCity', displayName: 'Test Police City', area: 'south' }], ['purpose', PURPOSE], ['people', { ...PEOPLE, owner: 'dana.desk', admins: '' }], ['security', { ...SECURITY, twoFactor: 'authenticator', thirdPartyApps: '' }]] as const) {
      reply = await opened.submit(stepId, values);
    }
    const id = text(reply.value).match(/REQ-\d{5}/)![0];
    await h.bot.idle();

    const changes = await (await clickInSlack(h, slackUser('comms'), 'account.changes', id, SLACK_COMMS_CHANNEL)).modal();
    const noComment = await submitModal(h, slackUser('comms'), changes, { comment: '' });
    expect(noComment.response_action).toBe('errors');
    await submitModal(h, slackUser('comms'), changes, { comment: 'Say which appeals it will carry' });
    await h.bot.idle();
    // The requester gets the card with "Amend and resubmit".
    const amendCard = h.connector.calls.filter((c) => text(c.body).includes(id) && text(c.body).includes('account.amend')).at(-1);
    expect(amendCard).toBeDefined();
    const amend = await clickInTeams(h, user, conv, 'account.amend', { subjectId: id });
    const form = amend.value;
    expect(text(form)).toContain('TestPolCity');
    const amendSession = form.actions[0].data.sessionId;
    // Clients send every input with its current (pre-filled) value.
    const city = { ...ACCOUNT, handle: 'TestPolCity', displayName: 'Test Police City', area: 'south' };
    for (const [stepId, values] of [['account', city], ['purpose', { ...PURPOSE, purpose: 'Appeals and city-centre news' }], ['people', { ...PEOPLE, owner: 'dana.desk', admins: '' }], ['security', { ...SECURITY, twoFactor: 'authenticator', thirdPartyApps: '' }]] as const) {
      reply = (await postActivity(h.url, cardAction(h.connector.url, user, conv, 'dialog.submit', { sessionId: amendSession, stepId, ...values }))).body;
    }
    expect(text(reply.value)).toContain(`Account request ${id} resubmitted`);

    // Someone with both roles approves the first stage, but not the second.
    await clickInSlack(h, slackUser('comms'), 'account.approve', id, SLACK_COMMS_CHANNEL);
    await h.bot.idle();
    const again = await clickInTeams(h, teamsUser('comms'), TEAMS_COMMS_CHANNEL, 'account.approve', { subjectId: id });
    expect(text(again)).toContain('Not permitted');
    const done = await clickInTeams(h, teamsUser('sec'), TEAMS_COMMS_CHANNEL, 'account.approve', { subjectId: id });
    expect(text(done.value)).toContain('Approved: added to the register');
  });

  it('closes an account: unknown handles get a clear message; comms approve; it leaves the public list on its date', async () => {
    const unknown = await slashInSlack(h, slackUser('north'), '/account', 'close @TestPolNowhere');
    expect(text(unknown)).toContain('No live official account @TestPolNowhere');
    const before = h.slack.of('views.open').length;
    await slashInSlack(h, slackUser('north'), '/account', 'close @TestPolNorth');
    const modal = await eventually(() => h.slack.of('views.open')[before]?.args.view as any, 3000, 'close modal');
    const today = new Date('2026-11-25T14:00:00Z').toISOString().slice(0, 10);
    expect(text(await submitModal(h, slackUser('north'), modal, { reason: 'Merged into TestPolCity', content: 'archive', effectiveDate: today }))).toContain('Closure requested');
    await h.bot.idle();
    const card = h.slack.of('chat.postMessage').filter((c) => c.args.channel === SLACK_COMMS_CHANNEL && text(c.args.blocks).includes('account.approve_closure')).at(-1)!;
    const accountId = text(card.args.blocks).match(/ACC-\d{5}/)![0];
    await clickInSlack(h, slackUser('comms'), 'account.approve_closure', accountId, SLACK_COMMS_CHANNEL);
    await h.bot.idle();
    const list = await (await fetch(`${h.url}/official-accounts.json`)).json();
    expect(list.accounts.map((a: { handle: string }) => a.handle)).not.toContain('@TestPolNorth');
    const shown = await slashInSlack(h, slackUser('desk'), '/account', '@TestPolNorth');
    expect(text(shown.blocks)).toContain('closed');
    expect(text(shown.blocks)).toContain('Cara Comms approved its closure');
  });

  it('impersonation: reported in Slack, tracked in Teams through reported (with reference) to taken down', async () => {
    const before = h.slack.of('views.open').length;
    await slashInSlack(h, slackUser('desk'), '/impersonation');
    const modal = await eventually(() => h.slack.of('views.open')[before]?.args.view as any, 3000, 'modal');
    const notOfficial = await submitModal(h, slackUser('desk'), modal, { platform: 'X', target: 'https://x.com/TestPo1City', imitates: 'SomeoneElse', notes: '' });
    expect(notOfficial.errors.imitates).toContain('is not in the register');
    const done = await submitModal(h, slackUser('desk'), modal, { platform: 'X', target: 'https://x.com/TestPo1City', imitates: '@TestPolCity', notes: 'Copying appeals, asking for donations' });
    const id = text(done).match(/IMP-\d{5}/)![0];
    await h.bot.idle();
    expect(h.slack.of('chat.postMessage').some((c) => c.args.channel === SLACK_INFOSEC_CHANNEL && text(c.args.blocks).includes(id))).toBe(true);
    expect(text(await clickInTeams(h, teamsUser('desk'), TEAMS_COMMS_CHANNEL, 'impersonation.taken_down', { subjectId: id }))).toContain('Not permitted');
    const refForm = await clickInTeams(h, teamsUser('sec'), TEAMS_COMMS_CHANNEL, 'impersonation.reported', { subjectId: id });
    const reported = await clickInTeams(h, teamsUser('sec'), TEAMS_COMMS_CHANNEL, 'dialog.submit', { sessionId: refForm.value.actions[0].data.sessionId, stepId: 'platformRef', platformRef: 'X-IMP-4471' });
    expect(text(reported.value)).toContain('X-IMP-4471');
    const down = await clickInTeams(h, teamsUser('comms'), TEAMS_COMMS_CHANNEL, 'impersonation.taken_down', { subjectId: id });
    expect(text(down.value)).toContain('Taken down');
    expect((await h.decisions()).filter((r) => r.subject?.id === id).map((r) => `${r.action}:${r.outcome}`)).toEqual([
      'impersonation.reported:done', 'impersonation.update:refused', 'impersonation.reported:done', 'impersonation.taken_down:done',
    ]);
  });

  it('the register’s calendar: review reminders once a day, overdue reviews to comms, closures on their date, impersonation chased', async () => {
    const clock = h.clock as ManualClock;
    const register = await slashInSlack(h, slackUser('desk'), '/accounts', 'x south awaiting_setup');
    expect(text(register.blocks)).toContain('X @TestPolCity');
    const accountId = (await h.decisions()).find((r) => r.action === 'account.created' && (r.details as { handle?: string }).handle === 'TestPolCity')!.subject!.id;
    const setup = await clickInTeams(h, teamsUser('desk'), 'a:personal-aad-desk', 'account.setup', { subjectId: accountId });
    await clickInTeams(h, teamsUser('desk'), 'a:personal-aad-desk', 'dialog.submit', { sessionId: setup.value.actions[0].data.sessionId, stepId: 'setup', createdWithBusinessEmail: 'yes', twoFactorOn: 'yes', loginAlertsOn: 'yes', inSmmp: 'yes', verification: 'applied' });
    const system = async () => (await h.decisions()).filter((r) => r.actor!.personId === 'bluedesk').map((r) => `${r.action} ${r.subject!.id}`);
    // An impersonation case nobody moves on.
    const opened = h.slack.of('views.open').length;
    await slashInSlack(h, slackUser('desk'), '/impersonation');
    const modal = await eventually(() => h.slack.of('views.open')[opened]?.args.view as any, 3000, 'modal');
    const caseId = text(await submitModal(h, slackUser('desk'), modal, { platform: 'Facebook', target: 'TestPolCityOfficial', imitates: 'TestPolCity', notes: '' })).match(/IMP-\d{5}/)![0];
    const before = (await system()).length;

    clock.set(new Date('2026-12-10T09:00:00Z')); // 15 days after set-up, with verification still only applied for
    await h.bot.tick();
    await h.bot.idle();
    expect((await system()).slice(before)).toEqual([`account.verification_reprompted ${accountId}`, `impersonation.reminded ${caseId}`]);
    await h.bot.tick();
    expect((await system()).length).toBe(before + 2); // nothing twice in one day
    expect(text(await clickInTeams(h, teamsUser('north'), 'a:personal-aad-north', 'account.verified', { subjectId: accountId }))).toContain('Not permitted');
    expect(text((await clickInTeams(h, teamsUser('desk'), 'a:personal-aad-desk', 'account.verified', { subjectId: accountId })).value)).toContain('The public list now shows the account as verified');

    clock.set(new Date('2027-11-25T09:00:00Z')); // the review date
    await h.bot.tick();
    await h.bot.idle();
    expect(await system()).toContain(`account.review_reminded ${accountId}`);
    expect(h.connector.calls.some((c) => c.conversationId === 'a:personal-aad-desk' && text(c.body).includes('Review due for @TestPolCity'))).toBe(true);

    clock.set(new Date('2027-12-27T09:00:00Z')); // more than 30 days overdue
    await h.bot.tick();
    await h.bot.idle();
    expect(await system()).toContain(`account.review_overdue ${accountId}`);
    expect(h.slack.of('chat.postMessage').some((c) => c.args.channel === SLACK_COMMS_CHANNEL && text(c.args.blocks).includes('TestPolCity') && text(c.args.blocks).includes('account.review'))).toBe(true);

    // A closure with a future date keeps the account public until then.
    const close = await clickInTeams(h, teamsUser('desk'), 'a:personal-aad-desk', 'account.close', { subjectId: accountId });
    await clickInTeams(h, teamsUser('desk'), 'a:personal-aad-desk', 'dialog.submit', { sessionId: close.value.actions[0].data.sessionId, stepId: 'close', reason: 'Replaced', content: 'delete', effectiveDate: '2028-01-10' });
    await clickInSlack(h, slackUser('comms'), 'account.approve_closure', accountId, SLACK_COMMS_CHANNEL);
    await h.bot.idle();
    expect((await (await fetch(`${h.url}/official-accounts.json`)).json()).accounts.map((a: { handle: string }) => a.handle)).toContain('@TestPolCity');
    clock.set(new Date('2028-01-10T08:00:00Z'));
    await h.bot.tick();
    await h.bot.idle();
    expect(await system()).toContain(`account.closed ${accountId}`);
    expect((await (await fetch(`${h.url}/official-accounts.json`)).json()).accounts).toEqual([]);
  });
});
