import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../bot/domain/escalation.ts';
import { SLACK_ESCALATION_CHANNEL, TEAMS_ESCALATION_CHANNEL } from '../helpers/config.ts';
import { runScriptedSurge, type SurgeRun } from '../helpers/surge-script.ts';
import { adaptiveCardProblems } from '../helpers/adaptive-cards.ts';
import { blockKitProblems } from '../helpers/block-kit.ts';

const text = (x: unknown) => JSON.stringify(x);

/**
 * The scripted surge on the fake clock: activation, 500 escalations over 30
 * minutes, rota answers, a level change, stand-down. The cards, digests,
 * summary, chart and decision log are checked, and the Teams pacing limits.
 */
describe('a scripted surge of 500 escalations', () => {
  let run: SurgeRun;
  beforeAll(async () => {
    // Delivery's pacing runs on transport time ten times faster than real time; the pacing check reads arrivals on it.
    run = await runScriptedSurge(500, { transportSpeed: 10 });
  }, 240_000);
  afterAll(async () => run?.h.stop());

  it('posts critical and high escalations one by one, and the rest only in one digest per channel', () => {
    const { h, raised } = run;
    const urgent = raised.filter((r) => r.severity === 'critical' || r.severity === 'high');
    const rest = raised.filter((r) => !urgent.includes(r));
    expect(urgent.length).toBe(50);
    expect(rest.length).toBe(450);
    const slackPosts = h.slack.of('chat.postMessage').filter((c) => c.args.channel === SLACK_ESCALATION_CHANNEL);
    const teamsPosts = h.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === TEAMS_ESCALATION_CHANNEL);
    for (const posts of [slackPosts.map((c) => text(c.args)), teamsPosts.map((c) => text(c.body))]) {
      for (const r of urgent) expect(posts.filter((p) => p.includes(`· ${r.id}`)).length).toBe(1);
      for (const r of rest.slice(0, 40)) expect(posts.filter((p) => p.includes(`· ${r.id}`) && p.includes('Awaiting acknowledgement') && !p.includes('Surge digest'))).toEqual([]);
      expect(posts.filter((p) => p.includes('Surge digest'))).toHaveLength(1);
      expect(posts.filter((p) => p.includes('Surge summary'))).toHaveLength(1);
      expect(posts.filter((p) => p.includes('SURGE · level 1'))).toHaveLength(1);
    }
  });

  it('updates each digest in place, at most every 30 s of surge time, ending with every digested escalation counted', () => {
    const { h, raised } = run;
    const digested = raised.filter((r) => r.severity === 'medium' || r.severity === 'low');
    const slackUpdates = h.slack.of('chat.update').filter((c) => c.args.channel === SLACK_ESCALATION_CHANNEL && text(c.args).includes('Surge digest'));
    expect(slackUpdates.length).toBeGreaterThan(20);
    expect(slackUpdates.length).toBeLessThanOrEqual(62);
    const last = text(slackUpdates.at(-1)!.args);
    expect(last).toContain(`${digested.length} escalation(s) of medium severity and below`);
    expect(last).toContain(`Misinformation ${digested.filter((r) => r.category === 'misinformation').length}`);
    for (const c of [...slackUpdates.slice(-1)]) expect(blockKitProblems(c.args as any, 'message')).toEqual([]);
    // Teams' copy may have been updated less often (the channel's pacing put the alerts first), but it ends up the same.
    const teamsDigest = h.connector.calls.filter((c) => c.conversationId === TEAMS_ESCALATION_CHANNEL && text(c.body).includes('Surge digest'));
    expect(adaptiveCardProblems(teamsDigest.at(-1)!.body.attachments![0]!.content)).toEqual([]);
    expect(text(teamsDigest.at(-1)!.body)).toContain(`${digested.length} escalation(s) of medium severity and below`);
  });

  it('never sends one Teams conversation more than 7 messages in a second, or 8 in two', () => {
    const byConversation = new Map<string, number[]>();
    for (const c of run.h.connector.calls.filter((x) => x.conversationId)) byConversation.set(c.conversationId, [...(byConversation.get(c.conversationId) ?? []), run.h.transport!.at(c.at)]);
    for (const [, times] of byConversation) {
      const sorted = times.sort((a, b) => a - b);
      for (const t of sorted) {
        expect(sorted.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(7);
        expect(sorted.filter((u) => u >= t && u < t + 2000).length).toBeLessThanOrEqual(8);
      }
    }
  });

  it('records the surge, and stands down with a summary and a chart that match the escalations', async () => {
    const { h, raised, levelChangedAt } = run;
    const log = await h.decisions();
    expect(log.filter((r) => r.subject?.type === 'surge' && r.outcome === 'done').map((r) => r.action)).toEqual(['surge.activated', 'surge.answered', 'surge.answered', 'surge.level_raised', 'surge.stood_down', 'surge.chart_kept']);
    expect(log.filter((r) => r.action === 'escalation.raised')).toHaveLength(500);
    const down = log.find((r) => r.action === 'surge.stood_down')!.details as any;
    const counts = Object.fromEntries(SEVERITIES.map((s) => [s, raised.filter((r) => r.severity === s).length]));
    expect(down).toMatchObject({ raised: 500, peakLevel: 2, bySeverity: counts, responders: ['dana.desk'] });
    // The chart's data, per 15 minutes and severity, is the escalations' own.
    for (const s of SEVERITIES) {
      const expected = [0, 1, 2].map((q) => raised.filter((r) => r.severity === s && Math.floor((Date.parse(r.at) - Date.parse('2026-11-25T14:00:00Z')) / 900_000) === q).length);
      expect(down.perQuarterHour[s]).toEqual(expected);
    }
    expect(down.levelChanges).toEqual([{ bucket: 0, level: 1 }, { bucket: Math.floor((Date.parse(levelChangedAt) - Date.parse('2026-11-25T14:00:00Z')) / 900_000), level: 2 }]);
    const kept = log.filter((r) => r.action === 'surge.chart_kept').map((r) => (r.details as { sha256: string }).sha256);
    expect(kept).toHaveLength(1);
    const png = await readFile(join(h.dataDir, 'charts', `${kept[0]}.png`));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([960, 540]);
    expect(png.length).toBeGreaterThan(10_000);
    const summary = h.slack.of('chat.postMessage').find((c) => text(c.args).includes('Surge summary'))!;
    expect(blockKitProblems(summary.args as any, 'message')).toEqual([]);
    const teamsSummary = h.connector.calls.find((c) => text(c.body).includes('Surge summary'))!;
    expect(adaptiveCardProblems(teamsSummary.body.attachments![0]!.content)).toEqual([]);
  });
});
