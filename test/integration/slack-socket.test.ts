import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../fakes/http.ts';
import { buttonClick, modalValues, slashCommand, viewPayload } from '../fakes/slack-requests.ts';
import { slackUser, SLACK_ESCALATION_CHANNEL, USERS } from '../helpers/config.ts';
import { CHOICES } from '../helpers/flows.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { userDeactivated } from '../helpers/leavers.ts';

/** A form-encoded Slack body as Socket Mode carries it: the same fields, as a JSON object. */
const fields = (form: string) => Object.fromEntries(new URLSearchParams(form));
/** An interactivity body (`payload=<JSON>`) as Socket Mode carries it: the payload object itself. */
const payloadOf = (form: string) => JSON.parse(new URLSearchParams(form).get('payload')!);
const text = (x: unknown) => JSON.stringify(x);

/**
 * Slack over Socket Mode: Bluedesk connects out (apps.connections.open with
 * the app-level token, then a WebSocket), Slack's fake sends each command,
 * click and event in an envelope, and every one is acknowledged by its
 * envelope_id with the same answers as over HTTP.
 */
describe('Slack Socket Mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ socketMode: true });
    await h.socket!.connected();
  }, 30_000);
  afterAll(async () => h?.stop());

  it('connects out with the app-level token, and mounts no /slack/events endpoint', async () => {
    expect(h.slack.of('apps.connections.open')[0]!.token).toMatch(/^xapp-/);
    expect((await fetch(`${h.url}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
    await eventually(async () => ((await (await fetch(`${h.bot.adminUrl}/healthz`)).json()) as any).slack.state === 'ok' || undefined, 3000, 'slack connected');
    expect(((await (await fetch(`${h.bot.adminUrl}/healthz`)).json()) as any).slack).toMatchObject({ state: 'ok', socket: 'connected' });
  });

  it('answers a slash command in its acknowledgement, as over HTTP', async () => {
    const ack = await h.socket!.send('slash_commands', fields(slashCommand(slackUser('jones'), '/escalations', '')));
    expect(ack.payload).toMatchObject({ response_type: 'ephemeral' });
    expect(text(ack.payload)).toContain('Open escalations');
  });

  it('raises an escalation through the modal, and a button click acknowledges it', async () => {
    const opened = h.slack.of('views.open').length;
    const ack = await h.socket!.send('slash_commands', fields(slashCommand(slackUser('desk'), '/escalate', 'https://x.com/a/status/77 threat to an officer')));
    expect(ack.payload ?? {}).toEqual({});
    let view = await eventually(() => h.slack.of('views.open')[opened]?.args.view as any, 3000, 'modal');
    const steps: Array<Record<string, string>> = [{ platform: 'X', category: 'threat_to_life', summary: 'Threat to an officer', area: 'north' }, { authorIsVictimOrWitness: 'no' }];
    for (const values of steps) {
      const step = await h.socket!.send('interactive', payloadOf(viewPayload('view_submission', slackUser('desk'), view, modalValues({ contentUrl: 'https://x.com/a/status/77', ...values }, CHOICES))));
      view = (step.payload as any)?.view ?? view;
      if ((step.payload as any)?.response_action !== 'update') break;
    }
    await h.bot.idle();
    const raised = (await h.decisions()).find((r) => r.action === 'escalation.raised')!;
    const id = raised.subject!.id;
    expect(h.slack.of('chat.postMessage').some((c) => c.args.channel === SLACK_ESCALATION_CHANNEL && text(c.args.blocks).includes(id))).toBe(true);
    const click = await h.socket!.send('interactive', payloadOf(buttonClick(slackUser('desk'), 'escalation.acknowledge', id, SLACK_ESCALATION_CHANNEL, '1700000000.000100')));
    expect(click.envelope_id).toBeDefined();
    await h.bot.idle();
    expect((await h.decisions()).some((r) => r.action === 'escalation.acknowledged' && r.subject?.id === id && r.actor?.personId === 'dana.desk')).toBe(true);
  });

  it('handles an event once, even when Slack retries it (retry_attempt)', async () => {
    const body = JSON.parse(userDeactivated(USERS.north.slack));
    await h.socket!.send('events_api', body);
    await h.socket!.send('events_api', body, { retryAttempt: 1, retryReason: 'timeout' });
    await h.bot.idle();
    expect((await h.decisions()).filter((r) => r.action === 'leaver.platform_removed')).toHaveLength(1);
  });

  it('leaves a payload no listener handles unacknowledged, as over HTTP, and carries on serving', async () => {
    await expect(h.socket!.send('interactive', { type: 'no_such_interaction', user: { id: USERS.desk.slack } }, { ms: 1000 })).rejects.toThrow('no ack');
    expect(text((await h.socket!.send('slash_commands', fields(slashCommand(slackUser('jones'), '/escalations', '')))).payload)).toContain('Open escalations');
  });

  it('reconnects through apps.connections.open when Slack recycles the connection, and keeps serving', async () => {
    const before = h.slack.of('apps.connections.open').length;
    h.socket!.disconnect();
    await h.socket!.connected(2);
    expect(h.slack.of('apps.connections.open').length).toBe(before + 1);
    const ack = await h.socket!.send('slash_commands', fields(slashCommand(slackUser('jones'), '/escalations', '')));
    expect(text(ack.payload)).toContain('Open escalations');
  });
});
