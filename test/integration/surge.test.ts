import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../bot/domain/clock.ts';
import { eventually } from '../fakes/http.ts';
import { SLACK_ESCALATION_CHANNEL, TEAMS_ESCALATION_CHANNEL, USERS, slackUser, teamsUser } from '../helpers/config.ts';
import { clickInSlack, clickInTeams, slashInSlack } from '../helpers/flows.ts';
import { INTAKE_SECRET, startHarness, type Harness } from '../helpers/harness.ts';
import { raiseViaIntake } from '../helpers/intake.ts';
import { leaverInTeams, modalInSlack, submitSlackStep } from '../helpers/leavers.ts';

let h: Harness;
afterEach(async () => h?.stop());

const text = (x: unknown) => JSON.stringify(x);
const CASTLE = { what: { trigger: 'major_incident', level: '2', incidentName: 'Operation Castle', incidentRef: 'MI-2026-11' }, scope: { expectedDuration: '6 hours', inChargeId: 'insp.jones' } };
const raise = (key: string, category: string, summary = `surge ${key}`) => raiseViaIntake(h.url, INTAKE_SECRET, key, { contentUrl: `https://x.com/s/status/${key}`, platform: 'X', category, summary, area: 'north' });
const channelPosts = (containing: string) => h.slack.of('chat.postMessage').filter((c) => c.args.channel === SLACK_ESCALATION_CHANNEL && text(c.args).includes(containing));

