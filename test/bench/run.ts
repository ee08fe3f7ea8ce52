/**
 * `npm run bench [section …]`: speed and memory of the parts that matter on a busy desk (all sections, or those named).
 * Real parts only: the real server on loopback, real files, the fakes only at
 * the platform boundary (as in the integration tests). Bounded in count and time.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { emptyState } from '../../bot/state.ts';
import { officialAccountsHtml } from '../../adapters/http/official-accounts.ts';
import { publicList } from '../../bot/app/public-list.ts';
import type { Account } from '../../bot/domain/account-types.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../../bot/domain/clock.ts';
import type { Escalation } from '../../bot/domain/escalation.ts';
import { escalationAlertBlocks } from '../../cards/escalation-alert/blockkit.ts';
import { escalationAlertAdaptive } from '../../cards/escalation-alert/adaptive.ts';
import { escalationAlertModel } from '../../cards/escalation-alert/model.ts';
import { JsonlDecisionLog } from '../../data/jsonl-decision-log.ts';
import { verifyLog } from '../../data/verify-log.ts';
import { toCsv } from '../../bot/app/records/export-formats.ts';
import { planRetention } from '../../bot/domain/retention.ts';
import { buttonClick, postToSlack, slashCommand } from '../fakes/slack-requests.ts';
import { botAddedToTeam, personalMessage, postActivity } from '../fakes/teams-activities.ts';
import { SLACK_ESCALATION_CHANNEL, TEAMS_ESCALATION_CHANNEL, TEAMS_TEAM, TENANT, USERS, slackUser, teamsUser } from '../helpers/config.ts';
import { INTAKE_SECRET, SIGNING_SECRET, startHarness } from '../helpers/harness.ts';
import { intakeHeaders } from '../helpers/intake.ts';
import { raiseInTeams } from '../helpers/flows.ts';
import { escalationFixture, testNames } from '../helpers/escalation.ts';
import { leaverInSlack } from '../helpers/leavers.ts';
import { runScriptedSurge } from '../helpers/surge-script.ts';
import { buildChecklist } from '../../bot/domain/leaver-checklist.ts';
import type { LeaverCase } from '../../bot/domain/leaver-types.ts';
import { leaverCard } from '../../cards/leaver-case/model.ts';
import { checklistAdaptive } from '../../cards/checklist/adaptive.ts';
import { checklistBlocks } from '../../cards/checklist/blockkit.ts';
import { cluster, throughput } from './throughput.ts';
import { scale } from './scale.ts';

const rows: string[][] = [];
const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

function row(what: string, n: number, ms: number[], note = '') {
  const total = ms.reduce((a, b) => a + b, 0);
  rows.push([what, String(n), `${(n / (total / 1000)).toFixed(0)}/s`, pct(ms, 50).toFixed(3), pct(ms, 95).toFixed(3), pct(ms, 99).toFixed(3), note]);
}

async function time(n: number, fn: (i: number) => unknown | Promise<unknown>, gapMs = 0): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
    if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
  }
  return out;
}

const escalation: Escalation = escalationFixture({ summary: 'x'.repeat(600), authorIsVictimOrWitness: 'yes', authorAlreadyEngaged: false });

async function cards() {
  const model = () => escalationAlertModel(escalation, testNames);
  row('alert card: Adaptive Card (templating)', 2000, await time(2000, () => escalationAlertAdaptive(model())));
  row('alert card: Block Kit', 2000, await time(2000, () => escalationAlertBlocks(model())));
}

async function publicPage() {
  const accounts: Account[] = Array.from({ length: 500 }, (_, i) => ({
    id: `ACC-${i}`, state: 'active', platform: 'X', handle: `TestPolArea${i}`, displayName: `Test Police Area ${i}`, area: 'north', ownerId: 'o', adminIds: [],
    businessEmail: 'x@test.police.uk', reviewDate: '2027-01-01', verified: i % 2 ? 'granted' : 'applied', requestId: `REQ-${i}`, updatedAt: new Date().toISOString(), copies: [],
  }));
  let bytes = 0;
  row('public list page, 500 accounts (HTML)', 200, await time(200, () => { bytes = officialAccountsHtml(publicList('Test Constabulary', accounts, (a) => a)).length; }), `${(bytes / 1024).toFixed(0)} KiB`);
}

async function decisionLog() {
  const dir = await mkdtemp(join(tmpdir(), 'bench-log-'));
  const path = join(dir, 'decisions.jsonl');
  const log = await JsonlDecisionLog.open(path, systemClock);
  const entry = { action: 'escalation.acknowledged', outcome: 'done' as const, actor: { personId: 'p', name: 'P', identity: 'teams:t/p' }, subject: { type: 'escalation', id: 'ESC-1' } };
  row('decision log append (fsync each)', 500, await time(500, () => log.append(entry)), 'sequential');
  const t = performance.now();
  await Promise.all(Array.from({ length: 500 }, () => log.append(entry)));
  const ms = performance.now() - t;
  rows.push(['decision log append, 500 concurrent', '500', `${(500 / (ms / 1000)).toFixed(0)}/s`, '', '', '', `${ms.toFixed(0)} ms in all`]);
  await log.close();
  const v0 = performance.now();
  const result = await verifyLog(path);
  rows.push(['verify-log, 1000 records', String(result.records), '', '', '', '', `${(performance.now() - v0).toFixed(1)} ms`]);
  await rm(dir, { recursive: true, force: true });
}

/** The records office on a 10,000-record log: verify, a CSV export, the retention plan and a redaction rewrite. */
async function records() {
  const dir = await mkdtemp(join(tmpdir(), 'bench-records-'));
  const path = join(dir, 'decisions.jsonl');
  const log = await JsonlDecisionLog.open(path, systemClock);
  await Promise.all(Array.from({ length: 10_000 }, (_, i) => log.append({
    action: 'escalation.raised', outcome: 'done', actor: { personId: 'p', name: 'P', identity: 'teams:t/p' }, subject: { type: 'escalation', id: `ESC-${i}` },
    details: { summary: 'A post naming someone, with a link https://x.com/a/status/1', contentUrl: 'https://x.com/a/status/1' },
  })));
  const clock = (label: string, started: number, extra = '') => rows.push([label, '10000', '', '', '', '', `${(performance.now() - started).toFixed(0)} ms${extra}`]);
  let t = performance.now();
  const verified = await verifyLog(path);
  clock('verify-log, 10,000 records', t, verified.ok ? '' : ' (BROKEN)');
  const all = await log.query({});
  t = performance.now();
  const csv = toCsv(all);
  clock('export CSV, 10,000 records', t, `, ${(csv.length / 1048576).toFixed(1)} MiB`);
  const cfg = { setBy: 'bench', runAtUtc: '03:00', default: 'general', classes: { general: { description: 'all', subjects: [], actions: [], afterDays: 1, onExpiry: 'dispose' as const } } };
  t = performance.now();
  const plan = planRetention({ state: {}, records: all, cfg, held: new Set(), now: new Date(Date.now() + 2 * 86_400_000) });
  clock('retention plan, 10,000 due', t, `, ${plan.loose.length} to redact`);
  t = performance.now();
  await log.redact(plan.loose.map((r) => r.seq), 10_001);
  clock('redaction rewrite, 10,000 records', t);
  await log.close();
  await rm(dir, { recursive: true, force: true });
}

