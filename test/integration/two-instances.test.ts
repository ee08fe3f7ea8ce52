import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import pg from 'pg';
import { canonicalJson } from '../../data/canonical-json.ts';
import { verifyLines } from '../../data/verify-log.ts';
import type { DecisionRecord } from '../../bot/domain/decision-log.ts';
import { eventually } from '../fakes/http.ts';
import { startFakeSlackApi } from '../fakes/slack-api.ts';
import { buttonClick, postToSlack } from '../fakes/slack-requests.ts';
import { botAddedToTeam, postActivity } from '../fakes/teams-activities.ts';
import { startFakeConnector } from '../fakes/teams-connector.ts';
import { SLACK_ESCALATION_CHANNEL, SLACK_TEAM, TEAMS_ESCALATION_CHANNEL, TEAMS_TEAM, TENANT, slackUser, teamsUser, testConfig } from '../helpers/config.ts';
import { clickInTeams, raiseInTeams } from '../helpers/flows.ts';
import { BOT_TOKEN, INTAKE_SECRET, SIGNING_SECRET, startHarness, type Harness } from '../helpers/harness.ts';
import { ManualClock } from '../../bot/domain/clock.ts';
import { raiseViaIntake } from '../helpers/intake.ts';
import { describePg, freshSchema } from '../helpers/postgres.ts';
import { ensureBuilt, startBluedesk } from '../helpers/processes.ts';
import { textOf } from '../helpers/text.ts';

const ALERT = { contentUrl: 'https://x.com/z/status/9', platform: 'X', category: 'intelligence', summary: 'shared', area: 'north', authorIsVictimOrWitness: 'no' };

/** One Bluedesk process (what `npm start` runs) on the shared database, with a DATA_DIR of its own. */
interface Instance {
  name: string;
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

await describePg('two Bluedesk processes on one PostgreSQL database', () => {
  let target: Awaited<ReturnType<typeof freshSchema>>;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  let slack: Awaited<ReturnType<typeof startFakeSlackApi>>;
  let work: string;
  const instances: Instance[] = [];

  async function start(name: string): Promise<Instance> {
    const dataDir = await mkdtemp(join(work, `${name}-`));
    const p = startBluedesk([], {
      PORT: '0', ADMIN_PORT: 'off', DATA_DIR: dataDir, BOT_CONFIG: join(work, 'force.json'),
      DATABASE_URL: target.url, DATABASE_SCHEMA: target.schema, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url, BLUEDESK_INTAKE_SECRET_ORLO: INTAKE_SECRET,
    });
    const url = await p.url(20_000);
    const instance = { name, child: p.child, url, output: p.output, exited: p.exited };
    instances.push(instance);
    return instance;
  }

  /** What the test helpers need of a harness: where the bot is, and the fakes. */
  const via = (i: Instance) => ({ url: i.url, connector, slack }) as unknown as Harness;

  async function records(): Promise<DecisionRecord[]> {
    const client = new pg.Client({ connectionString: target.url, options: `-c search_path=${target.schema}` });
    await client.connect();
    try {
      return (await client.query<{ line: string }>('SELECT line FROM bd_decisions ORDER BY seq')).rows.map((r) => JSON.parse(r.line) as DecisionRecord);
    } finally {
      await client.end();
    }
  }

  const slackAlerts = (id: string) => slack.of('chat.postMessage').filter((c) => c.args.channel === SLACK_ESCALATION_CHANNEL && textOf(c.args.blocks).includes(id));
  const latestSlackCard = (id: string) => textOf(slack.calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.args.channel === SLACK_ESCALATION_CHANNEL && textOf(c.args.blocks).includes(id)).at(-1)?.args.blocks);
  const teamsAlerts = (id: string) => connector.calls.filter((c) => c.method === 'POST' && c.conversationId === TEAMS_ESCALATION_CHANNEL && textOf(c.body.attachments).includes(id));
  const ack = (i: Instance, id: string, n: number) => (n % 2
    ? postToSlack(i.url, buttonClick(slackUser('jones'), 'escalation.acknowledge', id, SLACK_ESCALATION_CHANNEL, '1700000000.000100'), { secret: SIGNING_SECRET })
    : clickInTeams(via(i), teamsUser('jones'), TEAMS_ESCALATION_CHANNEL, 'escalation.acknowledge', { escalationId: id }));

  beforeAll(async () => {
    await ensureBuilt();
    target = await freshSchema('two');
    connector = await startFakeConnector();
    slack = await startFakeSlackApi({ teamId: SLACK_TEAM });
    work = await mkdtemp(join(tmpdir(), 'bluedesk-two-'));
    await writeFile(join(work, 'force.json'), JSON.stringify(testConfig()));
  }, 240_000);

  afterAll(async () => {
    for (const i of instances) i.child.kill('SIGKILL');
    await Promise.all(instances.map((i) => i.exited));
    await connector.close();
    await slack.close();
    await rm(work, { recursive: true, force: true });
    await target.drop();
  });

  it('raises and acknowledgements alternate between them from both platforms: each alert delivered once, no id twice, one chain', async () => {
    const [a, b] = [await start('a'), await start('b')];
    // Installed through one instance; the other can post there, since conversation references are shared.
    await postActivity(a.url, botAddedToTeam(connector.url, TENANT, { id: TEAMS_TEAM, channelId: TEAMS_ESCALATION_CHANNEL }));
    const ids: string[] = [];
    for (let n = 0; n < 12; n++) {
      const [here, there] = n % 2 ? [a, b] : [b, a];
      if (n % 3 === 0) {
        ids.push(await raiseInTeams(via(here), teamsUser('desk'), { summary: `teams ${n}` }));
      } else {
        const raised = await raiseViaIntake(here.url, INTAKE_SECRET, `two-${n}`, { ...ALERT, summary: `intake ${n}` });
        expect(raised.status).toBe(201);
        ids.push(raised.json.id as string);
      }
      // Acknowledged on the other instance, from Slack and Teams in turn.
      await ack(there, ids.at(-1)!, n);
    }
    expect(new Set(ids).size).toBe(12);
    expect([...ids].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `ESC-${String(i + 1).padStart(5, '0')}`));
    for (const id of ids) {
      await eventually(() => slackAlerts(id).length && teamsAlerts(id).length, 10_000, `${id}'s alerts`);
      // The card in the channel ends up saying so: updated in place, or posted already acknowledged if the ack came first.
      await eventually(() => latestSlackCard(id).includes('Acknowledged by Insp. Jones'), 10_000, `${id} shown acknowledged`);
    }
    // Give a second sender (were there one) time to show itself.
    await new Promise((r) => setTimeout(r, 1500));
    for (const id of ids) expect([id, slackAlerts(id).length, teamsAlerts(id).length]).toEqual([id, 1, 1]);
    const log = await records();
    for (const id of ids) expect(log.filter((r) => r.subject?.id === id).map((r) => r.action)).toEqual(['escalation.raised', 'escalation.acknowledged']);
    expect(await verifyLines(log.map((r) => canonicalJson(r)))).toMatchObject({ ok: true, records: log.length });
    expect(a.output() + b.output()).toMatch(/this instance runs timers and delivery/);
    expect(a.output() + b.output()).toMatch(/another instance runs timers and delivery/);
  }, 120_000);

