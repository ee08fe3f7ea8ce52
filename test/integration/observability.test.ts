import { rename } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../bot/domain/clock.ts';
import { eventually } from '../fakes/http.ts';
import { personalMessage, postActivity } from '../fakes/teams-activities.ts';
import { slackUser, teamsUser, TEAMS_ESCALATION_CHANNEL } from '../helpers/config.ts';
import { ackInSlack } from '../helpers/flows.ts';
import { INTAKE_SECRET, startHarness, type Harness } from '../helpers/harness.ts';
import { raiseViaIntake } from '../helpers/intake.ts';

/** One sample's value from Prometheus text, by metric name and labels (in any order). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

/**
 * A scripted morning on the desk, then a scrape of /metrics on the admin
 * port: the counters say what happened, and /readyz says whether the bot
 * can do its work.
 */
describe('metrics, liveness and readiness on the admin port', () => {
  let h: Harness;
  const clock = new ManualClock(new Date('2026-11-25T10:00:00Z'));
  const raise = (key: string, category: string) => raiseViaIntake(h.url, INTAKE_SECRET, key, { contentUrl: `https://x.com/o/status/${key}`, platform: 'X', category, summary: key, area: 'north' });

  beforeAll(async () => {
    h = await startHarness({ clock, installIn: [TEAMS_ESCALATION_CHANNEL] });
    // A Slack outage for the first alert post: the outbox retries, and the error is counted.
    h.slack.failNext.push({ status: 503, method: 'chat.postMessage' });
    const critical = (await raise('m1', 'threat_to_life')).json.id as string;
    await raise('m2', 'intelligence');
    await h.bot.idle();
    clock.set(new Date(clock.now().getTime() + 90_000));
    await ackInSlack(h, slackUser('desk'), critical);
    // The medium one is never acknowledged: each tier of the ladder is pulled in, then the SLA is breached.
    for (let hour = 0; hour < 4; hour++) {
      clock.set(new Date(clock.now().getTime() + 61 * 60_000));
      await h.bot.tick();
    }
    // A form left open.
    await postActivity(h.url, personalMessage(h.connector.url, teamsUser('north'), 'escalate https://x.com/a/status/1'));
    await h.bot.idle();
  }, 60_000);
  afterAll(async () => h?.stop());

  it('serves Prometheus metrics on the admin port (loopback), not on the public one', async () => {
    expect(new URL(h.bot.adminUrl!).hostname).toBe('127.0.0.1');
    expect((await fetch(`${h.url}/metrics`)).status).toBe(404);
    const res = await fetch(`${h.bot.adminUrl}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(sample(text, 'bluedesk_escalations_raised_total', { severity: 'critical' })).toBe(1);
    expect(sample(text, 'bluedesk_escalations_raised_total', { severity: 'medium' })).toBe(1);
    expect(sample(text, 'bluedesk_escalations_acknowledged_total', { severity: 'critical' })).toBe(1);
    expect(sample(text, 'bluedesk_escalation_time_to_acknowledge_seconds_count', { severity: 'critical' })).toBe(1);
    expect(sample(text, 'bluedesk_escalation_time_to_acknowledge_seconds_sum', { severity: 'critical' })).toBe(90);
    expect(sample(text, 'bluedesk_escalations_sla_breached_total', { severity: 'medium' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'bluedesk_escalations_sla_breached_total', { severity: 'critical' })).toBeUndefined();
    expect(sample(text, 'bluedesk_platform_api_errors_total', { platform: 'slack', code: '503' })).toBe(1);
    expect(sample(text, 'bluedesk_http_request_duration_seconds_count', { route: '/api/v1/escalations', method: 'POST', status: '201' })).toBe(2);
    expect(sample(text, 'bluedesk_http_request_duration_seconds_count', { route: '/slack/events', method: 'POST', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'bluedesk_decision_log_append_seconds_count')).toBeGreaterThanOrEqual(4);
    expect(sample(text, 'bluedesk_dialogs_in_progress')).toBe(1);
    expect(sample(text, 'bluedesk_outbox_depth')).toBe(0);
    expect(sample(text, 'bluedesk_outbox_dead_letters')).toBe(0);
    expect(sample(text, 'bluedesk_slack_reachable')).toBe(1);
    expect(sample(text, 'bluedesk_state_bytes')).toBeGreaterThan(1000);
    expect(sample(text, 'bluedesk_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('/livez answers while the process runs; /readyz checks what this instance needs to serve: storage and the decision log', async () => {
    expect((await fetch(`${h.bot.adminUrl}/livez`)).status).toBe(200);
    const ready = await fetch(`${h.bot.adminUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', failing: [], checks: { storage: { ok: true }, decisionLog: { ok: true } } });
    expect((await fetch(`${h.bot.adminUrl}/healthz`)).status).toBe(200);
  });

  it('is not ready when the decision log is moved from under it, and ready again when it is back', async () => {
    await rename(h.bot.decisionLogPath, `${h.bot.decisionLogPath}.moved`);
    const moved = await fetch(`${h.bot.adminUrl}/readyz`);
    expect(moved.status).toBe(503);
    expect(await moved.json()).toMatchObject({ status: 'not ready', failing: ['decisionLog'] });
    // Liveness is not readiness: the process still answers.
    expect((await fetch(`${h.bot.adminUrl}/livez`)).status).toBe(200);
    await rename(`${h.bot.decisionLogPath}.moved`, h.bot.decisionLogPath);
    await eventually(async () => (await fetch(`${h.bot.adminUrl}/readyz`)).status === 200 || undefined, 2000, 'ready again');
  });

  it('gives every response a request id, keeping a sane one the caller sent', async () => {
    const mine = await fetch(`${h.url}/healthz`, { headers: { 'x-request-id': 'lb-1234' } });
    expect(mine.headers.get('x-request-id')).toBe('lb-1234');
    const odd = await fetch(`${h.url}/healthz`, { headers: { 'x-request-id': 'bad id <script>' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
