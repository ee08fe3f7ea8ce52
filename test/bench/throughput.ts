/**
 * `npm run bench throughput`: the real `/escalate` path under concurrent
 * load, side by side in one run with a bare Bolt app and a bare botbuilder
 * bot given the same requests (the baselines do the platform work only: a
 * modal opened, a card sent). Closed loop at 10 connections for throughput;
 * open loop at 50 requests/s for p99.
 */
import type { AddressInfo } from 'node:net';
import bolt from '@slack/bolt';
import { startBareBotbuilder } from '../../adapters/teams/baseline.ts';
import { systemClock } from '../../bot/domain/clock.ts';
import { slackSignature, slashCommand } from '../fakes/slack-requests.ts';
import { personalMessage } from '../fakes/teams-activities.ts';
import { startFakeConnector } from '../fakes/teams-connector.ts';
import { startFakeSlackApi } from '../fakes/slack-api.ts';
import { SLACK_TEAM, slackUser, teamsUser } from '../helpers/config.ts';
import { BOT_TOKEN, SIGNING_SECRET, startHarness } from '../helpers/harness.ts';
import { closedLoop, openLoop, type LoadRequest, type LoadResult } from './load.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

/** A signed `/escalate` from the desk, as Slack sends it, freshly timestamped. */
function slackEscalate(i: number): LoadRequest {
  const body = slashCommand(slackUser('desk'), '/escalate', `https://x.com/a/status/${i} threatening replies`);
  const ts = Math.floor(Date.now() / 1000);
  return { path: '/slack/events', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': slackSignature(SIGNING_SECRET, ts, body) } };
}

/** `escalate <url>` in the desk's personal chat, as Teams sends it. */
const teamsEscalate = (serviceUrl: string) => (i: number): LoadRequest => ({
  path: '/api/messages', headers: { 'content-type': 'application/json' },
  body: JSON.stringify(personalMessage(serviceUrl, teamsUser('desk'), `escalate https://x.com/a/status/${i}`, { id: `bench-${i}-${Math.random()}` })),
});

/** Bolt with nothing of Bluedesk's: acknowledges `/escalate` and opens a modal, on its own HTTP receiver. */
async function startBareBolt(slackApiUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const app = new bolt.App({ token: BOT_TOKEN, signingSecret: SIGNING_SECRET, clientOptions: { slackApiUrl, retryConfig: { retries: 0 } }, logLevel: bolt.LogLevel.ERROR });
  app.command('/escalate', async ({ ack, client, body }) => {
    await ack();
    await client.views.open({ trigger_id: body.trigger_id, view: { type: 'modal', callback_id: 'escalate', title: { type: 'plain_text', text: 'Escalate' }, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: body.text } }] } });
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as { address(): AddressInfo };
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => app.stop() as Promise<void> };
}

/** Runs both loads against one server. */
async function measure(url: string, make: (i: number) => LoadRequest): Promise<{ closed: LoadResult; open: LoadResult }> {
  await closedLoop(url, make, 10, 1); // warm-up
  const closed = await closedLoop(url, make, 10, SECONDS);
  const open = await openLoop(url, make, 50, SECONDS);
  return { closed, open };
}

export async function throughput(rows: string[][]): Promise<void> {
  const connector = await startFakeConnector();
  const slack = await startFakeSlackApi({ teamId: SLACK_TEAM });
  const h = await startHarness({ clock: systemClock });
  const bareBolt = await startBareBolt(slack.url);
  const bareBot = await startBareBotbuilder();
  const fmt = (r: LoadResult) => `${r.rps.toFixed(0)}/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms${r.failures ? `, ${r.failures} failed` : ''}`;
  const pairs = [
    ['Slack /escalate', await measure(bareBolt.url, slackEscalate), await measure(h.url, slackEscalate)],
    ['Teams "escalate <url>"', await measure(bareBot.url, teamsEscalate(connector.url)), await measure(h.url, teamsEscalate(h.connector.url))],
  ] as const;
  for (const [what, bare, real] of pairs) {
    rows.push([`${what}: bare framework, 10 connections`, String(bare.closed.requests), `${bare.closed.rps.toFixed(0)}/s`, bare.closed.p50.toFixed(1), '', bare.closed.p99.toFixed(1), fmt(bare.closed)]);
    rows.push([`${what}: Bluedesk (lowdb), 10 connections`, String(real.closed.requests), `${real.closed.rps.toFixed(0)}/s`, real.closed.p50.toFixed(1), '', real.closed.p99.toFixed(1), `${(real.closed.rps / bare.closed.rps).toFixed(2)}× bare`]);
    rows.push([`${what}: bare framework, 50 req/s`, String(bare.open.requests), '', bare.open.p50.toFixed(1), '', bare.open.p99.toFixed(1), fmt(bare.open)]);
    rows.push([`${what}: Bluedesk (lowdb), 50 req/s`, String(real.open.requests), '', real.open.p50.toFixed(1), '', real.open.p99.toFixed(1), fmt(real.open)]);
  }
  await bareBolt.close();
  await bareBot.close();
  await h.stop();
  await connector.close();
  await slack.close();
}
