import { afterEach, describe, expect, it } from 'vitest';
import { parseForceConfig } from '../../bot/config/load-config.ts';
import { ManualClock } from '../../bot/domain/clock.ts';
import { eventually } from '../fakes/http.ts';
import { postToSlack } from '../fakes/slack-requests.ts';
import { botAddedToTeam, personalMessage, postActivity } from '../fakes/teams-activities.ts';
import { SLACK_CONTROL_ROOM, SLACK_ESCALATION_CHANNEL, SLACK_TEAM, TEAMS_ESCALATION_CHANNEL, TEAMS_TEAM, TENANT, USERS, slackUser, teamsUser, testConfig } from '../helpers/config.ts';
import { openTeamsForm, raiseInTeams, slashInSlack } from '../helpers/flows.ts';
import { INTAKE_SECRET, SIGNING_SECRET, startHarness, type Harness } from '../helpers/harness.ts';
import { raiseViaIntake } from '../helpers/intake.ts';
import { ensureBuilt, runBluedesk } from '../helpers/processes.ts';
import { textOf } from '../helpers/text.ts';

const DESK_PHONE = '0300 123 4567';

/** The test force, with a fallback to the desk supervisor, a desk phone and a bot admin. */
function deliveryConfig() {
  const base = testConfig();
  return parseForceConfig({ ...base, delivery: { fallback: { afterMinutes: 2, people: [USERS.desk.id] }, deskPhone: DESK_PHONE, admins: [USERS.infoman.id] } });
}

/** The Slack event the Events API sends when the bot is added to a channel. */
function botJoined(channel: string) {
  return JSON.stringify({
    token: 'unused', team_id: SLACK_TEAM, api_app_id: 'A0BLUEDESK', type: 'event_callback', event_id: `Ev${Date.now()}`, event_time: Math.floor(Date.now() / 1000),
    event: { type: 'member_joined_channel', user: 'U0BLUEDESK', channel, channel_type: 'C', team: SLACK_TEAM, event_ts: `${Date.now() / 1000}` },
  });
}

const THREAT = { category: 'threat_to_life', summary: 'Threat to a named PCSO' } as const;
const cardsTo = (h: Harness, conversationId: string, id: string) => h.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === conversationId && textOf(c.body).includes(id));

let h: Harness;
afterEach(async () => h?.stop());