describe('a surge, from activation to stand-down', () => {
  it('says only what is true on activation: with Slack off, the alert goes to the surge channels on Teams alone', async () => {
    h = await startHarness({ installIn: [TEAMS_ESCALATION_CHANNEL], env: { SLACK_SIGNING_SECRET: '', SLACK_BOT_TOKEN: '' } });
    const done = text(await leaverInTeams(h, teamsUser('comms'), CASTLE as never, 'surge'));
    expect(done).toContain('Surge SRG-00001 activated at level 2');
    expect(done).toContain('on Teams; its card says where it has arrived');
    expect(done).not.toContain('Slack');
  });

  it('stands the force up, keeps people informed, and stands it down with a summary and a chart', async () => {
    const clock = new ManualClock(new Date('2026-11-25T14:00:00Z'));
    h = await startHarness({ clock, installIn: [TEAMS_ESCALATION_CHANNEL], env: { PUBLIC_URL: 'https://bluedesk.test.police.uk' } });
    // Only comms, the desk leads and command may activate; the refusal is recorded.
    expect(text(await slashInSlack(h, slackUser('north'), '/surge'))).toContain('Not permitted');
    expect((await h.decisions()).filter((r) => r.action === 'surge.activate' && r.outcome === 'refused')).toHaveLength(1);

    const done = await modalInSlack(h, slackUser('comms'), '/surge', '', CASTLE);
    expect(text(done)).toContain('Surge SRG-00001 activated at level 2');
    expect(text(done)).toContain('The surge alert is being sent to the surge channels on Teams and Slack; its card says where it has arrived.');
    const activated = (await h.decisions()).find((r) => r.action === 'surge.activated')!;
    // The playbook's actions for a level-2 major incident were pre-selected.
    expect((activated.details as { tasks: string[] }).tasks).toEqual(['Extend digital desk cover', 'Call in the surge rota', 'Pause scheduled posts on the affected accounts', 'Apply stricter moderation', 'Approve a holding statement', 'Put updates on the force website']);
    await h.bot.idle();
    // The alert went to the surge channel on both platforms, and to each rota member by direct message.
    expect(channelPosts('SURGE · level 2')).toHaveLength(1);
    expect(h.connector.calls.some((c) => c.method === 'POST' && c.conversationId === TEAMS_ESCALATION_CHANNEL && text(c.body).includes('SURGE · level 2'))).toBe(true);
    for (const k of ['desk', 'north'] as const) expect(h.slack.of('chat.postMessage').some((c) => c.args.channel === USERS[k].slack && text(c.args).includes('SRG-00001'))).toBe(true);

    // A second activation for the same incident is pointed at the first.
    const twice = await modalInSlack(h, slackUser('jones'), '/surge', '', CASTLE);
    expect(text(twice)).toContain('SRG-00001 is active for this incident at level 2');

    // The rota answers on the card; the tally updates every copy in place.
    await clickInSlack(h, slackUser('desk'), 'surge.available_now', 'SRG-00001', USERS.desk.slack);
    const fromForm = await (await clickInSlack(h, slackUser('north'), 'surge.available_from', 'SRG-00001', USERS.north.slack)).modal();
    expect(text(await submitSlackStep(h, slackUser('north'), fromForm, { from: '1830' }))).toContain('Give the time as HH:MM');
    await submitSlackStep(h, slackUser('north'), fromForm, { from: '18:30' });
    // Someone not on the rota cannot answer for it.
    await clickInSlack(h, slackUser('comms'), 'surge.available_now', 'SRG-00001', SLACK_ESCALATION_CHANNEL);
    await h.bot.idle();
    const tally = await eventually(() => h.slack.of('chat.update').filter((c) => c.args.channel === SLACK_ESCALATION_CHANNEL && text(c.args).includes('Available from 18:30')).at(-1), 3000, 'tally');
    expect(text(tally.args)).toContain('Surge rota: 2 coming, 0 not answered');
    expect((await h.decisions()).filter((r) => r.action === 'surge.respond' && r.outcome === 'refused').map((r) => r.actor!.personId)).toEqual(['cara.comms']);

    // While it is active: a medium escalation goes into the digest, a critical one is posted on its own with the surge banner and surge SLAs.
    const mediumAnswer = (await raise('m1', 'misinformation')).json;
    const criticalAnswer = (await raise('c1', 'threat_to_life')).json;
    // The tool is told the truth: the medium one is in the digest, not posted on its own.
    expect([mediumAnswer.digest, mediumAnswer.delivery.sending]).toEqual(['SRG-00001', []]);
    expect(criticalAnswer.digest).toBeUndefined();
    const medium = mediumAnswer.id as string;
    const critical = criticalAnswer.id as string;
    await h.bot.idle();
    expect(channelPosts(medium)).toEqual([]);
    expect(text(channelPosts(critical)[0]!.args)).toContain('SURGE: raised during surge SRG-00001 (level 2)');
    const timers = (await h.stored('timers'));
    expect(timers[`${critical}:acknowledge`].dueAt).toBe('2026-11-25T14:03:00.000Z'); // the surge profile: 3 minutes, not 5
    await h.bot.tick();
    await h.bot.idle();
    const digest = channelPosts('Surge digest');
    expect(digest).toHaveLength(1);
    expect(text(digest[0]!.args)).toContain(medium);

    // The level goes up, recorded and announced on the card; an action is ticked in Teams.
    const levelForm = await (await clickInSlack(h, slackUser('jones'), 'surge.level', 'SRG-00001', SLACK_ESCALATION_CHANNEL)).modal();
    await submitSlackStep(h, slackUser('jones'), levelForm, { level: '3', reason: 'Second scene' });
    const ticked = await clickInTeams(h, teamsUser('comms'), TEAMS_ESCALATION_CHANNEL, 'surge.task', { subjectId: 'SRG-00001:a1' });
    expect(text(ticked)).toContain('Done by Cara Comms');
    expect((await h.decisions()).filter((r) => r.action === 'surge.level_raised').map((r) => r.details)).toEqual([{ from: 2, to: 3 }]);
    const status = text(await slashInSlack(h, slackUser('north'), '/surge', 'status'));
    expect(status).toContain('SRG-00001 · level 3 · Operation Castle');
    expect(status).toContain('Escalations since activation: 2 raised, 0 acknowledged, 2 open and unacknowledged');
    expect(text(await slashInSlack(h, slackUser('desk'), '/continuity'))).toContain('Tell the contact centre');

    // The critical one is acknowledged from its card two minutes in; the digested one from /escalations.
    clock.set(new Date('2026-11-25T14:02:00Z'));
    await clickInSlack(h, slackUser('jones'), 'escalation.acknowledge', critical);
    const list = await slashInSlack(h, slackUser('desk'), '/escalations');
    const ackButton = list.blocks.find((b: any) => b.accessory?.value === medium)?.accessory;
    expect(ackButton).toMatchObject({ action_id: 'escalation.acknowledge', value: medium });
    clock.set(new Date('2026-11-25T14:06:00Z'));
    await clickInSlack(h, slackUser('desk'), 'escalation.acknowledge', medium, SLACK_ESCALATION_CHANNEL);
    // Stand-down: a debrief, then the summary with its chart, kept by its hash.
    clock.set(new Date('2026-11-25T15:10:00Z'));
    const downForm = await (await clickInSlack(h, slackUser('comms'), 'surge.stand_down', 'SRG-00001', SLACK_ESCALATION_CHANNEL)).modal();
    await submitSlackStep(h, slackUser('comms'), downForm, { debrief: 'Rota came in fast; holding statement took too long' });
    await h.bot.idle();
    const down = (await h.decisions()).find((r) => r.action === 'surge.stood_down')!;
    // The chart is drawn after the answer, and its hash recorded on its own.
    const kept = (await h.decisions()).filter((r) => r.action === 'surge.chart_kept');
    expect(kept).toHaveLength(1);
    const sha = (kept[0]!.details as { sha256: string }).sha256;
    expect(down.details).toMatchObject({ raised: 2, peakLevel: 3, bySeverity: { critical: 1, high: 0, medium: 1, low: 0 }, minutes: 70 });
    const png = await readFile(join(h.dataDir, 'charts', `${sha}.png`));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // Laid out for the width cards show it (480 px, type 12–15 px there), drawn at twice that for sharp screens.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([960, 540]);
    const served = await fetch(`${h.url}/surge-charts/${sha}.png`);
    expect([served.status, served.headers.get('content-type')]).toEqual([200, 'image/png']);
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
    expect((await fetch(`${h.url}/surge-charts/${'0'.repeat(64)}.png`)).status).toBe(404);
    const summary = channelPosts('Surge summary')[0]!;
    expect(text(summary.args)).toContain('median 4 min, worst 6 min (2 of 2 acknowledged)');
    // Slack: the chart is uploaded as a file and shown from it, so Slack never has to reach Bluedesk.
    const [fileId, uploaded] = [...h.slack.uploads].find(([, u]) => u.completed)!;
    expect(uploaded.bytes!.equals(png)).toBe(true);
    expect(uploaded.alt).toMatch(/^Chart of escalations per 15 minutes during Operation Castle/);
    expect((summary.args.blocks as Array<Record<string, unknown>>).find((b) => b.type === 'image')).toMatchObject({ slack_file: { id: fileId } });
    expect(h.slack.uploads.size).toBe(1); // once, for every channel and person
    // Teams: the small chart travels inside the card (no public address needed), which stays within Teams' 28 KB.
    const teamsSummary = h.connector.calls.find((c) => c.conversationId === TEAMS_ESCALATION_CHANNEL && text(c.body).includes('Surge summary'))!;
    const image = JSON.stringify(teamsSummary.body).match(/"url":"data:image\/png;base64,([A-Za-z0-9+/=]+)"/)![1]!;
    const small = Buffer.from(image, 'base64');
    expect([small.readUInt32BE(16), small.readUInt32BE(20)]).toEqual([480, 270]);
    expect(Buffer.byteLength(JSON.stringify(teamsSummary.body))).toBeLessThanOrEqual(28 * 1024);
    expect(existsSync(join(h.dataDir, 'charts'))).toBe(true);
    // Its history reads as words, never as the log's action codes.
    const history = text(await slashInSlack(h, slackUser('jones'), '/decisions', 'SRG-00001'));
    expect(history).toContain('Cara Comms activated the surge');
    expect(history).toContain('Bluedesk (timers) kept the summary chart');
    expect(history).toContain('Cara Comms was refused: answer a surge call-out');
    expect(history).not.toMatch(/surge\.[a-z_]+/);
  }, 60_000);
});

