/**
 * `npm run bench scale`: Bluedesk with a force's history behind it, on each
 * backend: N closed escalations archived (BENCH_SCALE_ESCALATIONS, default
 * 100,000) and R decision records (BENCH_SCALE_RECORDS, default 1,000,000).
 * The bot runs as its own process (the production build), so start-up time
 * and RSS are its own; the platform fakes are here. Raise (signed intake
 * API) and acknowledge (signed Slack button) are timed with nothing stored
 * and with the history, to show they stay flat.
 */
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { promisify } from 'node:util';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { DecisionRecord } from '../../bot/domain/decision-log.ts';
import { emptyState } from '../../bot/state.ts';
import { canonicalJson } from '../../data/canonical-json.ts';
import { FORMAT, GENESIS, recordHash } from '../../data/record-hash.ts';
import { startFakeSlackApi } from '../fakes/slack-api.ts';
import { buttonClick, postToSlack } from '../fakes/slack-requests.ts';
import { SLACK_ESCALATION_CHANNEL, SLACK_TEAM, slackUser, testConfig } from '../helpers/config.ts';
import { escalationFixture } from '../helpers/escalation.ts';
import { BOT_TOKEN, INTAKE_SECRET, SIGNING_SECRET } from '../helpers/harness.ts';
import { intakeHeaders } from '../helpers/intake.ts';
import { freshSchema } from '../helpers/postgres.ts';
import { insertRecords } from '../../data/pg/pg-decision-log.ts';
import { startBot } from './bot-process.ts';

