/**
 * The kill -9 soak: the real server in its own process, under a mixed load of
 * raises (intake API), acknowledgements (Slack buttons and Teams invokes),
 * decisions (Teams dialogs), account requests (Slack modals) and their two
 * approvals (Teams cards), leaver cases (Slack modals) and their ticks (Teams
 * cards), killed without warning N times and restarted.
 * Fakes only at the platform boundary. After each restart it retries every
 * raise it sent (same webhook-id) and then checks what the clients were told
 * against the decision log and the state file.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecords } from '../../data/jsonl-decision-log.ts';
import { verifyLog } from '../../data/verify-log.ts';
import { startFakeSlackApi } from '../fakes/slack-api.ts';
import { buttonClick, postToSlack } from '../fakes/slack-requests.ts';
import { startFakeConnector } from '../fakes/teams-connector.ts';
import { botAddedToTeam, cardAction, postActivity } from '../fakes/teams-activities.ts';
import { SLACK_ESCALATION_CHANNEL, SLACK_TEAM, TEAMS_ESCALATION_CHANNEL, TEAMS_TEAM, TENANT, slackUser, teamsUser, testConfig } from '../helpers/config.ts';
import { BOT_TOKEN, INTAKE_SECRET, SIGNING_SECRET } from '../helpers/harness.ts';
import { raiseViaIntake } from '../helpers/intake.ts';
import { requestInSlack } from '../helpers/account-flows.ts';
import { ensureBuilt, startBluedesk } from '../helpers/processes.ts';
import { leaverInSlack } from '../helpers/leavers.ts';
import type { Harness } from '../helpers/harness.ts';

/** What the soak counts; every count but `confirmed` and the times should be zero. */
export interface SoakReport {
  cycles: number;
  confirmed: { raises: number; acknowledgements: number; decisions: number; accountRequests: number; approvals: number; leaverCases: number; ticks: number };
  lost: number;
  duplicated: number;
  idsReused: number;
  mismatches: number;
  chainFailures: number;
  recoveryMs: { max: number; mean: number };
  problems: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSoak(opts: { cycles: number; seed?: number; log?: (line: string) => void }): Promise<SoakReport> {
  let seed = opts.seed ?? 1;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const slack = await startFakeSlackApi({ teamId: SLACK_TEAM });
  const connector = await startFakeConnector();
  const dir = await mkdtemp(join(tmpdir(), 'bd-soak-'));
  const dataDir = join(dir, 'data');
  const configPath = join(dir, 'force.json');
  await writeFile(configPath, JSON.stringify(testConfig()));
  const env = {
    PATH: process.env.PATH ?? '', PORT: '0', ADMIN_PORT: '0', DATA_DIR: dataDir, BOT_CONFIG: configPath, SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.url, BLUEDESK_INTAKE_SECRET_ORLO: INTAKE_SECRET,
  };
  // The compiled server (built once if need be), in a process group the test run stops whatever happens.
  await ensureBuilt();
  const start = async () => {
    const t = Date.now();
    const p = startBluedesk([], env);
    const url = await p.url(30_000);
    return { child: p.child, exited: p.exited.then(() => undefined), url, ms: Date.now() - t };
  };

  const sentKeys: string[] = [];
  const confirmed = { raises: new Map<string, string>(), acks: new Set<string>(), decisions: new Set<string>(), requests: new Set<string>(), approvals: new Map<string, number>(), cases: new Set<string>(), ticks: new Set<string>() };
  const recovery: number[] = [];
  const problems: string[] = [];
  let bot = await start();
  await postActivity(bot.url, botAddedToTeam(connector.url, TENANT, { id: TEAMS_TEAM, channelId: TEAMS_ESCALATION_CHANNEL }));

  for (let cycle = 0; cycle < opts.cycles; cycle++) {
    const url = bot.url;
    let stop = false;
    const raise = async (i: number) => {
      const key = `c${cycle}-r${i}`;
      sentKeys.push(key);
      const res = await raiseViaIntake(url, INTAKE_SECRET, key, { contentUrl: `https://x.com/s/status/${i}`, platform: 'X', category: 'misinformation', summary: key, area: 'north' });
      if (res.status === 201) confirmed.raises.set(key, res.json.id);
    };
    const acknowledge = async (id: string, viaTeams: boolean) => {
      const res = viaTeams
        ? await postActivity(url, cardAction(connector.url, teamsUser('jones'), TEAMS_ESCALATION_CHANNEL, 'escalation.acknowledge', { escalationId: id }))
        : await postToSlack(url, buttonClick(slackUser('jones'), 'escalation.acknowledge', id, SLACK_ESCALATION_CHANNEL, '1.1'), { secret: SIGNING_SECRET });
      if (res.status === 200) confirmed.acks.add(id);
    };
    const decide = async (id: string) => {
      const user = teamsUser('jones');
      const form = await postActivity(url, cardAction(connector.url, user, TEAMS_ESCALATION_CHANNEL, 'escalation.decide', { escalationId: id }));
      const sessionId = form.body?.value?.actions?.[0]?.data?.sessionId;
      if (!sessionId) return;
      const next = await postActivity(url, cardAction(connector.url, user, TEAMS_ESCALATION_CHANNEL, 'dialog.submit', { sessionId, stepId: 'type', decisionType: 'no_further_action' }));
      const stepId = next.body?.value?.actions?.[0]?.data?.stepId;
      if (!stepId) return;
      const done = await postActivity(url, cardAction(connector.url, user, TEAMS_ESCALATION_CHANNEL, 'dialog.submit', { sessionId, stepId, reason: 'soak' }));
      if (done.status === 200 && JSON.stringify(done.body).includes('Decision recorded')) confirmed.decisions.add(id);
    };
    // Account governance on the same record keeper: a request through the Slack modal, approvals on the Teams card.
    const request = async (n: number) => {
      const h = { url, slack } as unknown as Harness;
      const { id } = await requestInSlack(h, slackUser('north'), { account: { handle: `@TestPolS${n}` } });
      if (id) confirmed.requests.add(id);
    };
    const approve = async (id: string) => {
      const stage = confirmed.approvals.get(id) ?? 0;
      if (stage >= 2) return;
      const who = stage === 0 ? teamsUser('comms') : teamsUser('sec');
      const res = await postActivity(url, cardAction(connector.url, who, TEAMS_ESCALATION_CHANNEL, 'account.approve', { subjectId: id }));
      if (res.status === 200 && JSON.stringify(res.body).includes('✅ Approved')) confirmed.approvals.set(id, stage + 1);
    };
    // Leaver cases on the same record keeper: opened through the Slack modal, ticked on the Teams card.
    const openCase = async (n: number) => {
      const h = { url, slack } as unknown as Harness;
      const ack = JSON.stringify(await leaverInSlack(h, slackUser('comms'), { who: { kind: 'leaver', personId: '_not_listed', otherName: `Soak ${n}`, effectiveDate: '2030-01-01', sensitive: 'no' }, devices: { devices: 'Phone', apps: 'Buffer' } }));
      const id = ack.match(/Leaver case (LVR-\d{5}) started/)?.[1];
      if (id) confirmed.cases.add(id);
    };
    const tick = async (id: string, item: string) => {
      const res = await postActivity(url, cardAction(connector.url, teamsUser('sec'), TEAMS_ESCALATION_CHANNEL, 'leaver.tick', { subjectId: `${id}:${item}` }));
      if (res.status === 200 && JSON.stringify(res.body).includes('Ticked')) confirmed.ticks.add(`${id}:${item}`);
    };
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const open = [...confirmed.raises.values()];
        const pick = open[Math.floor(random() * open.length)];
        const roll = random();
        try {
          const requests = [...confirmed.requests];
          const cases = [...confirmed.cases];
          if (roll < 0.36 || !pick) await raise(w * 10_000 + i);
          else if (roll < 0.54) await acknowledge(pick, roll < 0.45);
          else if (roll < 0.68) await decide(pick);
          else if (roll < 0.76 || !requests.length) await request(cycle * 100_000 + w * 10_000 + i);
          else if (roll < 0.84) await approve(requests[Math.floor(random() * requests.length)]!);
          else if (roll < 0.9 || !cases.length) await openCase(cycle * 100_000 + w * 10_000 + i);
          else await tick(cases[Math.floor(random() * cases.length)]!, roll < 0.95 ? '1' : '2');
        } catch {
          // The server was killed under this request: it was never confirmed.
        }
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(worker));
    await sleep(300 + random() * 1200);
    bot.child.kill('SIGKILL');
    stop = true;
    await Promise.all([bot.exited, load]);
    bot = await start();
    recovery.push(bot.ms);
    // Retries of every raise sent, confirmed or not, must not raise anything twice.
    for (const key of sentKeys.filter((k) => k.startsWith(`c${cycle}-`))) {
      const res = await raiseViaIntake(bot.url, INTAKE_SECRET, key, { contentUrl: `https://x.com/s/status/${key.split('-r')[1]}`, platform: 'X', category: 'misinformation', summary: key, area: 'north' });
      if (res.status === 201) {
        const before = confirmed.raises.get(key);
        if (before && before !== res.json.id) problems.push(`retry of ${key} answered ${res.json.id}, first ${before}`);
        confirmed.raises.set(key, res.json.id);
      }
    }
    opts.log?.(`cycle ${cycle + 1}/${opts.cycles}: ${confirmed.raises.size} raises, ${confirmed.acks.size} acknowledgements, ${confirmed.decisions.size} decisions, ${confirmed.requests.size} account requests, ${[...confirmed.approvals.values()].reduce((a, b) => a + b, 0)} approvals, ${confirmed.cases.size} leaver cases, ${confirmed.ticks.size} ticks confirmed; restart ${bot.ms} ms`);
  }

