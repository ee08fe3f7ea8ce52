import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, startBluedesk } from '../helpers/processes.ts';
import { eventually } from '../fakes/http.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/slack-api.ts';
import { SLACK_ESCALATION_CHANNEL, SLACK_TEAM, testConfig } from '../helpers/config.ts';
import { BOT_TOKEN, INTAKE_SECRET, SIGNING_SECRET } from '../helpers/harness.ts';
import { raiseViaIntake } from '../helpers/intake.ts';
import { textOf } from '../helpers/text.ts';

/** The real entry point in its own process, so it can be killed without warning. */
function startBot(env: Record<string, string>) {
  const p = startBluedesk([], env);
  return { child: p.child, exited: p.exited, url: p.url(), admin: p.adminUrl() };
}
beforeAll(() => ensureBuilt(), 240_000);

describe('the outbox across kill -9', () => {
  let slack: FakeSlackApi;
  afterAll(async () => slack?.close());

  it('delivers each queued alert exactly once after a restart, and never re-sends what was delivered', async () => {
    slack = await startFakeSlackApi({ teamId: SLACK_TEAM });
    const dir = await mkdtemp(join(tmpdir(), 'bd-crash-'));
    const configPath = join(dir, 'force.json');
    await writeFile(configPath, JSON.stringify(testConfig()));
    const env = {
      PORT: '0', ADMIN_PORT: '0', DATA_DIR: join(dir, 'data'), BOT_CONFIG: configPath, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.url, BLUEDESK_INTAKE_SECRET_ORLO: INTAKE_SECRET,
    };
    const body = (n: string) => ({ contentUrl: `https://x.com/k/status/${n}`, platform: 'X', category: 'misinformation', summary: `crash ${n}`, area: 'north' });
    const okPosts = (id: string) => slack.of('chat.postMessage').filter((c) => c.args.channel === SLACK_ESCALATION_CHANNEL && textOf(c.args.blocks).includes(id) && c.result?.ok);

    const first = startBot(env);
    const url1 = await first.url;
    const delivered: string[] = [];
    for (const n of ['a1', 'a2', 'a3']) delivered.push((await raiseViaIntake(url1, INTAKE_SECRET, n, body(n))).json.id);
    await eventually(() => delivered.every((id) => okPosts(id).length === 1), 10_000, 'the first alerts');

    // Slack goes down: the next alerts stay in the outbox, failing and retrying.
    slack.state.down = true;
    const queued: string[] = [];
    for (const n of ['b1', 'b2', 'b3']) {
      const res = await raiseViaIntake(url1, INTAKE_SECRET, n, body(n));
      expect(res.status).toBe(201);
      expect(res.json.delivery.delivered).toEqual([]);
      queued.push(res.json.id);
    }
    await eventually(() => queued.every((id) => slack.of('chat.postMessage').some((c) => textOf(c.args.blocks).includes(id) && c.result?.http === 503)), 10_000, 'failed attempts');
    first.child.kill('SIGKILL');
    await first.exited;

    slack.state.down = false;
    const second = startBot(env);
    await second.url;
    await eventually(() => queued.every((id) => okPosts(id).length === 1), 15_000, 'the queued alerts after the restart');
    await new Promise((r) => setTimeout(r, 1500));
    for (const id of [...delivered, ...queued]) expect(okPosts(id), id).toHaveLength(1);
    // The Teams copies still wait for the bot to be installed in the channel: they survived the kill too.
    const health = await (await fetch(`${await second.admin}/healthz`)).json();
    expect(health.outbox.waiting).toBe(6);
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
