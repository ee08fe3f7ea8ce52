import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../fakes/http.ts';
import { botAddedToPersonal, botAddedToTeam, botRemovedFromTeam, cardAction, channelMention, personalMessage, postActivity } from '../fakes/teams-activities.ts';
import { SLACK_ESCALATION_CHANNEL, TEAMS_ESCALATION_CHANNEL, TEAMS_TEAM, TENANT, teamsUser } from '../helpers/config.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { openTeamsForm, raiseInTeams } from '../helpers/flows.ts';

const text = (n: unknown): string => JSON.stringify(n);

describe('Teams: activities into /api/messages, replies at the serviceUrl', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ installIn: [TEAMS_ESCALATION_CHANNEL] });
  });
  afterAll(async () => h.stop());

  it('answers help to a known person, listing only what their roles allow', async () => {
    await postActivity(h.url, personalMessage(h.connector.url, teamsUser('infoman'), 'hello there'));
    const reply = h.connector.calls.at(-1)!;
    expect(reply.conversationId).toBe('a:personal-aad-im');
    expect(text(reply.body)).toContain('/escalate');
    expect(text(reply.body)).not.toContain('Acknowledge, Record decision');
  });

  it('answers a typo with the nearest command, and welcomes someone who installs the bot in their personal chat', async () => {
    await postActivity(h.url, personalMessage(h.connector.url, teamsUser('desk'), 'esclate https://x.com/a/status/1'));
    expect(text(h.connector.calls.at(-1)!.body)).toContain('“esclate” is not a Bluedesk command. Did you mean “escalate”?');
    const before = (await h.decisions()).length;
    await postActivity(h.url, botAddedToPersonal(h.connector.url, teamsUser('north')));
    const welcome = h.connector.calls.at(-1)!;
    expect(welcome.conversationId).toBe('a:personal-aad-north');
    expect(text(welcome.body)).toContain('Welcome to Bluedesk');
    expect(text(welcome.body)).toContain('Hello PC North');
    await postActivity(h.url, botAddedToPersonal(h.connector.url, { aadObjectId: 'aad-newcomer', tenantId: TENANT }));
    expect(text(h.connector.calls.at(-1)!.body)).toContain('Ask the digital desk supervisor for access.');
    expect((await h.decisions()).length).toBe(before);
  });

  it('strips the @mention in a channel before reading the command', async () => {
    await postActivity(h.url, channelMention(h.connector.url, teamsUser('jones'), { id: TEAMS_TEAM, channelId: TEAMS_ESCALATION_CHANNEL }, 'help'));
    const reply = h.connector.calls.at(-1)!;
    expect(reply.conversationId).toMatch(/^19:escalations@thread\.tacv2;messageid=/);
    expect(text(reply.body)).toContain('Bluedesk commands');
    expect(text(reply.body)).toContain('Acknowledge, Record decision');
  });

  it('refuses an unknown person and a foreign tenant politely, recording both', async () => {
    await postActivity(h.url, personalMessage(h.connector.url, { aadObjectId: 'aad-stranger', tenantId: TENANT }, 'escalate'));
    expect(text(h.connector.calls.at(-1)!.body)).toContain('Ask the digital desk supervisor for access.');
    await postActivity(h.url, personalMessage(h.connector.url, { aadObjectId: 'aad-desk', tenantId: 'ffffffff-0000-0000-0000-000000000000' }, 'escalate'));
    expect(text(h.connector.calls.at(-1)!.body)).toContain('only serves the force');
    const last2 = (await h.decisions()).slice(-2).map((r) => [r.action, r.reason, r.actor!.identity]);
    expect(last2).toEqual([
      ['access.refused', 'unknown-person', `teams:${TENANT}/aad-stranger`],
      ['access.refused', 'tenant-not-allowed', 'teams:ffffffff-0000-0000-0000-000000000000/aad-desk'],
    ]);
  });

  it('takes the verb from data when an invoke has none, and Action.Submit messages too', async () => {
    const id = await raiseInTeams(h, teamsUser('desk'));
    await h.bot.idle();
    const res = await postActivity(h.url, cardAction(h.connector.url, teamsUser('jones'), TEAMS_ESCALATION_CHANNEL, undefined, { verb: 'escalation.acknowledge', escalationId: id }));
    expect(text(res.body)).toContain('Acknowledged by Insp. Jones');
    // An old client's Action.Submit: a message whose value is a JSON string.
    const submit = personalMessage(h.connector.url, teamsUser('desk'), '', { value: JSON.stringify({ verb: 'escalation.acknowledge', escalationId: id }) });
    await postActivity(h.url, submit);
    expect(text(h.connector.calls.at(-1)!.body)).toContain(`Insp. Jones acknowledged ${id} first`);
  });

  it('cancels a dialog from its card, after which the form cannot be submitted', async () => {
    const user = teamsUser('desk');
    const { conv, form, sessionId } = await openTeamsForm(h, user, 'escalate');
    expect(form.actions[1].verb).toBe('dialog.cancel');
    const cancelled = await postActivity(h.url, cardAction(h.connector.url, user, conv, 'dialog.cancel', { sessionId }));
    expect(text(cancelled.body.value)).toContain('Nothing was changed');
    const late = await postActivity(h.url, cardAction(h.connector.url, user, conv, 'dialog.submit', { sessionId, stepId: 'content', contentUrl: 'https://x.com/1', platform: 'X', category: 'other', summary: 's', area: 'north' }));
    expect(text(late.body.value)).toContain('cancelled or has expired');
  });

  it('answers unknown actions and tampered card data with a clear message, recording nothing', async () => {
    const before = (await h.decisions()).length;
    const unknown = await postActivity(h.url, cardAction(h.connector.url, teamsUser('jones'), TEAMS_ESCALATION_CHANNEL, 'escalation.delete', { escalationId: 'ESC-00001' }));
    expect(unknown.status).toBe(200);
    expect(text(unknown.body)).toContain('This button is not recognised');
    const tampered = await postActivity(h.url, cardAction(h.connector.url, teamsUser('jones'), TEAMS_ESCALATION_CHANNEL, 'escalation.acknowledge', { escalationId: 'ESC-99999' }));
    expect(text(tampered.body)).toContain('There is no escalation ESC-99999');
    const forged = await postActivity(h.url, cardAction(h.connector.url, teamsUser('jones'), 'a:personal-aad-jones', 'dialog.submit', { sessionId: 'not-a-session', stepId: 'content' }));
    expect(text(forged.body)).toContain('This form is closed');
    expect((await h.decisions()).length).toBe(before);
  });

  it('rejects malformed requests with 4xx, never 5xx', async () => {
    const valid = personalMessage(h.connector.url, teamsUser('desk'), 'help');
    const cases: unknown[] = [
      '{not json', '[]', '"text"', JSON.stringify({}),
      { ...valid, type: undefined },
      { ...valid, serviceUrl: 'javascript:alert(1)' },
      { ...valid, conversation: undefined },
      { ...valid, from: 'me' },
      { ...cardAction(h.connector.url, teamsUser('desk'), 'a:x', 'v', {}), value: undefined },
      { ...cardAction(h.connector.url, teamsUser('desk'), 'a:x', 'v', {}), value: { action: 'nope' } },
      { ...cardAction(h.connector.url, teamsUser('desk'), 'a:x', 'v', {}), name: 'signin/verifyState' },
    ];
    for (const c of cases) {
      const res = await postActivity(h.url, typeof c === 'string' ? c : JSON.stringify(c));
      expect(res.status, text(c).slice(0, 120)).toBeGreaterThanOrEqual(400);
      expect(res.status, text(c).slice(0, 120)).toBeLessThan(500);
    }
  });

  it('forgets a channel when the bot is removed: alerts still reach Slack, and the Teams copy waits for a reinstall', async () => {
    await postActivity(h.url, botRemovedFromTeam(h.connector.url, TENANT, { id: TEAMS_TEAM, channelId: TEAMS_ESCALATION_CHANNEL }));
    const posts = h.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === TEAMS_ESCALATION_CHANNEL).length;
    const id = await raiseInTeams(h, teamsUser('desk'));
    await h.bot.idle();
    expect(h.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === TEAMS_ESCALATION_CHANNEL).length).toBe(posts);
    await eventually(() => h.slack.of('chat.postMessage').find((c) => c.args.channel === SLACK_ESCALATION_CHANNEL && text(c.args.blocks).includes(id)), 3000, 'slack alert');
    expect(h.log.lines.find((l) => l.msg === 'delivery waiting: place not reachable yet' && l.fields?.subject === id)?.fields?.error).toContain('not installed');
    await postActivity(h.url, botAddedToTeam(h.connector.url, TENANT, { id: TEAMS_TEAM, channelId: TEAMS_ESCALATION_CHANNEL }));
    await eventually(() => h.connector.calls.find((c) => c.method === 'POST' && c.conversationId === TEAMS_ESCALATION_CHANNEL && text(c.body).includes(id)), 5000, 'the waiting alert after the reinstall');
  });

  it('keeps dialogs, escalations and conversation references across a restart', async () => {
    const user = teamsUser('desk');
    const { conv, sessionId } = await openTeamsForm(h, user, 'escalate https://x.com/r/status/7 before restart');
    await h.restart();
    await postActivity(h.url, cardAction(h.connector.url, user, conv, 'dialog.submit', { sessionId, stepId: 'content', contentUrl: 'https://x.com/r/status/7', platform: 'X', category: 'contentious', summary: 'after restart', area: 'north' }));
    const done = await postActivity(h.url, cardAction(h.connector.url, user, conv, 'dialog.submit', { sessionId, stepId: 'author', authorIsVictimOrWitness: 'no' }));
    const id = text(done.body).match(/ESC-\d{5}/)![0];
    await h.bot.idle();
    const alert = h.connector.calls.find((c) => c.method === 'POST' && c.conversationId === TEAMS_ESCALATION_CHANNEL && text(c.body).includes(id));
    expect(alert).toBeDefined();
    await h.restart();
    await postActivity(h.url, cardAction(h.connector.url, teamsUser('jones'), TEAMS_ESCALATION_CHANNEL, 'escalation.acknowledge', { escalationId: id }));
    await h.bot.idle();
    expect(h.connector.calls.find((c) => c.method === 'PUT' && c.activityId === alert!.result!.id)).toBeDefined();
  });
});

describe('Teams delivery under pressure', () => {
  it('retries a proactive post that Teams answers 412 (a concurrent update), and the alert still lands', async () => {
    const h = await startHarness({ installIn: [TEAMS_ESCALATION_CHANNEL] });
    try {
      const id = await raiseInTeams(h, teamsUser('desk'), { beforeLastStep: () => void h.connector.failNext.push({ status: 412 }) });
      await h.bot.idle();
      expect(h.connector.calls.some((c) => c.conversationId === TEAMS_ESCALATION_CHANNEL && text(c.body).includes(id))).toBe(true);
      expect(h.log.lines.filter((l) => l.level === 'error')).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});
