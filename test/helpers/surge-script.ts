import { ManualClock } from '../../bot/domain/clock.ts';
import { CATEGORY_SEVERITY, type Category, type Severity } from '../../bot/domain/escalation.ts';
import { SLACK_ESCALATION_CHANNEL, TEAMS_ESCALATION_CHANNEL, USERS, slackUser } from './config.ts';
import { clickInSlack } from './flows.ts';
import { INTAKE_SECRET, startHarness, type Harness } from './harness.ts';
import { intakeHeaders } from './intake.ts';
import { modalInSlack, submitSlackStep } from './leavers.ts';

/** A realistic mix for a contentious-content surge: mostly medium and low, a few high, a handful critical. */
const MIX: Array<[Category, number]> = [
  ['threat_to_life', 2], ['safeguarding', 3], ['abuse_of_staff', 5],
  ['misinformation', 30], ['contentious', 20], ['complaint', 10], ['intelligence', 5], ['other', 25],
];

/** What the scripted surge did, for the test's assertions and the benchmark's figures. */
export interface SurgeRun {
  h: Harness;
  clock: ManualClock;
  raised: Array<{ id: string; category: Category; severity: Severity; at: string; sentAt: number }>;
  /** When the level went from 1 to 2 (surge time). */
  levelChangedAt: string;
}

/**
 * The scripted surge: activation at 14:00 (level 1), the rota's answers,
 * `count` escalations through the signed intake API spread evenly over 30
 * minutes of surge time (the fake clock), the timers ticking every 15 s of
 * surge time, a level change at 14:15, and stand-down at 14:31. Delivery
 * runs in real time (or `transportSpeed` times faster): with no `realGapMs`
 * the 500 go as fast as the intake API takes them (about 15 a second, 50
 * times the surge's rate).
 */
export async function runScriptedSurge(count = 500, opts: { realGapMs?: number; transportSpeed?: number } = {}): Promise<SurgeRun> {
  const clock = new ManualClock(new Date('2026-11-25T14:00:00Z'));
  const h = await startHarness({ clock, installIn: [TEAMS_ESCALATION_CHANNEL], env: { PUBLIC_URL: 'https://bluedesk.test.police.uk' }, ...(opts.transportSpeed ? { transportSpeed: opts.transportSpeed } : {}) });
  await modalInSlack(h, slackUser('comms'), '/surge', '', {
    what: { trigger: 'contentious_content', level: '1', incidentName: 'Viral video', incidentRef: 'CC-0042' },
    scope: { expectedDuration: '2 hours', inChargeId: 'insp.jones' },
  });
  await clickInSlack(h, slackUser('desk'), 'surge.available_now', 'SRG-00001', USERS.desk.slack);
  await clickInSlack(h, slackUser('north'), 'surge.unavailable', 'SRG-00001', USERS.north.slack);
  const weights = MIX.flatMap(([c, n]) => Array.from({ length: n }, () => c));
  const raised: SurgeRun['raised'] = [];
  const start = clock.now().getTime();
  const step = (30 * 60_000) / count;
  let lastTick = start;
  let levelChangedAt = '';
  for (let i = 0; i < count; i++) {
    clock.set(new Date(start + i * step));
    if (!levelChangedAt && clock.now().getTime() >= start + 15 * 60_000) {
      levelChangedAt = clock.now().toISOString();
      const form = await (await clickInSlack(h, slackUser('jones'), 'surge.level', 'SRG-00001', SLACK_ESCALATION_CHANNEL)).modal();
      await submitSlackStep(h, slackUser('jones'), form, { level: '2', reason: 'Reposted by a national account' });
    }
    // Deterministic and spread: the i-th escalation takes the mix's (i × 37 mod 100)-th category.
    const category = weights[(i * 37) % weights.length]!;
    const raw = JSON.stringify({ contentUrl: `https://x.com/v/status/${i}`, platform: 'X', category, summary: `Reply ${i} to the video`, area: i % 2 ? 'north' : 'south' });
    const sentAt = Date.now();
    const res = await fetch(`${h.url}/api/v1/escalations`, { method: 'POST', headers: intakeHeaders(INTAKE_SECRET, `surge-${i}`, raw), body: raw });
    const { id } = (await res.json()) as { id: string };
    raised.push({ id, category, severity: CATEGORY_SEVERITY[category], at: clock.now().toISOString(), sentAt });
    if (clock.now().getTime() - lastTick >= 15_000) {
      lastTick = clock.now().getTime();
      await h.bot.tick();
    }
    if (opts.realGapMs) await new Promise((r) => setTimeout(r, opts.realGapMs));
  }
  clock.set(new Date(start + 30 * 60_000 + 30_000));
  await h.bot.tick();
  await h.bot.idle(120_000);
  clock.set(new Date('2026-11-25T14:31:00Z'));
  const form = await (await clickInSlack(h, slackUser('comms'), 'surge.stand_down', 'SRG-00001', SLACK_ESCALATION_CHANNEL)).modal();
  await submitSlackStep(h, slackUser('comms'), form, { debrief: 'Digest kept the channel readable' });
  await h.bot.tick();
  await h.bot.idle(120_000);
  return { h, clock, raised, levelChangedAt };
}
