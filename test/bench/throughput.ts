/**
 * `npm run bench throughput`: the real `/escalate` path under concurrent
 * load, side by side in one run with a bare Bolt app and a bare botbuilder
 * bot given the same requests (the baselines do the platform work only: a
 * modal opened, a card sent). Closed loop at 10 connections for throughput,
 * in rounds taking turns with the bare framework (the ratio is the median
 * round's); open loop at 50 requests/s for p99. The load comes from a worker thread;
 * the servers and the platform fakes share the main thread, as they do in
 * the tests.
 */
import type { AddressInfo } from 'node:net';
import bolt from '@slack/bolt';
import { startBareBotbuilder } from '../../adapters/teams/baseline.ts';
import { systemClock } from '../../bot/domain/clock.ts';
import { Worker } from 'node:worker_threads';
import { startFakeConnector } from '../fakes/teams-connector.ts';
import { startFakeSlackApi } from '../fakes/slack-api.ts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SLACK_TEAM, testConfig } from '../helpers/config.ts';
import { freshSchema } from '../helpers/postgres.ts';
import { postgresCpuSeconds, scrape, startBot, type BotProcess } from './bot-process.ts';
import { BOT_TOKEN, INTAKE_SECRET, SIGNING_SECRET, startHarness } from '../helpers/harness.ts';
import type { LoadResult } from './load.ts';
import type { LoadJob } from './load-worker.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

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

/** A load on a worker thread of its own (see load-worker.ts), loaded and waiting for `run`. */
interface ReadyLoad {
  run(): Promise<LoadResult>;
}

function prepareLoad(job: LoadJob): Promise<ReadyLoad> {
  return new Promise((ready, reject) => {
    // Worker threads do not inherit tsx's loader on Node 20, so the worker registers it before loading the TypeScript file.
    const script = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./load-worker.ts', import.meta.url).href)}); })`;
    const worker = new Worker(script, { eval: true, workerData: job });
    worker.once('error', reject);
    worker.once('message', () => ready({
      run: () => new Promise((resolve, failed) => {
        worker.once('message', (r: LoadResult) => resolve(r));
        worker.once('error', failed);
        worker.postMessage('go');
      }),
    }));
  });
}

/** Runs one load from a worker thread, timed from when the thread is ready. */
async function load(job: LoadJob): Promise<LoadResult> {
  return (await prepareLoad(job)).run();
}

/** Several loads at once, started together once every thread is ready. */
async function loadTogether(jobs: LoadJob[]): Promise<LoadResult[]> {
  const ready = await Promise.all(jobs.map(prepareLoad));
  return Promise.all(ready.map((l) => l.run()));
}

/** Rounds of the closed loop, bare and Bluedesk taking turns, so a neighbour's load on a shared machine falls on both. */
const ROUNDS = 3;

/** One platform's comparison: warm-ups, then ROUNDS closed loops each way in turn, then the open loop each way. */
async function compare(bare: Omit<LoadJob, 'mode' | 'seconds'>, real: Omit<LoadJob, 'mode' | 'seconds'>) {
  for (const job of [bare, real]) await load({ ...job, mode: 'closed', seconds: 1 });
  const rounds: Array<{ bare: LoadResult; real: LoadResult }> = [];
  for (let i = 0; i < ROUNDS; i++) {
    const b = await load({ ...bare, mode: 'closed', seconds: SECONDS / 2 });
    rounds.push({ bare: b, real: await load({ ...real, mode: 'closed', seconds: SECONDS / 2 }) });
  }
  const open = { bare: await load({ ...bare, mode: 'open', seconds: SECONDS }), real: await load({ ...real, mode: 'open', seconds: SECONDS }) };
  const ratios = rounds.map((r) => r.real.rps / r.bare.rps);
  const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
  return { rounds, open, ratios, median };
}