/**
 * Raising with history stored: N closed escalations that closed an hour ago
 * (still in hot state) against N that closed two days ago (moved to the
 * archive at start-up). Each raise rewrites state.json; the archive keeps
 * that file the size of current work.
 */
async function history() {
  const n = Number(process.env.BENCH_HISTORY_N ?? 5000);
  for (const [label, closedAgoMs] of [['closed 1 h ago: in hot state', 3_600_000], ['closed 2 days ago: archived', 48 * 3_600_000]] as const) {
    const dataDir = await mkdtemp(join(tmpdir(), 'bench-history-'));
    const closedAt = new Date(Date.now() - closedAgoMs).toISOString();
    const stamp = { personId: 'dana.desk', name: 'Dana Desk', via: { platform: 'system' as const }, at: closedAt };
    const seeded = emptyState();
    for (let i = 1; i <= n; i++) {
      const id = `ESC-${String(i).padStart(5, '0')}`;
      seeded.escalations[id] = escalationFixture({ id, status: 'closed', severity: 'medium', category: 'misinformation', closed: { ...stamp, reason: 'Done' }, acknowledged: stamp, summary: 'A post about a local incident, with a fair amount of text in the summary as raisers write it.' });
    }
    seeded.counters.ESC = n;
    await writeFile(join(dataDir, 'state.json'), JSON.stringify(seeded));
    const h = await startHarness({ clock: systemClock, dataDir });
    await h.bot.idle();
    const bytes = (await readFile(join(dataDir, 'state.json'))).length;
    const raise = await time(30, async (i) => {
      const raw = JSON.stringify({ contentUrl: `https://x.com/h/status/${i}`, platform: 'X', category: 'misinformation', summary: 'bench', area: 'north' });
      const res = await fetch(`${h.url}/api/v1/escalations`, { method: 'POST', headers: intakeHeaders(INTAKE_SECRET, `hist-${i}`, raw), body: raw });
      if (res.status !== 201) throw new Error(`intake answered ${res.status}`);
      await res.arrayBuffer();
    });
    row(`intake raise with ${n} closed escalations stored, ${label}`, 30, raise, `state.json ${(bytes / 1048576).toFixed(1)} MiB`);
    await h.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function endToEnd() {
  const rssBefore = process.memoryUsage().rss;
  const s0 = performance.now();
  const h = await startHarness({ clock: systemClock });
  const startup = performance.now() - s0;
  rows.push(['start-up (storage, adapters, server, Bolt auth.test)', '1', '', '', '', '', `${startup.toFixed(0)} ms`]);
  await postActivity(h.url, botAddedToTeam(h.connector.url, TENANT, { id: TEAMS_TEAM, channelId: TEAMS_ESCALATION_CHANNEL }));

  row('Teams: message → help card (HTTP round trip)', 300, await time(300, () => postActivity(h.url, personalMessage(h.connector.url, teamsUser('desk'), 'help'))));
  row('Slack: signed /escalate → ack + views.open', 300, await time(300, () => postToSlack(h.url, slashCommand(slackUser('desk'), '/escalate', 'https://x.com/a/1 text'), { secret: SIGNING_SECRET })));

  // Raise N escalations through the Teams dialog, then acknowledge each from Slack. Each confirmation
  // waits (at most 1.5 s) for a first delivery attempt at each place, and Teams lets a bot send 8
  // messages to one channel in 2 s, so raises are spaced as a busy desk's are (the burst row below
  // shows what pacing does to a flood); only the raise itself is timed.
  const N = 20;
  const ids: string[] = [];
  const raise = await time(N, async () => {
    ids.push(await raiseInTeams(h, teamsUser('desk'), { summary: 'bench' }));
  }, 600);
  row('raise via Teams dialog (3 requests, confirmation after delivery), one every 0.6 s', N, raise);
  await h.bot.idle();
  const posted = h.slack.of('chat.postMessage').filter((c) => c.args.channel === SLACK_ESCALATION_CHANNEL);
  const ack = await time(N, (i) => postToSlack(h.url, buttonClick(slackUser('jones'), 'escalation.acknowledge', ids[i]!, SLACK_ESCALATION_CHANNEL, posted[i]!.result!.ts as string), { secret: SIGNING_SECRET }));
  row('acknowledge via Slack button (ack only)', N, ack);
  const u0 = performance.now();
  await h.bot.idle();
  while (h.slack.of('chat.update').filter((c) => JSON.stringify(c.args.blocks).includes('Acknowledged')).length < N) await new Promise((r) => setTimeout(r, 5));
  rows.push(['…then every copy updated on both platforms', String(N), '', '', '', '', `${(performance.now() - u0).toFixed(0)} ms after the last ack`]);
  // The intake API: signed, idempotent raises from a monitoring tool.
  const body = (i: number) => JSON.stringify({ contentUrl: `https://x.com/a/status/${i}`, platform: 'X', category: 'misinformation', summary: 'bench', area: 'north', capturedText: 'x'.repeat(500) });
  const intake = await time(100, async (i) => {
    const raw = body(i);
    const res = await fetch(`${h.url}/api/v1/escalations`, { method: 'POST', headers: intakeHeaders(INTAKE_SECRET, `bench-${i}`, raw), body: raw });
    if (res.status !== 201) throw new Error(`intake answered ${res.status}`);
    await res.arrayBuffer();
  });
  row('intake API: signed POST → 201', 100, intake);
  await h.bot.idle(120_000);
  const timers = Object.keys(JSON.parse(await readFile(join(h.dataDir, 'state.json'), 'utf8')).timers).length;
  const t1 = performance.now();
  await h.bot.tick();
  rows.push([`SLA tick over ${timers} pending timers (none due)`, '1', '', '', '', '', `${(performance.now() - t1).toFixed(2)} ms`]);

  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const mem = process.memoryUsage();
  rows.push(['memory after the run (process RSS / heap used)', '', '', '', '', '', `${mb(mem.rss)} MiB RSS (${mb(mem.rss - rssBefore)} MiB over baseline) / ${mb(mem.heapUsed)} MiB heap`]);
  await h.stop();
}

/**
 * Raise to platform, with the outbox in the path: from the intake request
 * until the fake Slack API and the fake Teams connector receive the alert.
 * One at a time (a desk's normal pace), then a burst that the pacing spreads.
 */
async function delivery() {
  const h = await startHarness({ clock: systemClock, installIn: [TEAMS_ESCALATION_CHANNEL] });
  const arrived = (id: string) => ({
    slack: h.slack.of('chat.postMessage').find((c) => c.args.channel === SLACK_ESCALATION_CHANNEL && JSON.stringify(c.args.blocks).includes(id))?.at,
    teams: h.connector.calls.find((c) => c.method === 'POST' && c.conversationId === TEAMS_ESCALATION_CHANNEL && JSON.stringify(c.body).includes(id))?.at,
  });
  const raise = async (key: string) => {
    const raw = JSON.stringify({ contentUrl: `https://x.com/d/status/${key}`, platform: 'X', category: 'misinformation', summary: `delivery ${key}`, area: 'north' });
    const res = await fetch(`${h.url}/api/v1/escalations`, { method: 'POST', headers: intakeHeaders(INTAKE_SECRET, key, raw), body: raw });
    return ((await res.json()) as { id: string }).id;
  };
  const slackMs: number[] = [];
  const teamsMs: number[] = [];
  for (let i = 0; i < 25; i++) {
    const t = Date.now();
    const id = await raise(`one-${i}`);
    for (;;) {
      const a = arrived(id);
      if (a.slack && a.teams) {
        slackMs.push(a.slack - t);
        teamsMs.push(a.teams - t);
        break;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    await h.bot.idle();
    // Stay inside Teams' 60 sends per 30 s for one channel, as a desk's normal pace does.
    await new Promise((r) => setTimeout(r, 1100));
  }
  const pctRow = (what: string, xs: number[]) => rows.push([what, String(xs.length), '', pct(xs, 50).toFixed(1), pct(xs, 95).toFixed(1), pct(xs, 99).toFixed(1), 'intake request → fake platform received it']);
  pctRow('raise → Slack channel has the alert (outbox)', slackMs);
  pctRow('raise → Teams channel has the alert (outbox)', teamsMs);
  const b0 = Date.now();
  const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => raise(`burst-${i}`)));
  await h.bot.idle(120_000);
  const last = Math.max(...burst.map((id) => arrived(id).teams ?? Infinity));
  const times = h.connector.calls.filter((c) => c.conversationId === TEAMS_ESCALATION_CHANNEL && c.at >= b0).map((c) => c.at);
  const perSecond = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
  rows.push(['burst: 30 raised at once → all on Teams (paced)', '30', '', '', '', '', `${((last - b0) / 1000).toFixed(1)} s; at most ${perSecond} sends/s to the channel (limit 7)`]);
  await h.stop();
}

/** Movers and leavers: opening a case through the Slack modal, ticking an item, a big checklist card, and the leaver timers over many open cases. */
async function leavers() {
  const h = await startHarness({ clock: systemClock, installIn: [TEAMS_ESCALATION_CHANNEL] });
  const N = 30;
  const open = await time(N, async () => {
    const ack = await leaverInSlack(h, slackUser('comms'), { who: { kind: 'leaver', personId: '_not_listed', otherName: `Contractor ${Math.random()}`, effectiveDate: '2030-01-01', sensitive: 'no' }, devices: { devices: 'Personal phone', apps: 'Buffer' } });
    if (!JSON.stringify(ack).includes('started')) throw new Error(`not started: ${JSON.stringify(ack)}`);
  });
  row('leaver case: /leaver → modal steps → case opened (Slack)', N, open);
  await h.bot.idle();
  const tick = await time(N, (i) => postToSlack(h.url, buttonClick(slackUser('sec'), 'leaver.tick:1', `LVR-${String(i + 1).padStart(5, '0')}:1`, USERS.sec.slack, '1700000000.000100'), { secret: SIGNING_SECRET }));
  row('leaver item ticked via Slack button (ack after the change is written)', N, tick);
  const u0 = performance.now();
  await h.bot.idle();
  rows.push(['…then every copy of those cases updated', String(N), '', '', '', '', `${(performance.now() - u0).toFixed(0)} ms after the last tick`]);
  const t1 = performance.now();
  await h.bot.tick();
  rows.push([`timer tick over ${N} open leaver cases (none due)`, '1', '', '', '', '', `${(performance.now() - t1).toFixed(2)} ms`]);
  await h.stop();
  // A big case: a leaver on 8 accounts has 51 items, as one card on each platform.
  const accounts = Array.from({ length: 8 }, (_, i) => benchAccount(i));
  const input = { kind: 'leaver' as const, personId: 'p', name: 'J. Smith', effectiveDate: '2030-01-01', psd: 'no' as const, accountIds: accounts.map((a) => a.id), keepRoles: [], keepAccountIds: [], devices: ['Phone'], apps: ['Buffer'] };
  const items = buildChecklist(input, accounts, { canAct: () => true }, { roles: ['digital_desk'] });
  const c: LeaverCase = { ...input, id: 'LVR-00001', status: 'open', restricted: false, rolesAtOpen: ['digital_desk'], items, dueAt: '2030-01-02T00:00:00Z', reminders: 0, copies: [], requester: { personId: 'r', name: 'R', via: { platform: 'system' }, at: '2026-01-01T00:00:00Z' } };
  const names = { person: (id: string) => id, account: (id: string) => id };
  const model = () => leaverCard(c, { level: 'channel' }, names, '2026-01-01T00:00:00Z');
  let bytes = 0;
  row(`checklist card, ${items.length} items: Adaptive Card`, 500, await time(500, () => { bytes = JSON.stringify(checklistAdaptive(model())).length; }), `${(bytes / 1024).toFixed(1)} KiB`);
  row(`checklist card, ${items.length} items: Block Kit`, 500, await time(500, () => { bytes = checklistBlocks(model()).blocks.length; }), `${bytes} blocks`);
}

function benchAccount(i: number): Account {
  return {
    id: `ACC-${i}`, state: 'active', platform: 'X', handle: `TestPolArea${i}`, displayName: `Area ${i}`, area: 'north', ownerId: i % 2 ? 'p' : 'o', adminIds: ['p'],
    businessEmail: 'x@test.police.uk', reviewDate: '2027-01-01', verified: 'granted', requestId: `REQ-${i}`, updatedAt: '2026-01-01T00:00:00Z', copies: [],
  };
}

/**
 * The scripted surge (the integration test's): 500 escalations over 30
 * minutes of surge time, raised at ten times that rate in real time. How
 * long critical ones took to reach each platform, and how often the digest
 * was refreshed. The chart is written to var/bench-surge-chart.png to look at.
 */
async function surge() {
  // By default 10 times the surge's own rate (500 in 30 minutes): one raise every 360 ms of real time. BENCH_SURGE_GAP_MS=0 floods it.
  const gap = Number(process.env.BENCH_SURGE_GAP_MS ?? 360);
  const run = await runScriptedSurge(500, { realGapMs: gap });
  const { h, raised } = run;
  const critical = raised.filter((r) => r.severity === 'critical');
  const at = (id: string) => ({
    slack: h.slack.of('chat.postMessage').find((c) => c.args.channel === SLACK_ESCALATION_CHANNEL && JSON.stringify(c.args).includes(`· ${id}`))?.at,
    teams: h.connector.calls.find((c) => c.method === 'POST' && c.conversationId === TEAMS_ESCALATION_CHANNEL && JSON.stringify(c.body).includes(`· ${id}`))?.at,
  });
  const slackMs = critical.map((r) => at(r.id).slack! - r.sentAt);
  const teamsMs = critical.map((r) => at(r.id).teams! - r.sentAt);
  const pctRow = (what: string, xs: number[]) => rows.push([what, String(xs.length), '', pct(xs, 50).toFixed(0), pct(xs, 95).toFixed(0), pct(xs, 99).toFixed(0), 'intake request → fake platform received it, during the surge']);
  pctRow('surge of 500: critical raise → Slack channel', slackMs);
  pctRow('surge of 500: critical raise → Teams channel', teamsMs);
  const raiseMs = raised.slice(1).map((r, i) => r.sentAt - raised[i]!.sentAt);
  rows.push([gap ? `surge of 500: intake raises, one every ${gap / 1000} s (${Math.round(3600 / gap)}× the surge’s rate)` : 'surge of 500: intake raises, back to back', '500', `${(1000 / (raiseMs.reduce((a, b) => a + b, 0) / raiseMs.length)).toFixed(0)}/s`, '', '', '', `${((raised.at(-1)!.sentAt - raised[0]!.sentAt) / 1000).toFixed(1)} s for all 500`]);
  for (const [name, times] of [
    ['Slack', h.slack.of('chat.update').filter((c) => c.args.channel === SLACK_ESCALATION_CHANNEL && JSON.stringify(c.args).includes('Surge digest')).map((c) => c.at)],
    ['Teams', h.connector.calls.filter((c) => c.method === 'PUT' && c.conversationId === TEAMS_ESCALATION_CHANNEL && JSON.stringify(c.body).includes('Surge digest')).map((c) => c.at)],
  ] as const) {
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    rows.push([`surge of 500: digest updates in place (${name})`, String(times.length), '', '', '', '', `one per 30 s of surge time (${(1800 / Math.max(1, times.length)).toFixed(0)} s on average over 30 min); in real time ${(pct(gaps, 50) / 1000).toFixed(2)} s apart at p50, ${(Math.max(...gaps) / 1000).toFixed(2)} s at most`]);
  }
  const kept = (await h.decisions()).find((r) => r.action === 'surge.chart_kept')!.details as { sha256: string };
  await mkdir('var', { recursive: true });
  await copyFile(join(h.dataDir, 'charts', `${kept.sha256}.png`), 'var/bench-surge-chart.png');
  await h.stop();
}

const only = process.argv.slice(2);
const sections: Record<string, () => Promise<void>> = { cards, publicPage, decisionLog, records, history, endToEnd, delivery, leavers, surge, throughput: () => throughput(rows), cluster: () => cluster(rows), scale: () => scale(rows) };
const t0 = performance.now();
for (const [name, run] of Object.entries(sections)) if (!only.length || only.includes(name)) await run();
const header = ['what', 'n', 'rate', 'p50 ms', 'p95 ms', 'p99 ms', 'note'];
const lines = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`);
process.stdout.write(`\nBluedesk benchmarks (Node ${process.version}, ${(performance.now() - t0) / 1000 | 0}s)\n\n${lines.join('\n')}\n`);
process.exit(0);