  bot.child.kill('SIGTERM');
  await bot.exited;
  const log = await readRecords(join(dataDir, 'decisions.jsonl'));
  const state = JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8')) as {
    escalations: Record<string, { summary: string; acknowledged?: unknown; decisions: unknown[] }>;
    accountRequests: Record<string, { status: string }>;
    leaverCases: Record<string, { status: string; items: Array<{ id: string; done?: unknown }> }>;
  };
  const raisedInLog = log.filter((r) => r.action === 'escalation.raised');
  const idCounts = new Map<string, number>();
  for (const r of raisedInLog) idCounts.set(r.subject!.id, (idCounts.get(r.subject!.id) ?? 0) + 1);
  const idsReused = [...idCounts.values()].filter((n) => n > 1).length;
  const perKey = new Map<string, number>();
  for (const e of Object.values(state.escalations)) perKey.set(e.summary, (perKey.get(e.summary) ?? 0) + 1);
  const duplicated = [...perKey.values()].filter((n) => n > 1).length;
  let lost = 0;
  for (const [key, id] of confirmed.raises) if (!state.escalations[id] || state.escalations[id]!.summary !== key || !idCounts.has(id)) { lost += 1; problems.push(`confirmed raise ${key} (${id}) missing`); }
  for (const id of confirmed.acks) if (!state.escalations[id]?.acknowledged) { lost += 1; problems.push(`confirmed acknowledgement of ${id} missing`); }
  for (const id of confirmed.decisions) if (!state.escalations[id]?.decisions.length) { lost += 1; problems.push(`confirmed decision on ${id} missing`); }
  for (const id of confirmed.requests) if (!state.accountRequests[id] || !log.some((r) => r.action === 'account.requested' && r.subject?.id === id)) { lost += 1; problems.push(`confirmed account request ${id} missing`); }
  for (const [id, stages] of confirmed.approvals) {
    const status = state.accountRequests[id]?.status;
    const ok = stages === 1 ? status === 'awaiting_infosec' || status === 'approved' : status === 'approved';
    if (!ok) { lost += 1; problems.push(`confirmed approval ${stages} of ${id} missing (status ${status})`); }
  }
  let mismatches = 0;
  const approvals = log.filter((r) => r.outcome === 'done' && (r.action === 'account.approved_comms' || r.action === 'account.approved_infosec'));
  const approvalCounts = new Map<string, number>();
  for (const r of approvals) approvalCounts.set(`${r.subject!.id}:${r.action}`, (approvalCounts.get(`${r.subject!.id}:${r.action}`) ?? 0) + 1);
  for (const [k, n] of approvalCounts) if (n > 1) problems.push(`${k} recorded ${n} times`);
  for (const r of approvals) {
    const status = state.accountRequests[r.subject!.id]?.status;
    if (r.action === 'account.approved_infosec' ? status !== 'approved' : status !== 'awaiting_infosec' && status !== 'approved') { mismatches += 1; problems.push(`${r.subject!.id}: ${r.action} in the log, ${status} in state`); }
  }
  for (const id of idCounts.keys()) if (!state.escalations[id]) { mismatches += 1; problems.push(`${id} raised in the log but not in state`); }
  for (const id of Object.keys(state.escalations)) if (!idCounts.has(id)) { mismatches += 1; problems.push(`${id} in state but not raised in the log`); }
  for (const r of log.filter((x) => x.action === 'escalation.acknowledged')) if (!state.escalations[r.subject!.id]?.acknowledged) { mismatches += 1; problems.push(`${r.subject!.id} acknowledged in the log but not in state`); }
  const ackCounts = new Map<string, number>();
  for (const r of log.filter((x) => x.action === 'escalation.acknowledged')) ackCounts.set(r.subject!.id, (ackCounts.get(r.subject!.id) ?? 0) + 1);
  const doubleAcks = [...ackCounts.entries()].filter(([, n]) => n > 1);
  for (const [id] of doubleAcks) problems.push(`${id} acknowledged twice in the log`);
  const leavers = checkLeavers(confirmed, state.leaverCases, log, problems);
  lost += leavers.lost;
  mismatches += leavers.mismatches;
  const chain = await verifyLog(join(dataDir, 'decisions.jsonl'));
  await slack.close();
  await connector.close();
  await rm(dir, { recursive: true, force: true });
  return {
    cycles: opts.cycles,
    confirmed: {
      raises: confirmed.raises.size, acknowledgements: confirmed.acks.size, decisions: confirmed.decisions.size,
      accountRequests: confirmed.requests.size, approvals: [...confirmed.approvals.values()].reduce((a, b) => a + b, 0),
      leaverCases: confirmed.cases.size, ticks: confirmed.ticks.size,
    },
    lost,
    duplicated: duplicated + doubleAcks.length + [...approvalCounts.values()].filter((n) => n > 1).length + leavers.duplicated,
    idsReused,
    mismatches,
    chainFailures: chain.ok ? 0 : 1,
    recoveryMs: { max: Math.max(...recovery), mean: Math.round(recovery.reduce((a, b) => a + b, 0) / recovery.length) },
    problems,
  };
}