  it('one is killed mid-load: the other carries on, takes over delivery, and the chain still verifies', async () => {
    const [a, b] = instances as [Instance, Instance];
    const leader = /this instance runs timers and delivery/.test(a.output()) ? a : b;
    const survivor = leader === a ? b : a;
    const burst = Array.from({ length: 10 }, (_, n) => raiseViaIntake(survivor.url, INTAKE_SECRET, `burst-${n}`, { ...ALERT, summary: `burst ${n}` }));
    // The instance that runs delivery dies without warning (kill -9) while the burst is being served.
    setTimeout(() => leader.child.kill('SIGKILL'), 50);
    const answers = await Promise.all(burst);
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(201));
    await leader.exited;
    await eventually(() => /this instance now runs timers and delivery/.test(survivor.output()), 15_000, 'the survivor to take over');
    for (const r of answers) await eventually(() => slackAlerts(r.json.id as string).length && teamsAlerts(r.json.id as string).length, 15_000, `${r.json.id}'s alerts after the takeover`);
    const log = await records();
    expect(new Set(log.map((r) => r.seq)).size).toBe(log.length);
    expect(await verifyLines(log.map((r) => canonicalJson(r)))).toMatchObject({ ok: true, records: log.length });
    const health = await fetch(`${survivor.url}/healthz`);
    expect(health.status).toBe(200);
  }, 120_000);
});

/**
 * Timers on two instances ticked at the same moment, on one clock: in-process
 * instances, since only there can a test move time. Only the instance that
 * leads fires them, so each fires once, and the other takes over when it goes.
 */
await describePg('two instances ticking timers together on one PostgreSQL database', () => {
  it('every SLA timer fires once, and the next once too after the leader stops', async () => {
    const target = await freshSchema('timers');
    const clock = new ManualClock(new Date('2026-11-25T14:00:00Z'));
    const env = { DATABASE_URL: target.url, DATABASE_SCHEMA: target.schema };
    const a = await startHarness({ clock, env });
    const b = await startHarness({ clock, env });
    try {
      const ids: string[] = [];
      for (let n = 0; n < 4; n++) ids.push((await raiseViaIntake((n % 2 ? a : b).url, INTAKE_SECRET, `timer-${n}`, { ...ALERT, category: 'threat_to_life', summary: `timer ${n}` })).json.id as string);
      const fired = async (action: string) => (await a.decisions()).filter((r) => r.action === action && ids.includes(r.subject!.id)).map((r) => r.subject!.id).sort();
      // Past the critical acknowledgement window (5 minutes): tier 2 is due for every one.
      clock.advance(6 * 60_000);
      await Promise.all([a.bot.tick(), b.bot.tick(), a.bot.tick(), b.bot.tick()]);
      expect(await fired('escalation.tier_raised')).toEqual([...ids].sort());
      expect(await fired('escalation.sla_breached')).toEqual([]);
      // The leader goes; past the next window the other raises each a tier again, once each.
      const [leader, other] = a.log.lines.some((l) => /this instance runs timers/.test(l.msg)) ? [a, b] : [b, a];
      await leader.bot.stop();
      await eventually(() => other.log.lines.some((l) => /now runs timers and delivery/.test(l.msg)), 10_000, 'the other instance to take over');
      clock.advance(6 * 60_000);
      await Promise.all([other.bot.tick(), other.bot.tick()]);
      expect(await fired('escalation.tier_raised')).toEqual([...ids, ...ids].sort());
      expect(await fired('escalation.sla_breached')).toEqual([]);
      expect(await other.verify()).toMatchObject({ ok: true });
    } finally {
      await a.stop();
      await b.stop();
      await target.drop();
    }
  }, 60_000);
});

