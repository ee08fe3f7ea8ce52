import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../fakes/http.ts';
import { personalMessage, postActivity } from '../fakes/teams-activities.ts';
import { SLACK_ESCALATION_CHANNEL, TEAMS_ESCALATION_CHANNEL, slackUser, teamsUser } from '../helpers/config.ts';
import { clickInSlack, clickInTeams, raiseInTeams, slashInSlack, submitModal } from '../helpers/flows.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';

const text = (n: unknown) => JSON.stringify(n);
const NDM = { information: 'Named officer, credible', threatRisk: 'High: specific', powersPolicy: 'Threats to kill', options: 'NFA / refer', action: 'Referred to control room', reviewAt: '2026-11-25 16:00' };

describe('alert card actions on both platforms', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ installIn: [TEAMS_ESCALATION_CHANNEL] });
  });
  afterAll(async () => h.stop());

  /**
   * The latest version of the alert as Slack and Teams show it. Slack is acked
   * before the work is done, so wait until a copy shows `until` on both platforms.
   */
  async function latestCopies(id: string, until?: string) {
    if (until) {
      await eventually(() => h.slack.calls.some((c) => c.method === 'chat.update' && text(c.args.blocks).includes(id) && text(c.args.blocks).includes(until)) &&
        h.connector.calls.some((c) => c.method === 'PUT' && text(c.body).includes(id) && text(c.body).includes(until)), 5000, `copies showing ${until}`);
    }
    await h.bot.idle();
    const slack = h.slack.calls.filter((c) => (c.method === 'chat.update' || c.method === 'chat.postMessage') && c.args.channel === SLACK_ESCALATION_CHANNEL && text(c.args.blocks).includes(id)).at(-1)!;
    const teams = h.connector.calls.filter((c) => c.conversationId === TEAMS_ESCALATION_CHANNEL && text(c.body).includes(id)).at(-1)!;
    return { slack: text(slack.args.blocks), teams: text(teams.body) };
  }

  it('records a decision in Teams with the NDM rationale; every copy shows it, with the community-guideline reason', async () => {
    const id = await raiseInTeams(h, teamsUser('desk'), { category: 'threat_to_life' });
    const form = await clickInTeams(h, teamsUser('jones'), TEAMS_ESCALATION_CHANNEL, 'escalation.decide', { escalationId: id });
    expect(form.type).toBe('application/vnd.microsoft.card.adaptive');
    const sessionId = form.value.actions[0].data.sessionId;
    const step = (stepId: string, values: Record<string, string>) => clickInTeams(h, teamsUser('jones'), TEAMS_ESCALATION_CHANNEL, 'dialog.submit', { sessionId, stepId, ...values });
    expect(text((await step('type', { decisionType: 'moderation.hide' })).value)).toContain('Community guideline it breaches');
    const ndm = await step('guideline', { guidelineReason: 'Threats of violence are not allowed' });
    expect(text(ndm.value)).toContain('National Decision Model');
    const badTime = await step('ndm', { ...NDM, reviewAt: 'later' });
    expect(text(badTime.value)).toContain('Enter the time as YYYY-MM-DD HH:MM in UK time, e.g. 2026-11-26 09:00.');
    // A review time earlier today is not a review to come.
    expect(text((await step('ndm', { ...NDM, reviewAt: '2026-11-25 09:00' })).value)).toContain('The time must be in the future');
    const done = await step('ndm', NDM);
    expect(text(done.value)).toContain('Decision recorded');
    // A success note on the card is never red (nor green: green text is too faint on white); its ✅ says it.
    expect(JSON.stringify(done.value)).not.toContain('"color":"Attention"');
    expect(JSON.stringify(done.value)).toContain('✅');
    const copies = await latestCopies(id);
    for (const c of [copies.slack, copies.teams]) expect(c).toContain('Moderation: hide (community guideline: Threats of violence are not allowed), by Insp. Jones');
    const decided = (await h.decisions()).filter((r) => r.action === 'escalation.decided').at(-1)!;
    expect(decided.rationale).toEqual({ ...NDM, reviewAt: '2026-11-25T16:00:00.000Z' });
  });

  it('refuses, explains and records contacting a victim who has not engaged, as soon as the type is chosen', async () => {
    const id = await raiseInTeams(h, teamsUser('desk'), { category: 'other', victim: 'yes', engaged: 'no' });
    const form = await clickInTeams(h, teamsUser('jones'), TEAMS_ESCALATION_CHANNEL, 'escalation.decide', { escalationId: id });
    const sessionId = form.value.actions[0].data.sessionId;
    const refused = await clickInTeams(h, teamsUser('jones'), TEAMS_ESCALATION_CHANNEL, 'dialog.submit', { sessionId, stepId: 'type', decisionType: 'engagement.message_private' });
    expect(text(refused.value)).toContain('forbids using corporate engagement channels to contact victims or witnesses');
    expect(text(refused.value)).toContain('Referral: call for service to contact management');
    // The form had replaced the alert for Jones: the refusal comes back on the alert itself, so its buttons stay.
    expect(JSON.stringify(refused.value)).toContain('"verb":"escalation.acknowledge"');
    expect((await h.decisions()).at(-1)).toMatchObject({ action: 'escalation.decide', outcome: 'refused', subject: { id } });
  });

  it('Teams: cancelling a form opened from an alert gives the clicker the alert back, buttons and all', async () => {
    const id = await raiseInTeams(h, teamsUser('desk'), { category: 'misinformation' });
    const form = await clickInTeams(h, teamsUser('jones'), TEAMS_ESCALATION_CHANNEL, 'escalation.note', { escalationId: id });
    const sessionId = form.value.actions[0].data.sessionId;
    const cancelled = await clickInTeams(h, teamsUser('jones'), TEAMS_ESCALATION_CHANNEL, 'dialog.cancel', { sessionId });
    expect(cancelled.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(text(cancelled.value)).toContain(id);
    expect(text(cancelled.value)).toContain('Cancelled: Nothing was changed.');
    expect(JSON.stringify(cancelled.value)).toContain('"verb":"escalation.acknowledge"');
  });

  it('Slack: assign, note, escalate, decide, close and reopen through modals; copies update everywhere', async () => {
    const id = await raiseInTeams(h, teamsUser('desk'), { category: 'misinformation', area: 'south' });
    const jones = slackUser('jones');

    const assign = await (await clickInSlack(h, slackUser('desk'), 'escalation.assign', id)).modal();
    expect(assign.blocks.find((b: any) => b.block_id === 'assignee').element.initial_option.value).toBe('dana.desk');
    expect((await submitModal(h, slackUser('desk'), assign, { assignee: 'insp.jones' })).view.blocks[0].text.text).toContain('Assigned');
    expect((await latestCopies(id, 'Owner: Insp. Jones')).slack).toContain('Owner: Insp. Jones');

    const note = await (await clickInSlack(h, jones, 'escalation.note', id)).modal();
    const oversized = await submitModal(h, jones, note, { note: 'x'.repeat(2001) });
    expect(oversized).toEqual({ response_action: 'errors', errors: { note: 'Note must be at most 2000 characters (it has 2001).' } });
    await submitModal(h, jones, note, { note: 'Also posted on Facebook' });

    await clickInSlack(h, jones, 'escalation.escalate', id);
    expect((await latestCopies(id, 'Escalated to Desk supervisor')).teams).toContain('Escalated to Desk supervisor');

    const close = await clickInSlack(h, jones, 'escalation.close', id);
    const told = await eventually(() => h.slack.of('chat.postEphemeral').find((c) => c.args.user === jones.userId && text(c.args.blocks).includes('Record a decision first')), 3000, 'no-decision notice');
    expect(told).toBeDefined();
    void close;

    const decide = await (await clickInSlack(h, jones, 'escalation.decide', id)).modal();
    const s2 = await submitModal(h, jones, decide, { decisionType: 'no_further_action' });
    expect(s2.view.blocks.map((b: any) => b.block_id)).toContain('reason');
    expect((await submitModal(h, jones, s2.view, { reason: 'Satire account' })).view.blocks[0].text.text).toContain('Decision recorded');

    const closing = await (await clickInSlack(h, jones, 'escalation.close', id)).modal();
    await submitModal(h, jones, closing, { reason: 'Satire; no action' });
    const closed = await latestCopies(id, 'Closed by Insp. Jones');
    expect(closed.slack).toContain('Closed by Insp. Jones');
    expect(closed.teams).toContain('"verb":"escalation.reopen"');

    const reopen = await (await clickInSlack(h, slackUser('desk'), 'escalation.reopen', id)).modal();
    const updatesBefore = h.slack.of('chat.update').length;
    await submitModal(h, slackUser('desk'), reopen, { reason: 'New threatening replies' });
    const reopened = await eventually(() => h.slack.of('chat.update').slice(updatesBefore).find((c) => text(c.args.blocks).includes(id) && !text(c.args.blocks).includes('Closed by')), 5000, 'reopened copy');
    // The decision acknowledged it implicitly (deciding means someone has it), so it reopens as acknowledged.
    expect(text(reopened.args.blocks)).toContain('Acknowledged by Insp. Jones at 14:00 GMT · Owner: Insp. Jones');

    const actions = (await h.decisions()).filter((r) => r.subject?.id === id).map((r) => r.action);
    expect(actions).toEqual(['escalation.raised', 'escalation.assigned', 'escalation.noted', 'escalation.tier_raised', 'escalation.decided', 'escalation.closed', 'escalation.reopened']);
  });

  it('Teams: acknowledge (and its retry), assign, note, escalate, close and reopen through Action.Execute', async () => {
    const id = await raiseInTeams(h, teamsUser('desk'), { category: 'contentious', area: 'south' });
    const jones = teamsUser('jones');
    const click = (verb: string) => clickInTeams(h, jones, TEAMS_ESCALATION_CHANNEL, verb, { escalationId: id });
    const submit = (form: any, values: Record<string, string>) => clickInTeams(h, jones, TEAMS_ESCALATION_CHANNEL, 'dialog.submit', { sessionId: form.value.actions[0].data.sessionId, stepId: form.value.actions[0].data.stepId, ...values });

    expect(text((await click('escalation.acknowledge')).value)).toContain('Acknowledged by Insp. Jones');
    // Teams retries an invoke it got no answer to: the retry records nothing and says so.
    expect(text((await click('escalation.acknowledge')).value)).toContain(`You already acknowledged ${id}.`);

    const assigned = await submit(await click('escalation.assign'), { assignee: 'dana.desk' });
    expect(text(assigned.value)).toContain('Owner: Dana Desk');
    expect(text((await submit(await click('escalation.note'), { note: 'Author has deleted it' })).value)).toContain('1 note');
    expect(text((await click('escalation.escalate')).value)).toContain('Escalated to Desk supervisor');
    expect(text((await submit(await click('escalation.decide'), { decisionType: 'no_further_action' })).value)).toContain('Reason');
    const closeForm = await click('escalation.close');
    expect(closeForm.type).toBe('application/vnd.microsoft.activity.message');
    expect(closeForm.value).toContain('Record a decision first');
    const decide = await click('escalation.decide');
    const reasonStep = await submit(decide, { decisionType: 'report_to_platform' });
    const refStep = await submit(reasonStep, { platformRef: 'TT-123' });
    expect(text((await submit(refStep, { reason: 'Breaches platform rules' })).value)).toContain('Report to the platform (platform ref TT-123)');
    expect(text((await submit(await click('escalation.close'), { reason: 'Removed by platform' })).value)).toContain('Closed by Insp. Jones');
    const reopened = await clickInTeams(h, teamsUser('desk'), TEAMS_ESCALATION_CHANNEL, 'escalation.reopen', { escalationId: id });
    const back = await clickInTeams(h, teamsUser('desk'), TEAMS_ESCALATION_CHANNEL, 'dialog.submit', { sessionId: reopened.value.actions[0].data.sessionId, stepId: 'reason', reason: 'Reposted' });
    expect(text(back.value)).toContain('Acknowledged by Insp. Jones');
    const actions = (await h.decisions()).filter((r) => r.subject?.id === id).map((r) => r.action);
    expect(actions).toEqual(['escalation.raised', 'escalation.acknowledged', 'escalation.assigned', 'escalation.noted', 'escalation.tier_raised', 'escalation.decided', 'escalation.closed', 'escalation.reopened']);
  });

  it('refuses a card action to a role that may not, recording it', async () => {
    const id = await raiseInTeams(h, teamsUser('desk'));
    const body = await clickInTeams(h, teamsUser('infoman'), TEAMS_ESCALATION_CHANNEL, 'escalation.assign', { escalationId: id });
    expect(body.type).toBe('application/vnd.microsoft.activity.message');
    expect(body.value).toContain('Not permitted');
    expect((await h.decisions()).at(-1)).toMatchObject({ action: 'escalation.assign', outcome: 'refused', actor: { personId: 'ian.im' } });
  });

  it('lists my escalations, shows a timeline with rationale, and shows coverage, on both platforms', async () => {
    const list = await slashInSlack(h, slackUser('jones'), '/escalations');
    expect(text(list.blocks)).toContain('Open escalations');
    expect(text(list.blocks)).toMatch(/ESC-\d{5} · CRITICAL/);
    const id = (await h.decisions()).find((r) => r.action === 'escalation.decided')!.subject!.id;
    const timeline = await slashInSlack(h, slackUser('desk'), '/escalation', id.toLowerCase());
    expect(text(timeline.blocks)).toContain('Insp. Jones recorded a decision');
    expect(text(timeline.blocks)).toContain('Threat and risk: High: specific');
    expect(text((await slashInSlack(h, slackUser('desk'), '/escalation', 'ESC-99999')).blocks)).toContain('There is no escalation ESC-99999');

    await postActivity(h.url, personalMessage(h.connector.url, teamsUser('north'), 'coverage'));
    // The reply in North's chat: an alert card raised just before may still be arriving in the channel.
    const coverage = text(h.connector.calls.filter((c) => c.conversationId === 'a:personal-aad-north').at(-1)!.body);
    expect(coverage).toContain('Saturday: 00:00–24:00');
    expect(coverage).toContain('The desk is staffed now.');
    await postActivity(h.url, personalMessage(h.connector.url, teamsUser('north'), 'escalations'));
    const north = h.connector.calls.filter((c) => c.conversationId === 'a:personal-aad-north').at(-1)!;
    expect(text(north.body), text(north.body)).toContain('Open escalations');
  });

  it('two people acknowledging at once on different platforms: one wins, the other is told who, the cards show the winner', async () => {
    const id = await raiseInTeams(h, teamsUser('desk'));
    await h.bot.idle();
    const before = (await h.decisions()).length;
    const [, teams] = await Promise.all([
      clickInSlack(h, slackUser('jones'), 'escalation.acknowledge', id),
      clickInTeams(h, teamsUser('desk'), TEAMS_ESCALATION_CHANNEL, 'escalation.acknowledge', { escalationId: id }),
    ]);
    await h.bot.idle();
    const acks = (await h.decisions()).slice(before).filter((r) => r.action === 'escalation.acknowledged');
    expect(acks).toHaveLength(1);
    const winner = acks[0]!.actor!.name!;
    if (winner === 'Dana Desk') {
      const told = await eventually(() => h.slack.of('chat.postEphemeral').find((c) => c.args.user === slackUser('jones').userId && text(c.args.blocks).includes(`Dana Desk acknowledged ${id} first`)), 3000, 'loser told');
      expect(told).toBeDefined();
    } else {
      expect(text(teams.value)).toContain(`Insp. Jones acknowledged ${id} first`);
    }
    const copies = await latestCopies(id, `Acknowledged by ${winner}`);
    expect(copies.slack).toContain(`Acknowledged by ${winner}`);
  });

  it('a double click on the last step of a decision records one decision', async () => {
    const id = await raiseInTeams(h, teamsUser('desk'), { category: 'contentious' });
    const form = await clickInTeams(h, teamsUser('jones'), TEAMS_ESCALATION_CHANNEL, 'escalation.decide', { escalationId: id });
    const sessionId = form.value.actions[0].data.sessionId;
    const onFirst = async () => (await h.decisions()).filter((r) => r.action === 'escalation.decided' && r.subject!.id === 'ESC-00001').length;
    const firstBefore = await onFirst();
    await clickInTeams(h, teamsUser('jones'), TEAMS_ESCALATION_CHANNEL, 'dialog.submit', { sessionId, stepId: 'type', decisionType: 'no_further_action' });
    const last = { sessionId, stepId: 'reason', reason: 'Fair comment', escalationId: 'ESC-00001' };
    const [a, b] = await Promise.all([1, 2].map(() => clickInTeams(h, teamsUser('jones'), TEAMS_ESCALATION_CHANNEL, 'dialog.submit', last)));
    expect([text(a.value), text(b.value)].filter((t) => t.includes('Decision recorded'))).toHaveLength(1);
    const decided = (await h.decisions()).filter((r) => r.action === 'escalation.decided');
    // One decision, on the escalation the form was opened for: the forged escalationId in the submission is ignored.
    expect(decided.filter((r) => r.subject!.id === id)).toHaveLength(1);
    expect(await onFirst()).toBe(firstBefore);
  });

  it('keeps the decision log intact', async () => {
    expect((await h.verify()).ok).toBe(true);
  });
});
