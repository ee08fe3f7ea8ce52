import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../bot/domain/clock.ts';
import { buttonClick, postToSlack } from '../fakes/slack-requests.ts';
import { SLACK_ESCALATION_CHANNEL, slackUser } from '../helpers/config.ts';
import { INTAKE_SECRET, SIGNING_SECRET, restoreState, saveState, startHarness } from '../helpers/harness.ts';
import { raiseViaIntake } from '../helpers/intake.ts';

const body = (n: string) => ({ contentUrl: `https://x.com/r/status/${n}`, platform: 'X', category: 'misinformation', summary: `recovery ${n}`, area: 'north' });

describe('the decision log is the write-ahead log: state catches up at start-up', () => {
  it('after a crash that saved the log but not state, nothing is lost, no id is handed out twice, and a retry raises nothing new', async () => {
    const h = await startHarness();
    try {
      const first = await raiseViaIntake(h.url, INTAKE_SECRET, 'k1', body('1'));
      await h.bot.idle();
      // State as it stood on disk: what a crash right after the next log appends would leave.
      await saveState(h.dataDir);
      const second = await raiseViaIntake(h.url, INTAKE_SECRET, 'k2', body('2'));
      const ts = h.slack.of('chat.postMessage').find((c) => JSON.stringify(c.args.blocks).includes(first.json.id))!.result!.ts as string;
      expect((await postToSlack(h.url, buttonClick(slackUser('jones'), 'escalation.acknowledge', first.json.id, SLACK_ESCALATION_CHANNEL, ts), { secret: SIGNING_SECRET })).status).toBe(200);
      await h.bot.idle();

      await h.restart(() => restoreState(h.dataDir));
      expect(h.log.lines.find((l) => l.msg.startsWith('recovered decisions from the log'))?.fields).toMatchObject({ records: 2 });
      // Its SLA timer, derived from it, is back too.
      const timers = (await h.stored('timers'));
      expect(Object.keys(timers)).toContain(`${second.json.id}:acknowledge`);

      // The second escalation and the acknowledgement are back; a retry answers with the same id.
      const retry = await raiseViaIntake(h.url, INTAKE_SECRET, 'k2', body('2'));
      expect([retry.status, retry.json.id]).toEqual([201, second.json.id]);
      const third = await raiseViaIntake(h.url, INTAKE_SECRET, 'k3', body('3'));
      expect(third.json.id).toBe('ESC-00003');
      const again = await postToSlack(h.url, buttonClick(slackUser('desk'), 'escalation.acknowledge', first.json.id, SLACK_ESCALATION_CHANNEL, ts), { secret: SIGNING_SECRET });
      expect(again.status).toBe(200);
      await h.bot.idle();
      const log = await h.decisions();
      const raised = log.filter((r) => r.action === 'escalation.raised').map((r) => r.subject!.id);
      expect(raised).toEqual(['ESC-00001', 'ESC-00002', 'ESC-00003']);
      expect(log.filter((r) => r.action === 'escalation.acknowledged').map((r) => r.subject!.id)).toEqual(['ESC-00001']);
      expect(await h.verify()).toMatchObject({ ok: true });
    } finally {
      await h.stop();
    }
  });
});

describe('timers after a crash', () => {
  it('a crash after an SLA tier was raised but before its timer was moved on does not raise the next tier early', async () => {
    const clock = new ManualClock(new Date('2026-11-25T10:00:00Z'));
    const h = await startHarness({ clock });
    try {
      const { json } = await raiseViaIntake(h.url, INTAKE_SECRET, 't1', body('t1'));
      await h.bot.idle();
      await saveState(h.dataDir);
      clock.advance(61 * 60_000);
      await h.bot.tick();
      // State loses the tier and the timer's move; the log keeps the tier.
      await h.restart(() => restoreState(h.dataDir));
      await h.bot.tick();
      const tiers = async () => (await h.decisions()).filter((r) => r.subject?.id === json.id && r.action === 'escalation.tier_raised').map((r) => (r.details as { tier: number }).tier);
      expect(await tiers()).toEqual([1]);
      clock.advance(61 * 60_000);
      await h.bot.tick();
      expect(await tiers()).toEqual([1, 2]);
    } finally {
      await h.stop();
    }
  });
});