/**
 * A source retrying a raise can reach the other instance while the first is
 * still answering: the idempotency key is checked inside the raise's own
 * transaction, under the database's write lock, so one escalation is raised
 * and both answer with it.
 */
await describePg('one idempotency key sent to two instances at once', () => {
  it('raises one escalation; both answer with it, and another body under that key is refused', async () => {
    const target = await freshSchema('samekey');
    const env = { DATABASE_URL: target.url, DATABASE_SCHEMA: target.schema };
    const a = await startHarness({ env });
    const b = await startHarness({ env });
    try {
      for (let n = 0; n < 5; n++) {
        const key = `same-${n}`;
        const [x, y] = await Promise.all([raiseViaIntake(a.url, INTAKE_SECRET, key, { ...ALERT, summary: `same ${n}` }), raiseViaIntake(b.url, INTAKE_SECRET, key, { ...ALERT, summary: `same ${n}` })]);
        expect([x.status, y.status]).toEqual([201, 201]);
        expect(y.json.id).toBe(x.json.id);
        const other = await raiseViaIntake((n % 2 ? a : b).url, INTAKE_SECRET, key, { ...ALERT, summary: 'another body' });
        expect(other.status).toBe(409);
      }
      const raised = (await a.decisions()).filter((r) => r.action === 'escalation.raised');
      expect(raised).toHaveLength(5);
      expect(new Set(raised.map((r) => r.subject!.id)).size).toBe(5);
      expect(await a.verify()).toMatchObject({ ok: true });
    } finally {
      await a.stop();
      await b.stop();
      await target.drop();
    }
  }, 60_000);
});

/**
 * An instance starting while another commits: everything committed before
 * it serves must be in its memory, whichever of its stores was loading when
 * the commit landed. Held-out runs lost an acknowledgement (the starting
 * instance did not know an escalation raised during its start-up) and
 * posted an alert twice (it did not see the other deliver it). Raises are
 * committed on B in a loop while A starts, again and again, so the window
 * is hit; every one is then acknowledged on A, and each alert posted once.
 */
await describePg('an instance starting while another commits', () => {
  it('sees every raise committed during its start-up, acknowledges each, and posts none twice', async () => {
    const target = await freshSchema('startup');
    const env = { DATABASE_URL: target.url, DATABASE_SCHEMA: target.schema };
    const b = await startHarness({ env });
    const ids: string[] = [];
    let a: Harness | undefined;
    try {
      for (let round = 0; round < 3; round++) {
        let starting = true;
        const raising = (async () => {
          for (let n = 0; starting || n < 2; n++) {
            ids.push((await raiseViaIntake(b.url, INTAKE_SECRET, `start-${round}-${n}`, { ...ALERT, summary: `during start ${round}.${n}` })).json.id as string);
          }
        })();
        a = await startHarness({ env });
        starting = false;
        await raising;
        // Every click on A applies: A knows each escalation B raised while it started, and records the acknowledgement.
        for (const id of ids.slice(-4)) {
          const res = await postToSlack(a.url, buttonClick(slackUser('jones'), 'escalation.acknowledge', id, SLACK_ESCALATION_CHANNEL, '1700000000.000100'), { secret: SIGNING_SECRET });
          expect(res.status).toBe(200);
        }
        await a.bot.idle();
        await b.bot.idle();
        const acked = new Set((await a.decisions()).filter((r) => r.action === 'escalation.acknowledged').map((r) => r.subject!.id));
        expect(ids.slice(-4).filter((id) => !acked.has(id))).toEqual([]);
        await a.stop();
        a = undefined;
      }
      // Whichever instance delivered each alert, it went once to each place.
      await b.bot.idle();
      for (const id of ids) expect(b.slack.of('chat.postMessage').filter((c) => c.args.channel === SLACK_ESCALATION_CHANNEL && textOf(c.args.blocks).includes(id)).length, id).toBeLessThanOrEqual(1);
      expect(await b.verify()).toMatchObject({ ok: true });
    } finally {
      await a?.stop();
      await b.stop();
      await target.drop();
    }
  }, 120_000);
});