export async function throughput(rows: string[][]): Promise<void> {
  const connector = await startFakeConnector();
  const slack = await startFakeSlackApi({ teamId: SLACK_TEAM });
  const h = await startHarness({ clock: systemClock });
  const bareBolt = await startBareBolt(slack.url);
  const bareBot = await startBareBotbuilder();
  const fmt = (r: LoadResult) => `${r.rps.toFixed(0)}/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms${r.failures ? `, ${r.failures} failed` : ''}`;
  const pairs = [
    ['Slack /escalate', await compare({ url: bareBolt.url, request: 'slack-escalate' }, { url: h.url, request: 'slack-escalate' })],
    ['Teams "escalate <url>"', await compare({ url: bareBot.url, request: 'teams-escalate', serviceUrl: connector.url }, { url: h.url, request: 'teams-escalate', serviceUrl: h.connector.url })],
  ] as const;
  for (const [what, c] of pairs) {
    const sum = (pick: (r: { bare: LoadResult; real: LoadResult }) => LoadResult) => {
      const all = c.rounds.map(pick);
      return { requests: all.reduce((n, r) => n + r.requests, 0), rps: all.reduce((n, r) => n + r.rps, 0) / all.length, p50: Math.max(...all.map((r) => r.p50)), p99: Math.max(...all.map((r) => r.p99)) };
    };
    const [bare, real] = [sum((r) => r.bare), sum((r) => r.real)];
    rows.push([`${what}: bare framework, 10 connections, ${ROUNDS} rounds`, String(bare.requests), `${bare.rps.toFixed(0)}/s`, bare.p50.toFixed(1), '', bare.p99.toFixed(1), c.rounds.map((r) => `${r.bare.rps.toFixed(0)}/s`).join(', ')]);
    rows.push([`${what}: Bluedesk (lowdb), 10 connections, ${ROUNDS} rounds`, String(real.requests), `${real.rps.toFixed(0)}/s`, real.p50.toFixed(1), '', real.p99.toFixed(1), `**${c.median.toFixed(2)}× bare** (median; rounds ${c.ratios.map((x) => x.toFixed(2)).join(', ')})`]);
    rows.push([`${what}: bare framework, 50 req/s`, String(c.open.bare.requests), '', c.open.bare.p50.toFixed(1), '', c.open.bare.p99.toFixed(1), fmt(c.open.bare)]);
    rows.push([`${what}: Bluedesk (lowdb), 50 req/s`, String(c.open.real.requests), '', c.open.real.p50.toFixed(1), '', c.open.real.p99.toFixed(1), fmt(c.open.real)]);
  }
  await bareBolt.close();
  await bareBot.close();
  await h.stop();
  await connector.close();
  await slack.close();
}

/** The shares of a core each instance is held to in the limited cluster runs (`BENCH_INSTANCE_CPUS`, comma-separated). */
const INSTANCE_CPUS = (process.env.BENCH_INSTANCE_CPUS ?? '0.4').split(',').map(Number).filter((n) => n > 0);

/**
 * `npm run bench cluster`: the intake API on PostgreSQL with one instance,
 * then two on one database, each its own process behind its own port with
 * its own load (10 connections each), as behind a load balancer. Run twice:
 * sharing the machine's cores, and with each instance held to the same share
 * of a core (as in containers with a CPU limit), which is what shows whether
 * instances scale on a machine with fewer cores than the cluster needs.
 */
export async function cluster(rows: string[][]): Promise<void> {
  const slack = await startFakeSlackApi({ teamId: SLACK_TEAM });
  const work = await mkdtemp(join(tmpdir(), 'bench-cluster-'));
  await writeFile(join(work, 'force.json'), JSON.stringify(testConfig()));
  const env = { BOT_CONFIG: join(work, 'force.json'), SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url, BLUEDESK_INTAKE_SECRET_ORLO: INTAKE_SECRET };
  for (const cpus of [undefined, ...INSTANCE_CPUS]) {
    const limited = cpus ? `, each held to ${cpus} of a core` : '';
    let single = 0;
    for (const count of [1, 2]) {
      const target = await freshSchema(`cluster${count}`);
      const bots: BotProcess[] = [];
      try {
        for (let i = 0; i < count; i++) bots.push(await startBot({ ...env, DATA_DIR: join(work, `dir-${count}-${i}`), DATABASE_URL: target.url, DATABASE_SCHEMA: target.schema, ADMIN_PORT: '0' }, false, cpus));
      } catch (err) {
        for (const b of bots) await b.stop();
        await target.drop();
        rows.push([`intake API on PostgreSQL, ${count} instance(s)${limited}`, '', '', '', '', '', `not measured: ${(err as Error).message.split('\n')[0]}`]);
        continue;
      }
      const r = await clusterRound(bots);
      if (count === 1) single = r.rps;
      rows.push([`intake API on PostgreSQL, ${count} instance(s)${limited}, 10 connections each`, String(r.requests), `${r.rps.toFixed(0)}/s`, r.p50s, '', r.p99s,
        [count > 1 && single ? `**${(r.rps / single).toFixed(2)}× one instance**` : '', r.failed ? `${r.failed} failed` : '', r.lock, r.cpu].filter(Boolean).join('; ')]);
      for (const b of bots) await b.stop();
      await target.drop();
    }
  }
  await slack.close();
  await rm(work, { recursive: true, force: true });
}