describe('delivery that tells the truth', () => {
  it('a critical alert to places not reachable yet: the raiser is told it is waiting and to phone; it goes as each place becomes reachable', async () => {
    h = await startHarness({ config: deliveryConfig() });
    h.slack.notInChannel.add(SLACK_ESCALATION_CHANNEL);
    h.slack.notInChannel.add(SLACK_CONTROL_ROOM);
    // The raiser's own chat exists (they are talking to the bot), but the bot is in no channel yet.
    const { submit } = await openTeamsForm(h, teamsUser('north'), 'escalate https://x.com/z/status/9');
    await submit('content', { contentUrl: 'https://x.com/z/status/9', platform: 'X', ...THREAT, area: 'north' });
    const done = textOf(await submit('author', { authorIsVictimOrWitness: 'no' }));
    const id = done.match(/ESC-\d{5}/)![0];
    expect(done).not.toContain('✅');
    expect(done).toContain('Delivered: nowhere yet.');
    expect(done).toContain('Teams › Escalations (Bluedesk is not installed in that Teams channel yet; add the app to the team and it goes at once)');
    expect(done).toContain('#escalations (Bluedesk is not in that Slack channel yet; invite it with /invite @Bluedesk and it goes at once)');
    expect(done).toContain(`Phone the digital desk now on ${DESK_PHONE}`);

    // The channel is installed a minute later: the waiting alert goes at once, and says where it has not reached.
    await postActivity(h.url, botAddedToTeam(h.connector.url, TENANT, { id: TEAMS_TEAM, channelId: TEAMS_ESCALATION_CHANNEL }));
    const teamsCard = await eventually(() => cardsTo(h, TEAMS_ESCALATION_CHANNEL, id)[0], 5000, 'the Teams alert after the install');
    expect(textOf(teamsCard.body)).toMatch(/Routed to:\s+Bolder TextRun Teams › Escalations RichTextBlock/);
    expect(textOf(teamsCard.body)).toContain('Not delivered yet to #escalations');

    // The bot is added to the Slack channel: Slack says so, and that alert goes too; every copy then lists both.
    h.slack.notInChannel.delete(SLACK_ESCALATION_CHANNEL);
    expect((await postToSlack(h.url, botJoined(SLACK_ESCALATION_CHANNEL), { secret: SIGNING_SECRET, contentType: 'application/json' })).status).toBe(200);
    await eventually(() => h.slack.of('chat.postMessage').find((c) => c.args.channel === SLACK_ESCALATION_CHANNEL && textOf(c.args.blocks).includes(id) && c.result?.ok), 5000, 'the Slack alert after the join');
    await h.bot.idle();
    const latestTeams = h.connector.calls.filter((c) => c.conversationId === TEAMS_ESCALATION_CHANNEL && textOf(c.body).includes(id)).at(-1)!;
    expect(textOf(latestTeams.body)).toMatch(/Routed to:\s+Bolder TextRun Teams › Escalations, #escalations RichTextBlock/);
    expect(textOf(latestTeams.body)).toContain('Not delivered yet to #control-room');
    // Each place got the alert once.
    expect(cardsTo(h, TEAMS_ESCALATION_CHANNEL, id)).toHaveLength(1);
    expect(h.slack.of('chat.postMessage').filter((c) => c.args.channel === SLACK_ESCALATION_CHANNEL && textOf(c.args.blocks).includes(id) && c.result?.ok)).toHaveLength(1);
    expect((await h.decisions()).some((r) => r.action === 'escalation.delivery_fallback')).toBe(false);
  });

  it('sends a critical alert ahead of high ones already waiting for the same channel', async () => {
    h = await startHarness({ transportSpeed: 10 });
    const raise = async (key: string, category: string) => (await raiseViaIntake(h.url, INTAKE_SECRET, key, { contentUrl: `https://x.com/o/status/${key}`, platform: 'X', category, summary: key, area: 'north' })).json.id as string;
    // Slack takes about one post a second per channel (5 in any 5 s here): the sixth high alert has to wait, and the critical one with it.
    const high: string[] = [];
    for (let i = 0; i < 6; i++) high.push(await raise(`h${i}`, 'abuse_of_staff'));
    const critical = await raise('c', 'threat_to_life');
    await h.bot.idle();
    const order = h.slack.of('chat.postMessage').filter((c) => c.args.channel === SLACK_ESCALATION_CHANNEL).map((c) => JSON.stringify(c.args).match(/ESC-\d{5}/)![0]);
    expect(order.slice(0, 5)).toEqual(high.slice(0, 5));
    expect(order.indexOf(critical)).toBeLessThan(order.indexOf(high[5]!));
  }, 30_000);

  it('with no place reachable, the fallback fires at the configured time, is recorded, and is marked on the card', async () => {
    const clock = new ManualClock(new Date('2026-11-25T14:00:00Z'));
    h = await startHarness({ config: deliveryConfig(), clock });
    h.slack.notInChannel.add(SLACK_ESCALATION_CHANNEL);
    h.slack.notInChannel.add(SLACK_CONTROL_ROOM);
    await postActivity(h.url, personalMessage(h.connector.url, teamsUser('desk'), 'help'));
    const id = await raiseInTeams(h, teamsUser('north'), THREAT);
    await h.bot.idle();

    clock.advance(60_000);
    await h.bot.tick();
    expect((await h.decisions()).some((r) => r.action === 'escalation.delivery_fallback')).toBe(false);

    clock.advance(60_000);
    await h.bot.tick();
    await h.bot.idle();
    const fallback = (await h.decisions()).find((r) => r.action === 'escalation.delivery_fallback' && r.subject?.id === id);
    expect(fallback).toMatchObject({ actor: { personId: 'bluedesk' }, details: { people: [USERS.desk.id] } });
    expect(fallback!.reason).toContain('2 minutes');
    // The desk supervisor has it by Teams chat and Slack DM, marked as delivered by fallback.
    const byFallback = cardsTo(h, 'a:personal-aad-desk', id).at(-1)!;
    expect(textOf(byFallback.body)).toContain('Delivered by fallback');
    expect(h.slack.of('chat.postMessage').some((c) => c.args.channel === USERS.desk.slack && textOf(c.args.blocks).includes(id))).toBe(true);
    // The raiser is told plainly to phone.
    expect(h.connector.calls.some((c) => c.conversationId === 'a:personal-aad-north' && textOf(c.body).includes(`${id} has not reached anyone`) && textOf(c.body).includes(DESK_PHONE))).toBe(true);
    // Once is enough.
    clock.advance(5 * 60_000);
    await h.bot.tick();
    expect((await h.decisions()).filter((r) => r.action === 'escalation.delivery_fallback')).toHaveLength(1);
  });

  it('a permanent failure is dead-lettered, the bot admins are told, and /healthz shows it', async () => {
    h = await startHarness({ config: deliveryConfig(), installIn: [TEAMS_ESCALATION_CHANNEL] });
    h.connector.forbidden.add(TEAMS_ESCALATION_CHANNEL);
    const id = await raiseInTeams(h, teamsUser('desk'), { category: 'misinformation' });
    await h.bot.idle();
    // The detail is on the admin port: degraded, saying what was given up and why, in words; the public /healthz says only ok.
    const health = await (await fetch(`${h.bot.adminUrl}/healthz`)).json();
    expect(health).toMatchObject({ status: 'degraded', outbox: { deadLetters: 1, deadLettersLastHour: 1 } });
    expect(health.problems).toEqual([expect.stringMatching(/^1 message\(s\) could not be delivered in the last hour \(latest to Teams › Escalations: Teams refused: Bluedesk is not allowed to post there \(HTTP 403\)/)]);
    expect(await (await fetch(`${h.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const metrics = await (await fetch(`${h.bot.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(/^bluedesk_dead_letters_total\{platform="teams"\} 1$/m);
    expect(h.log.lines.find((l) => l.msg === 'delivery failed for good: dead-lettered')?.fields).toMatchObject({ subject: id, place: 'Teams › Escalations' });
    expect(h.slack.of('chat.postMessage').some((c) => c.args.channel === USERS.infoman.slack && textOf(c.args.blocks).includes('could not deliver') && textOf(c.args.blocks).includes(id))).toBe(true);
    // The Slack copy went; its card says where it could not go.
    const slackCopy = h.slack.of('chat.update').filter((c) => c.args.channel === SLACK_ESCALATION_CHANNEL && textOf(c.args.blocks).includes(id)).at(-1);
    expect(textOf(slackCopy?.args.blocks)).toContain('Could not be delivered to Teams › Escalations: Teams refused: Bluedesk is not allowed to post there (HTTP 403)');
    // The platform's own words are for the log, never the card.
    expect(textOf(slackCopy?.args.blocks)).not.toContain('slow down');
    expect(h.log.lines.find((l) => l.msg === 'delivery refused by the platform')?.fields).toMatchObject({ detail: 'HTTP 403: slow down' });
  });

  it('a personal chat Teams no longer knows (404) is forgotten and a new one opened; someone without the app gets it when they next write', async () => {
    h = await startHarness({ config: deliveryConfig(), installIn: [TEAMS_ESCALATION_CHANNEL] });
    const complaint = async (key: string) => raiseViaIntake(h.url, INTAKE_SECRET, key, { contentUrl: `https://x.com/c/status/${key}`, platform: 'X', category: 'complaint', summary: key, area: 'north' });
    const toJones = (conversationId: string, id: string) => h.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === conversationId && textOf(c.body).includes(id) && c.result?.id);
    // Jones had a personal chat with the bot, then removed and re-added the app: Teams no longer knows the old chat.
    await postActivity(h.url, personalMessage(h.connector.url, teamsUser('jones'), 'help'));
    h.connector.gone.add('a:personal-aad-jones');
    const first = (await complaint('c1')).json.id as string; // complaints go to command (Jones) by direct message
    await h.bot.idle();
    const created = h.connector.calls.find((c) => c.path === '/v3/conversations' && JSON.stringify(c.body.members).includes(USERS.jones.aad));
    expect(created).toBeDefined();
    expect(toJones(created!.result!.id, first)).toHaveLength(1);
    expect(Object.keys(await h.stored('teamsConversations'))).not.toContain('a:personal-aad-jones');
    expect(await h.stored('deadLetters')).toEqual({});

    // Now he removes the app altogether: Teams opens no chat with him (403), so his alert waits, and says why in words.
    h.connector.gone.add(created!.result!.id);
    h.connector.noApp.add(USERS.jones.aad);
    const second = await complaint('c2');
    await h.bot.idle();
    expect(Object.values(await h.stored('outbox')).filter((i) => i.label === second.json.id).map((i) => [i.platform, i.placeName, i.waiting])).toEqual([
      ['teams', 'Insp. Jones', 'Insp. Jones has not opened Bluedesk in Teams yet; they will get it when they do'],
    ]);
    expect(await h.stored('deadLetters')).toEqual({});
    // He adds the app back and writes to the bot in a new chat: the alert goes there at once.
    h.connector.noApp.delete(USERS.jones.aad);
    const fresh = personalMessage(h.connector.url, teamsUser('jones'), 'help');
    await postActivity(h.url, { ...fresh, conversation: { ...fresh.conversation, id: 'a:personal-aad-jones-again' } });
    await eventually(() => toJones('a:personal-aad-jones-again', second.json.id as string).length === 1, 5000, 'the waiting alert in the new chat');
  });

  it('a notice to the bot admins that fails too goes to the ops channel and is logged as an error, never dropped', async () => {
    const base = deliveryConfig();
    h = await startHarness({ config: parseForceConfig({ ...base, delivery: { ...base.delivery, opsChannel: 'control-room' } }), installIn: [TEAMS_ESCALATION_CHANNEL] });
    h.connector.forbidden.add(TEAMS_ESCALATION_CHANNEL);
    // The admin's Slack DM refuses too (and Teams waits for them to open the app): their notice of the dead letter is given up in turn.
    h.slack.refuse.set(USERS.infoman.slack, 'user_disabled');
    h.connector.noApp.add(USERS.infoman.aad);
    const id = await raiseInTeams(h, teamsUser('desk'), { category: 'misinformation' });
    await h.bot.idle();
    const ops = h.slack.of('chat.postMessage').filter((c) => c.args.channel === SLACK_CONTROL_ROOM && c.result?.ok).map((c) => textOf(c.args.blocks));
    expect(ops.some((t) => t.includes('could not deliver') && t.includes(id))).toBe(true);
    expect(h.log.lines.find((l) => l.msg === 'a notice to the bot admins could not be delivered either: read the dead-letter list')?.level).toBe('error');
  });

  it('npm run dead-letters lists the dead letters for a bot admin, and --replay sends them again once the place is fixed', async () => {
    h = await startHarness({ config: deliveryConfig(), installIn: [TEAMS_ESCALATION_CHANNEL] });
    h.connector.forbidden.add(TEAMS_ESCALATION_CHANNEL);
    const id = await raiseInTeams(h, teamsUser('desk'), { category: 'misinformation' });
    await h.bot.idle();
    await ensureBuilt();
    const cli = (args: string[]) => runBluedesk(['dead-letters', ...args], { DATA_DIR: h.dataDir });
    const refused = await cli(['--as', USERS.desk.id]);
    expect(refused.stderr).toContain('Only the bot admins');
    const listed = await cli(['--as', USERS.infoman.id]);
    expect(listed.stdout).toMatch(new RegExp(`^(OUT-\\d+) .* post ${id} to Teams › Escalations \\(teams\\)`, 'm'));
    const item = listed.stdout.match(/^OUT-\d+/m)![0];
    // The permission is restored; the admin replays it, and it is delivered.
    h.connector.forbidden.delete(TEAMS_ESCALATION_CHANNEL);
    const replayed = await cli(['--as', USERS.infoman.id, '--replay', item]);
    expect(replayed.stderr).toContain(`1 item(s) back in the outbox: ${item}. They are being sent now.`);
    await h.bot.idle();
    expect(h.connector.calls.some((c) => c.conversationId === TEAMS_ESCALATION_CHANNEL && c.method === 'POST' && textOf(c.body).includes(id) && c.result?.id)).toBe(true);
    expect(((await (await fetch(`${h.bot.adminUrl}/healthz`)).json()) as { outbox: { deadLetters: number } }).outbox.deadLetters).toBe(0);
    expect((await h.decisions()).filter((r) => r.action.startsWith('delivery.')).map((r) => [r.action, r.outcome, r.actor?.personId])).toEqual([
      ['delivery.dead_letters', 'refused', USERS.desk.id], ['delivery.dead_letters_replayed', 'done', USERS.infoman.id],
    ]);
  });

  it('honours Slack’s Retry-After on a 429, and retries a service outage until it recovers', async () => {
    // Transport time runs ten times faster: the outbox waits out Retry-After on it, as it would on real time.
    h = await startHarness({ installIn: [TEAMS_ESCALATION_CHANNEL], transportSpeed: 10 });
    h.slack.failNext.push({ status: 429, retryAfter: '1', method: 'chat.postMessage' });
    const id = await raiseInTeams(h, teamsUser('desk'), { category: 'misinformation' });
    await h.bot.idle();
    const tries = h.slack.of('chat.postMessage').filter((c) => c.args.channel === SLACK_ESCALATION_CHANNEL && textOf(c.args.blocks).includes(id));
    expect(tries.map((c) => c.result?.ok ?? c.result?.http)).toEqual([429, true]);
    expect(h.transport!.at(tries[1]!.at) - h.transport!.at(tries[0]!.at)).toBeGreaterThanOrEqual(950);

    h.connector.state.down = true;
    const second = await raiseInTeams(h, teamsUser('desk'), { category: 'misinformation' });
    await eventually(() => h.log.lines.find((l) => l.msg === 'delivery failed, will retry' && l.fields?.subject === second), 5000, 'a retry');
    h.connector.state.down = false;
    await h.bot.idle();
    expect(cardsTo(h, TEAMS_ESCALATION_CHANNEL, second)).toHaveLength(1);
  });

  it('paces a burst to one Teams channel within its published limits (7 a second, 8 in 2 seconds)', async () => {
    h = await startHarness({ installIn: [TEAMS_ESCALATION_CHANNEL], transportSpeed: 10 });
    const raised = await Promise.all(Array.from({ length: 12 }, (_, i) => raiseViaIntake(h.url, INTAKE_SECRET, `burst-${i}`, {
      contentUrl: `https://x.com/b/status/${i}`, platform: 'X', category: 'misinformation', summary: `burst ${i}`, area: 'north',
    })));
    expect(raised.map((r) => r.status)).toEqual(Array(12).fill(201));
    await h.bot.idle();
    // Arrival times on the transport clock the pacing ran on.
    const times = h.connector.calls.filter((c) => c.conversationId === TEAMS_ESCALATION_CHANNEL).map((c) => h.transport!.at(c.at)).sort((a, b) => a - b);
    expect(times.length).toBeGreaterThanOrEqual(12);
    const most = (ms: number) => Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + ms).length));
    expect(most(1000)).toBeLessThanOrEqual(7);
    expect(most(2000)).toBeLessThanOrEqual(8);
    for (const r of raised) expect(cardsTo(h, TEAMS_ESCALATION_CHANNEL, r.json.id)).toHaveLength(1);
  });

  it('/routes shows each route’s places and whether each is reachable; others are refused and recorded', async () => {
    h = await startHarness({ installIn: [TEAMS_ESCALATION_CHANNEL] });
    h.slack.notInChannel.add(SLACK_CONTROL_ROOM);
    const card = textOf(await slashInSlack(h, slackUser('desk'), '/routes'));
    expect(card).toContain("routing rule 'Threat to life'");
    expect(card).toContain('✅ Teams › Escalations (Teams)');
    expect(card).toContain('❌ #control-room (Slack): Bluedesk is not in that Slack channel yet');
    expect(card).toContain('❌ Teams › Comms approvals (Teams): Bluedesk is not installed in that Teams channel yet');
    const refused = textOf(await slashInSlack(h, slackUser('north'), '/routes'));
    expect(refused).toContain('Not permitted');
    expect((await h.decisions()).at(-1)).toMatchObject({ action: 'routes.view', outcome: 'refused' });
  });

  it('starts at once and serves Teams when Slack cannot be reached, and says so in health and logs', async () => {
    const started = Date.now();
    h = await startHarness({ env: { SLACK_API_URL: 'http://127.0.0.1:9/api/' } });
    expect(Date.now() - started).toBeLessThan(3000);
    const res = await postActivity(h.url, personalMessage(h.connector.url, teamsUser('desk'), 'help'));
    expect(res.status).toBe(200);
    const health = await eventually(async () => {
      const body = await (await fetch(`${h.bot.adminUrl}/healthz`)).json();
      return body.slack.state === 'unreachable' && body;
    }, 5000, 'slack unreachable in health');
    expect(health.slack.error).toMatch(/Slack/);
    expect(health.status).toBe('degraded');
    // Slack being down never takes this instance out of service: Teams and the intake API still need it.
    const ready = await fetch(`${h.bot.adminUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', failing: [] });
    expect(await (await fetch(`${h.bot.adminUrl}/metrics`)).text()).toMatch(/^bluedesk_slack_reachable 0$/m);
    expect(h.log.lines.some((l) => l.level === 'warn' && l.msg.startsWith('Slack is unreachable'))).toBe(true);
  });
});

describe('the start-up route check', () => {
  it('warns once, summing up, then logs each route problem and each unreachable place once, naming the routes it affects', async () => {
    h = await startHarness({ env: { SLACK_SIGNING_SECRET: '', SLACK_BOT_TOKEN: '' } });
    const summary = await eventually(() => h.log.lines.find((l) => l.msg.startsWith('route check: ') && l.level === 'warn'), 5000, 'the summary');
    expect(summary.msg).toMatch(/^route check: 1 route problem\(s\), \d+ place\(s\) Bluedesk cannot reach yet \(messages for them wait until it can\), \d+ place\(s\) on a platform that is off; each is logged below, and \/routes shows them in chat$/);
    expect(h.log.lines.filter((l) => l.msg.startsWith('route check: ') && l.level === 'warn')).toHaveLength(1);
    const warning = await eventually(() => h.log.lines.find((l) => l.msg === "route check: routing group 'control-room' has only Slack channels, and Slack is off"), 5000, 'the route warning');
    expect(warning.fields?.routes).toEqual(["routing rule 'Threat to life'", 'out-of-hours route']);
    expect(h.log.lines.filter((l) => l.msg === "route check: routing group 'control-room' has only Slack channels, and Slack is off")).toHaveLength(1);
    expect(h.log.lines.find((l) => l.msg === 'route check: cannot reach Teams › Escalations (Teams): Bluedesk is not installed in that Teams channel yet')).toBeDefined();
    expect(h.log.lines.some((l) => /^route check: Slack is off, so \d+ configured places on it will not be used$/.test(l.msg))).toBe(true);
  });
});