describe('the stand-down chart where a platform cannot take it', () => {
  it('Slack without files:write and no public address: the summary says where the chart is kept; Teams still shows it inside the card', async () => {
    h = await startHarness({ installIn: [TEAMS_ESCALATION_CHANNEL] });
    h.slack.failNext.push({ method: 'files.getUploadURLExternal', error: 'missing_scope' });
    await modalInSlack(h, slackUser('comms'), '/surge', '', CASTLE);
    const down = text(await modalInSlack(h, slackUser('comms'), '/surge', 'stand-down', { debrief: { debrief: 'Short one' } }));
    expect(down).toContain('The summary is being drawn and sent to the surge channels and the person in charge');
    await eventually(() => channelPosts('Surge summary')[0], 20_000, 'the summary');
    await h.bot.idle();
    const slackSummary = text(channelPosts('Surge summary')[0]!.args);
    expect(slackSummary).not.toContain('"type":"image"');
    expect(slackSummary).toContain('kept with the record (SHA-256');
    const teams = h.connector.calls.find((c) => c.conversationId === TEAMS_ESCALATION_CHANNEL && text(c.body).includes('Surge summary'))!;
    expect(text(teams.body)).toContain('data:image/png;base64,');
    expect(text(teams.body)).not.toContain('kept with the record');
  }, 30_000);
});