/** Confirmed cases and ticks are in state and the log; no tick or completion is recorded twice; a case is complete exactly when every item is done. */
function checkLeavers(
  confirmed: { cases: Set<string>; ticks: Set<string> },
  cases: Record<string, { status: string; items: Array<{ id: string; done?: unknown }> }>,
  log: Awaited<ReturnType<typeof readRecords>>,
  problems: string[],
): { lost: number; duplicated: number; mismatches: number } {
  let lost = 0;
  let duplicated = 0;
  let mismatches = 0;
  for (const id of confirmed.cases) if (!cases[id] || !log.some((r) => r.action === 'leaver.opened' && r.subject?.id === id)) { lost += 1; problems.push(`confirmed leaver case ${id} missing`); }
  for (const t of confirmed.ticks) {
    const [id, item] = t.split(':') as [string, string];
    const inLog = log.some((r) => r.action === 'leaver.item_done' && r.subject?.id === id && (r.details as { item?: string }).item === item);
    if (!cases[id]?.items.find((i) => i.id === item)?.done || !inLog) { lost += 1; problems.push(`confirmed tick ${t} missing`); }
  }
  const counts = new Map<string, number>();
  for (const r of log.filter((x) => x.action === 'leaver.item_done' || x.action === 'leaver.completed')) {
    const key = `${r.subject!.id}:${r.action}:${(r.details as { item?: string } | undefined)?.item ?? ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [k, n] of counts) if (n > 1) { duplicated += 1; problems.push(`${k} recorded ${n} times`); }
  for (const [id, c] of Object.entries(cases)) {
    const allDone = c.items.every((i) => i.done);
    if ((c.status === 'complete') !== allDone) { mismatches += 1; problems.push(`${id}: ${c.status} with ${c.items.filter((i) => i.done).length} of ${c.items.length} done`); }
  }
  return { lost, duplicated, mismatches };
}