const run = promisify(execFile);
const N = Number(process.env.BENCH_SCALE_ESCALATIONS ?? 100_000);
const R = Number(process.env.BENCH_SCALE_RECORDS ?? 1_000_000);
const id = (i: number) => `ESC-${String(i).padStart(5, '0')}`;
const p50 = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A chained log of `count` records about the archived escalations, written to `path` as the JSONL log holds it. */
async function seedLog(path: string, count: number): Promise<string> {
  const out = createWriteStream(path);
  let prev = GENESIS;
  for (let seq = 1; seq <= count; seq++) {
    const subject = { type: 'escalation', id: id(1 + (seq % Math.max(N, 1))) };
    const base = { v: FORMAT, action: seq % 3 ? 'escalation.noted' : 'escalation.raised', outcome: 'done' as const, actor: { personId: 'dana.desk', name: 'Dana Desk', identity: 'slack:T0FORCE001/U0DESK0001' }, subject, details: { note: 'A note about the post, as desk staff write them.' }, seq, at: new Date(Date.UTC(2025, 0, 1) + seq * 30_000).toISOString(), prev };
    const record = { ...base, hash: recordHash(base as Omit<DecisionRecord, 'hash'>) };
    prev = record.hash;
    if (!out.write(canonicalJson(record) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return prev;
}

const closed = (i: number) => {
  const stamp = { personId: 'dana.desk', name: 'Dana Desk', via: { platform: 'system' as const }, at: '2025-06-01T10:00:00.000Z' };
  return escalationFixture({ id: id(i), status: 'closed', severity: 'medium', category: 'misinformation', closed: { ...stamp, reason: 'Done' }, acknowledged: stamp, summary: 'A post about a local incident, with a fair amount of text in the summary as raisers write it.' });
};

/** 30 raises through the intake API, then an acknowledgement of each from Slack: p50 of each, in ms. */
async function raiseAndAck(url: string, slack: Awaited<ReturnType<typeof startFakeSlackApi>>, tag: string): Promise<{ raise: number; ack: number }> {
  const raise: number[] = [];
  const ack: number[] = [];
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) {
    const raw = JSON.stringify({ contentUrl: `https://x.com/s/status/${i}`, platform: 'X', category: 'misinformation', summary: 'scale', area: 'north' });
    const t = performance.now();
    const res = await fetch(`${url}/api/v1/escalations`, { method: 'POST', headers: intakeHeaders(INTAKE_SECRET, `${tag}-${i}`, raw), body: raw });
    raise.push(performance.now() - t);
    if (res.status !== 201) throw new Error(`intake answered ${res.status}`);
    ids.push(((await res.json()) as { id: string }).id);
  }
  for (const e of ids) {
    const t = performance.now();
    const res = await postToSlack(url, buttonClick(slackUser('jones'), 'escalation.acknowledge', e, SLACK_ESCALATION_CHANNEL, '1700000000.000100'), { secret: SIGNING_SECRET });
    ack.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`Slack click answered ${res.status}`);
  }
  return { raise: p50(raise), ack: p50(ack) };
}

export async function scale(rows: string[][]): Promise<void> {
  // Start-up and memory are measured as production runs: the compiled build, plain node.
  await run('npm', ['run', 'build'], { cwd: new URL('../..', import.meta.url).pathname });
  const work = await mkdtemp(join(tmpdir(), 'bench-scale-'));
  const slack = await startFakeSlackApi({ teamId: SLACK_TEAM });
  await writeFile(join(work, 'force.json'), JSON.stringify(testConfig()));
  const logFile = join(work, 'seed.jsonl');
  const s0 = performance.now();
  await seedLog(logFile, R);
  rows.push([`seeding: ${R} chained decision records`, String(R), '', '', '', '', `${((performance.now() - s0) / 1000).toFixed(1)} s`]);
  const common = { BOT_CONFIG: join(work, 'force.json'), SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url, BLUEDESK_INTAKE_SECRET_ORLO: INTAKE_SECRET };

  const backends: Array<{ name: string; seed(history: boolean): Promise<Record<string, string>>; done(): Promise<void> }> = [
    {
      name: 'lowdb',
      async seed(history) {
        const dataDir = join(work, `lowdb-${history}`);
        await mkdir(join(dataDir, 'archive'), { recursive: true });
        if (history) {
          const state = emptyState();
          state.counters.ESC = N;
          state.walSeq = R;
          await writeFile(join(dataDir, 'state.json'), JSON.stringify(state));
          const archive = createWriteStream(join(dataDir, 'archive', 'escalations.jsonl'));
          for (let i = 1; i <= N; i++) if (!archive.write(JSON.stringify(closed(i)) + '\n')) await once(archive, 'drain');
          archive.end();
          await once(archive, 'finish');
          await writeFile(join(dataDir, 'decisions.jsonl'), await readFile(logFile));
        }
        return { DATA_DIR: dataDir };
      },
      done: async () => undefined,
    },
    {
      name: 'PostgreSQL',
      async seed(history) {
        const target = await freshSchema(`scale_${history}`);
        drops.push(target.drop);
        if (history) {
          const client = new pg.Client({ connectionString: target.url });
          await client.connect();
          await client.query(`CREATE SCHEMA ${target.schema}`);
          await client.query(`SET search_path = ${target.schema}`);
          await client.query((await readFile(new URL('../../data/pg/migrations/001_init.sql', import.meta.url), 'utf8')));
          await client.query('CREATE TABLE bd_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
          await client.query("INSERT INTO bd_migrations (version, name) VALUES (1, 'init')");
          await client.query("INSERT INTO bd_state (collection, id, value, ver) VALUES ('counters', 'ESC', $1, nextval('bd_state_ver')), ('$', 'walSeq', $2, nextval('bd_state_ver'))", [String(N), String(R)]);
          for (let i = 1; i <= N; i += 2000) {
            const batch = Array.from({ length: Math.min(2000, N - i + 1) }, (_, k) => closed(i + k));
            await client.query("INSERT INTO bd_archive (kind, id, value) SELECT 'escalation', i, v FROM unnest($1::text[], $2::text[]) AS u(i, v)", [batch.map((e) => e.id), batch.map((e) => JSON.stringify(e))]);
          }
          const lines = (await readFile(logFile, 'utf8')).split('\n').filter(Boolean);
          for (let i = 0; i < lines.length; i += 5000) {
            const part = lines.slice(i, i + 5000);
            await insertRecords(client, part.map((l) => JSON.parse(l) as DecisionRecord), part);
          }
          await client.query('ANALYZE');
          await client.end();
        }
        return { DATABASE_URL: target.url, DATABASE_SCHEMA: target.schema, DATA_DIR: join(work, `pg-files-${history}`) };
      },
      done: async () => { for (const drop of drops.splice(0)) await drop(); },
    },
  ];
  const drops: Array<() => Promise<void>> = [];
  for (const backend of backends) {
    const seen: Record<string, { raise: number; ack: number }> = {};
    for (const history of [false, true]) {
      const label = history ? `${N} archived escalations, ${R} records` : 'nothing stored';
      const t = performance.now();
      const env = await backend.seed(history);
      if (history) rows.push([`${backend.name}: seeding ${label}`, '', '', '', '', '', `${((performance.now() - t) / 1000).toFixed(1)} s`]);
      const bot = await startBot({ ...common, ...env }, true);
      const rssStart = await bot.rss();
      const timed = await raiseAndAck(bot.url, slack, `${backend.name}-${history}`);
      seen[String(history)] = timed;
      const rssAfter = await bot.rss();
      rows.push([`${backend.name}, ${label}: start-up`, '1', '', '', '', '', `${bot.ms.toFixed(0)} ms to listening; RSS ${rssStart.toFixed(0)} MiB after start-up, ${rssAfter.toFixed(0)} MiB after the raises`]);
      rows.push([`${backend.name}, ${label}: raise (intake API)`, '30', '', timed.raise.toFixed(1), '', '', history ? `${(timed.raise / seen.false!.raise).toFixed(2)}× nothing stored` : '']);
      rows.push([`${backend.name}, ${label}: acknowledge (Slack button)`, '30', '', timed.ack.toFixed(1), '', '', history ? `${(timed.ack / seen.false!.ack).toFixed(2)}× nothing stored` : '']);
      await bot.stop();
    }
    await backend.done();
  }
  await slack.close();
  await rm(work, { recursive: true, force: true });
}
