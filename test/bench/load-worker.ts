/**
 * The load generator on a thread of its own, so on a two-core machine the
 * server under test has a core to itself and the figures are the server's.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { slackSignature, slashCommand } from '../fakes/slack-requests.ts';
import { personalMessage } from '../fakes/teams-activities.ts';
import { slackUser, teamsUser } from '../helpers/config.ts';
import { INTAKE_SECRET, SIGNING_SECRET } from '../helpers/harness.ts';
import { intakeHeaders } from '../helpers/intake.ts';
import { closedLoop, openLoop, type LoadRequest } from './load.ts';

/** What to send: which request, where, and how. */
export interface LoadJob {
  url: string;
  request: 'slack-escalate' | 'teams-escalate' | 'intake-raise';
  /** Where Teams replies go (the activity's serviceUrl). */
  serviceUrl?: string;
  mode: 'closed' | 'open';
  seconds: number;
}

const job = workerData as LoadJob;

/** A signed `/escalate` from the desk, as Slack sends it, freshly timestamped. */
function slackEscalate(i: number): LoadRequest {
  const body = slashCommand(slackUser('desk'), '/escalate', `https://x.com/a/status/${i} threatening replies`);
  const ts = Math.floor(Date.now() / 1000);
  return { path: '/slack/events', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': slackSignature(SIGNING_SECRET, ts, body) } };
}

/** `escalate <url>` in the desk's personal chat, as Teams sends it. */
const teamsEscalate = (i: number): LoadRequest => ({
  path: '/api/messages', headers: { 'content-type': 'application/json' },
  body: JSON.stringify(personalMessage(job.serviceUrl!, teamsUser('desk'), `escalate https://x.com/a/status/${i}`, { id: `load-${i}-${Math.random()}` })),
});

/** A signed raise through the intake API, each with its own idempotency key. */
const tag = Math.random().toString(36).slice(2);
function intakeRaise(i: number): LoadRequest {
  const body = JSON.stringify({ contentUrl: `https://x.com/i/status/${i}`, platform: 'X', category: 'misinformation', summary: 'load', area: 'north' });
  return { path: '/api/v1/escalations', body, headers: intakeHeaders(INTAKE_SECRET, `load-${tag}-${i}`, body) };
}

const make = { 'slack-escalate': slackEscalate, 'teams-escalate': teamsEscalate, 'intake-raise': intakeRaise }[job.request];
// Loaded and ready: the load starts when told, so starting a thread (tsx compiling these modules) is not measured
// and several loads start together.
parentPort!.postMessage('ready');
await new Promise((resolve) => parentPort!.once('message', resolve));
const result = job.mode === 'closed' ? await closedLoop(job.url, make, 10, job.seconds) : await openLoop(job.url, make, 50, job.seconds);
parentPort!.postMessage(result);