describe('the surge rota on the timer', () => {
  it('reminds those who have not answered after N minutes, and calls the backup list after M, once each, across a restart', async () => {
    const clock = new ManualClock(new Date('2026-11-25T14:00:00Z'));
    h = await startHarness({ clock });
    await modalInSlack(h, slackUser('jones'), '/surge', '', { what: { trigger: 'platform_outage', level: '1', incidentName: 'X is down', incidentRef: '' }, scope: { expectedDuration: 'until X is back', inChargeId: 'cara.comms' } });
    await h.bot.idle();
    // An outage shows the continuity plan as steps to tick.
    const card = h.slack.of('chat.postMessage').find((c) => c.args.channel === SLACK_ESCALATION_CHANNEL)!;
    expect(text(card.args)).toContain('Continuity plan');
    expect(text(card.args)).toContain('Tell the contact centre');
    const fire = async (at: string) => {
      clock.set(new Date(at));
      await h.bot.tick();
      await h.bot.idle();
    };
    const reminders = () => h.slack.of('chat.postMessage').filter((c) => text(c.args).includes('Surge SRG-00001: can you come in?')).map((c) => c.args.channel);
    await fire('2026-11-25T14:09:00Z');
    expect(reminders()).toEqual([]);
    await clickInSlack(h, slackUser('desk'), 'surge.available_now', 'SRG-00001', USERS.desk.slack);
    await fire('2026-11-25T14:10:00Z');
    expect(reminders()).toEqual([USERS.north.slack]);
    await h.restart();
    await fire('2026-11-25T14:15:00Z');
    expect(reminders()).toEqual([USERS.north.slack]);
    await fire('2026-11-25T14:20:00Z');
    const backup = (await h.decisions()).filter((r) => r.action === 'surge.backup_called');
    expect(backup.map((r) => r.details)).toEqual([{ notAnswered: ['pc.north'], called: ['ian.im'] }]);
    expect(h.slack.of('chat.postMessage').some((c) => c.args.channel === USERS.infoman.slack && text(c.args).includes('SRG-00001'))).toBe(true);
    // The backup can now answer on the card.
    await clickInSlack(h, slackUser('infoman'), 'surge.available_now', 'SRG-00001', USERS.infoman.slack);
    expect((await h.decisions()).filter((r) => r.action === 'surge.answered').map((r) => r.actor!.personId)).toEqual(['dana.desk', 'ian.im']);
    await fire('2026-11-25T14:40:00Z');
    expect((await h.decisions()).filter((r) => r.action === 'surge.backup_called' || r.action === 'surge.reminded')).toHaveLength(2);
  });
});