/** What each instance's /metrics says of its write transactions (see Metrics in bot/app/metrics.ts). */
const LOCK_METRICS = ['bluedesk_storage_write_lock_held_seconds_sum', 'bluedesk_storage_write_lock_held_seconds_count', 'bluedesk_storage_write_lock_wait_seconds_sum', 'bluedesk_storage_changes_written_total'] as const;

/** One closed-loop round against every instance at once, with where the machine's CPU went and how busy the write lock was. */
async function clusterRound(bots: BotProcess[]) {
  await loadTogether(bots.map((b) => ({ url: b.url, request: 'intake-raise', mode: 'closed', seconds: 1 })));
  const ready = await Promise.all(bots.map((b) => prepareLoad({ url: b.url, request: 'intake-raise', mode: 'closed', seconds: SECONDS })));
  const metrics = () => Promise.all(bots.map((b) => scrape(b, LOCK_METRICS)));
  const before = { bots: await Promise.all(bots.map((b) => b.cpuSeconds())), pg: await postgresCpuSeconds(), load: process.cpuUsage(), metrics: await metrics(), at: performance.now() };
  const results = await Promise.all(ready.map((l) => l.run()));
  const wall = (performance.now() - before.at) / 1000;
  const after = await metrics();
  const delta = (name: string) => after.reduce((n, m, i) => n + m[name]! - before.metrics[i]![name]!, 0);
  const transactions = delta('bluedesk_storage_write_lock_held_seconds_count');
  // The write lock, from each instance's metrics: the share of the time one of them held it, and what a transaction held it for and carried.
  const lock = `write lock held ${(100 * delta('bluedesk_storage_write_lock_held_seconds_sum') / wall).toFixed(0)} % of the time, ${(1000 * delta('bluedesk_storage_write_lock_held_seconds_sum') / transactions).toFixed(1)} ms a transaction (waited ${(1000 * delta('bluedesk_storage_write_lock_wait_seconds_sum') / transactions).toFixed(1)} ms), ${(delta('bluedesk_storage_changes_written_total') / transactions).toFixed(1)} changes a transaction`;
  const botCpu = (await Promise.all(bots.map((b) => b.cpuSeconds()))).reduce((n, c, i) => n + c - before.bots[i]!, 0);
  const pgCpu = (await postgresCpuSeconds()) - before.pg;
  const used = process.cpuUsage(before.load);
  const loadCpu = (used.user + used.system) / 1e6;
  const requests = results.reduce((n, r) => n + r.requests, 0);
  return {
    requests,
    rps: results.reduce((n, r) => n + r.rps, 0),
    failed: results.reduce((n, r) => n + r.failures, 0),
    p50s: results.map((r) => r.p50.toFixed(1)).join(' / '),
    p99s: results.map((r) => r.p99.toFixed(1)).join(' / '),
    // Where the machine's CPU went, so a figure can be read against the cores there were.
    cpu: `cores busy: bots ${(botCpu / wall).toFixed(2)}, PostgreSQL ${(pgCpu / wall).toFixed(2)}, load and fakes ${(loadCpu / wall).toFixed(2)} (of ${availableParallelism()}); bot CPU ${(1000 * botCpu / requests).toFixed(2)} ms a raise`,
    lock,
  };
}
