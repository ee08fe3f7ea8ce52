import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../fakes/http.ts';
import { buttonClick, postToSlack } from '../fakes/slack-requests.ts';
import { botAddedToTeam, cardAction, personalMessage, postActivity } from '../fakes/teams-activities.ts';
import { SLACK_ESCALATION_CHANNEL, TEAMS_ESCALATION_CHANNEL, TEAMS_TEAM, TENANT, slackUser, teamsUser } from '../helpers/config.ts';
import { SIGNING_SECRET, startHarness, type Harness } from '../helpers/harness.ts';
import { textOf } from '../helpers/text.ts';
import { slashInSlack } from '../helpers/flows.ts';


describe('the /escalate story: raised in Teams, acknowledged in Slack, every copy updated', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.stop());

  let sessionId = '';
  let escalationId = '';

  it('captures the escalation channel when the bot is installed in the team', async () => {
    const res = await postActivity(h.url, botAddedToTeam(h.connector.url, TENANT, { id: TEAMS_TEAM, channelId: TEAMS_ESCALATION_CHANNEL }));
    expect(res.status).toBe(200);
  });

  it('opens a pre-filled form for "/escalate <url> <text>" in a personal chat', async () => {
    const res = await postActivity(h.url, personalMessage(h.connector.url, teamsUser('desk'), '/escalate https://x.com/someone/status/123 threat to officer'));
    expect(res.status).toBe(200);
    const sent = h.connector.calls.at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.conversationId).toBe('a:personal-aad-desk');
    const card = sent.body.attachments![0]!.content;
    const submit = (card.actions as Array<{ verb: string; data: { sessionId: string } }>)[0]!;
    expect(submit.verb).toBe('dialog.submit');
    sessionId = submit.data.sessionId;
    const inputs = textOf(card);
    expect(inputs).toContain('https://x.com/someone/status/123');
    expect(inputs).toContain('threat to officer');
    const platform = (card.body as any[]).flatMap((b) => b.items ?? []).find((i: any) => i.id === 'platform');
    expect(platform.value).toBe('X');
  });

  it('shows field errors inline and moves on once the step is valid', async () => {
    const conversation = 'a:personal-aad-desk';
    const bad = await postActivity(h.url, cardAction(h.connector.url, teamsUser('desk'), conversation, 'dialog.submit', {
      sessionId, stepId: 'content', contentUrl: 'javascript:alert(1)', platform: 'X', category: 'threat_to_life', summary: 'threat to officer', area: 'north',
    }));
    expect(bad.status).toBe(200);
    expect(bad.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(textOf(bad.body.value)).toContain('Only http and https links can be escalated.');

    const good = await postActivity(h.url, cardAction(h.connector.url, teamsUser('desk'), conversation, 'dialog.submit', {
      sessionId, stepId: 'content', contentUrl: 'https://x.com/someone/status/123', platform: 'X', category: 'threat_to_life',
      summary: 'Threatens PC Smith by name <!channel> ${1+1}', area: 'north',
    }));
    expect(textOf(good.body.value)).toContain('About the author');

    const done = await postActivity(h.url, cardAction(h.connector.url, teamsUser('desk'), conversation, 'dialog.submit', {
      sessionId, stepId: 'author', authorIsVictimOrWitness: 'no',
    }));
    const text = textOf(done.body.value);
    expect(text).toMatch(/Escalation ESC-\d{5} raised/);
    escalationId = text.match(/ESC-\d{5}/)![0];
  });

  it('posts the alert to the escalation channel on both platforms', async () => {
    await h.bot.idle();
    const teamsAlert = h.connector.calls.find((c) => c.method === 'POST' && c.conversationId === TEAMS_ESCALATION_CHANNEL);
    expect(teamsAlert).toBeDefined();
    const card = teamsAlert!.body.attachments![0]!.content;
    expect(textOf(card)).toContain('CRITICAL');
    expect(textOf(card)).toContain('Threatens PC Smith by name <!channel> ${1+1}');
    expect(textOf(card)).toContain('Awaiting acknowledgement');

    const slackAlert = h.slack.of('chat.postMessage').find((c) => c.args.channel === SLACK_ESCALATION_CHANNEL);
    expect(slackAlert).toBeDefined();
    expect(textOf(slackAlert!.args.blocks)).toContain('Threatens PC Smith by name <!channel> ${1+1}');
    expect(JSON.stringify(slackAlert!.args.blocks)).toContain('"action_id":"escalation.acknowledge"');
  });

  it('Acknowledge in Slack updates every copy in place on both platforms', async () => {
    const posted = h.slack.of('chat.postMessage').find((c) => c.args.channel === SLACK_ESCALATION_CHANNEL)!;
    const messageTs = posted.result!.ts as string;
    const res = await postToSlack(h.url, buttonClick(slackUser('jones'), 'escalation.acknowledge', escalationId, SLACK_ESCALATION_CHANNEL, messageTs), { secret: SIGNING_SECRET });
    expect(res.status).toBe(200);

    // Slack is acked first; the updates follow in the background.
    const slackUpdate = await eventually(() => h.slack.of('chat.update').find((c) => c.args.ts === messageTs && textOf(c.args.blocks).includes('Acknowledged')), 5000, 'chat.update');
    expect(textOf(slackUpdate.args.blocks)).toContain('Acknowledged by Insp. Jones at 14:00');
    expect(JSON.stringify(slackUpdate.args.blocks)).not.toContain('"action_id":"escalation.acknowledge"');

    const teamsAlert = h.connector.calls.find((c) => c.method === 'POST' && c.conversationId === TEAMS_ESCALATION_CHANNEL)!;
    const teamsUpdate = await eventually(() => h.connector.calls.find((c) => c.method === 'PUT' && c.conversationId === TEAMS_ESCALATION_CHANNEL && textOf(c.body).includes('Acknowledged')), 5000, 'Teams PUT');
    expect(teamsUpdate.activityId).toBe(teamsAlert.result!.id);
    expect(textOf(teamsUpdate.body)).toContain('Acknowledged by Insp. Jones at 14:00');
  });

  it('tells a second acknowledger who got there first, and records nothing new', async () => {
    const before = (await h.decisions()).length;
    const res = await postActivity(h.url, cardAction(h.connector.url, teamsUser('desk'), TEAMS_ESCALATION_CHANNEL, 'escalation.acknowledge', { escalationId }));
    expect(res.status).toBe(200);
    expect(textOf(res.body.value)).toContain(`Insp. Jones acknowledged ${escalationId} first`);
    expect((await h.decisions()).length).toBe(before);
  });

  it('labels the raiser’s summary as the summary in the timeline, not as a decision', async () => {
    const timeline = textOf(await slashInSlack(h, slackUser('jones'), '/escalation', escalationId));
    expect(timeline).toContain('Summary: Threatens PC Smith by name');
    expect(timeline).not.toContain('Decision: Threatens');
  });

  it('recorded both decisions in an intact hash chain', async () => {
    const records = await h.decisions();
    const about = records.filter((r) => r.subject?.id === escalationId).map((r) => [r.action, r.actor!.personId, r.actor!.identity]);
    expect(about).toEqual([
      ['escalation.raised', 'dana.desk', `teams:${TENANT}/aad-desk`],
      ['escalation.acknowledged', 'insp.jones', 'slack:T0FORCE001/U0JONES001'],
    ]);
    expect(await h.verify()).toMatchObject({ ok: true, records: records.length });
  });
});
