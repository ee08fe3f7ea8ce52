import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonClick, interactive, postToSlack, slashCommand } from '../fakes/slack-requests.ts';
import { cardAction, personalMessage, postActivity } from '../fakes/teams-activities.ts';
import { SLACK_ESCALATION_CHANNEL, TEAMS_ESCALATION_CHANNEL, TENANT, slackUser, teamsUser } from '../helpers/config.ts';
import { INTAKE_SECRET, SIGNING_SECRET, startHarness, type Harness } from '../helpers/harness.ts';
import { readStored } from '../../data/journal-store.ts';
import { intakeHeaders } from '../helpers/intake.ts';
import { textOf } from '../helpers/text.ts';
import { userDeactivated } from '../helpers/leavers.ts';

/** A value nested `depth` deep, as an attacker would send to make the bot store or walk it. */
const deep = (depth: number, leaf: unknown = 'x'): unknown => Array.from({ length: depth }).reduce<unknown>((v) => [v], leaf);
const deepObject = (depth: number): unknown => Array.from({ length: depth }).reduce<unknown>((v) => ({ name: v }), 'x');

/** Values of the wrong type, deep nesting and Unicode edge cases, for mutating published payloads. */
const hostile = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1e308, '', [], {}, '__proto__', 'constructor', '\uD800', 'a\uDC00b', '𝒳'.repeat(50), '\u0000', '<!channel>', '${1+1}', 'x'.repeat(40_000)),
  fc.string(),
  fc.integer(),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.integer({ min: 50, max: 3000 }).map((n) => deep(n)),
  fc.integer({ min: 50, max: 3000 }).map((n) => deepObject(n)),
);

/** Replaces (or adds) the value at a path chosen from the payload's own keys. */
function mutate(base: Record<string, unknown>, pathPick: number[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(base);
  let node: Record<string, unknown> = copy;
  for (const pick of pathPick) {
    const keys = Object.keys(node);
    if (!keys.length) break;
    const key = keys[pick % keys.length]!;
    const next = node[key];
    if (next && typeof next === 'object' && !Array.isArray(next) && pathPick.indexOf(pick) < pathPick.length - 1) {
      node = next as Record<string, unknown>;
      continue;
    }
    node[key] = value;
    return copy;
  }
  node.extra = value;
  return copy;
}

describe('hostile input: every request gets a clear 4xx or a normal answer, never a 5xx or a crash', () => {
  let h: Harness;
  let cases = 0;
  beforeAll(async () => {
    h = await startHarness({ installIn: [TEAMS_ESCALATION_CHANNEL] });
  });
  afterAll(async () => {
    process.stdout.write(`hostile-input property cases run: ${cases}\n`);
    await h.stop();
  });
  const logLength = async () => (await h.decisions()).length;
  const stillServing = async () => expect((await postActivity(h.url, personalMessage(h.connector.url, teamsUser('desk'), 'help'))).status).toBe(200);

  it('a signed Slack body that parses to null (form or JSON) is refused with 400, and the bot keeps serving', async () => {
    for (const [body, contentType] of [['payload=null', 'application/x-www-form-urlencoded'], ['null', 'application/json'], ['payload=%5B%5D', 'application/x-www-form-urlencoded'], ['"text"', 'application/json']] as const) {
      const res = await postToSlack(h.url, body, { secret: SIGNING_SECRET, contentType });
      expect(res.status, body).toBe(400);
    }
    await stillServing();
  });

  it('refuses Slack requests signed 10 minutes in the future as well as in the past', async () => {
    const body = slashCommand(slackUser('desk'), '/escalations', '');
    expect((await postToSlack(h.url, body, { secret: SIGNING_SECRET, timestamp: Math.floor(Date.now() / 1000) + 600 })).status).toBe(401);
    expect((await postToSlack(h.url, body, { secret: SIGNING_SECRET, timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
  });

  it('answers each malformed Teams activity the fuzz run found with 400 and a reason', async () => {
    const good = personalMessage(h.connector.url, teamsUser('desk'), 'help');
    const { recipient: _r, ...noRecipient } = good;
    const bad: unknown[] = [
      noRecipient,
      { ...good, entities: [{ type: -1 }] },
      { ...good, text: [] },
      { ...good, channelData: { tenant: { id: 42 } } },
      { ...good, from: { ...good.from, aadObjectId: {} } },
      { ...good, recipient: { ...good.recipient, name: true } },
      { ...good, type: 'conversationUpdate', membersRemoved: 'x' },
      { ...good, attachments: 'x' },
      { ...good, conversation: { ...good.conversation, id: 'a:\uD800personal' } },
      // 6,000 deep is past what JSON.stringify can walk here, so the body is written as text.
      JSON.stringify({ ...good, channelData: { tenant: { id: TENANT }, channel: { id: '19:c@thread.tacv2', name: 'DEEP' } } }).replace('"DEEP"', `${'{"name":'.repeat(6000)}"x"${'}'.repeat(6000)}`),
    ];
    const before = await logLength();
    for (const activity of bad) {
      const res = await postActivity(h.url, activity);
      expect(res.status, (typeof activity === 'string' ? activity : JSON.stringify(activity)).slice(0, 120)).toBe(400);
      expect(res.body.message).toMatch(/^activity\./);
    }
    expect(await logLength()).toBe(before);
    await stillServing();
  });

  it('answers a mention entity the library would read unchecked: no text, or `mentioned` null, is never a 500', async () => {
    const good = personalMessage(h.connector.url, teamsUser('desk'), 'help');
    const channel = { ...good, conversation: { conversationType: 'channel', isGroup: true, tenantId: TENANT, id: '19:fuzz@thread.tacv2' } };
    // The fuzz run's two minimal payloads: a mention and no text (botbuilder's mention removal read text.replace), and `mentioned: null` (it read .id).
    const { text: _t, ...noText } = channel;
    const noTextRes = await postActivity(h.url, { ...noText, entities: [{ mentioned: { id: good.recipient.id }, type: 'mention' }] });
    expect(noTextRes.status).toBe(200);
    const nullMentioned = await postActivity(h.url, { ...channel, entities: [{ mentioned: null, type: 'mention' }] });
    expect(nullMentioned.status).toBe(400);
    expect(nullMentioned.body.message).toMatch(/^activity\.entities\.0\.mentioned/);
    for (const entity of [{ type: 'Mention', mentioned: 7 }, { type: 'mention', mentioned: { id: 9 } }, { type: 'mention', mentioned: { id: good.recipient.id }, text: {} }]) {
      expect((await postActivity(h.url, { ...channel, entities: [entity] })).status, JSON.stringify(entity)).toBe(400);
    }
    // A well-formed mention whose text is not in the message is simply not stripped.
    const odd = await postActivity(h.url, { ...channel, text: 'help', entities: [{ type: 'mention', mentioned: { id: good.recipient.id }, text: '<at>Someone else</at>' }] });
    expect(odd.status).toBe(200);
    await stillServing();
  });

  it('answers a signed Slack request no listener handles at once, without holding the connection for Bolt’s 3 seconds', async () => {
    const bodies = [
      JSON.stringify({ type: 'event_callback', team_id: 'T0EXAMPLE', event: { type: 'reaction_added', user: 'U1', item: {} }, event_id: 'Ev1', event_time: 1 }),
      interactive({ type: 'message_action', callback_id: 'not_ours', team: { id: 'T0' }, user: { id: 'U1' }, trigger_id: '1.2', channel: { id: 'C1' }, message: { ts: '1.2' } }),
      interactive({ type: 'shortcut', callback_id: 'not_ours', team: { id: 'T0' }, user: { id: 'U1' }, trigger_id: '1.2' }),
      interactive({ type: 'view_closed', team: { id: 'T0' }, user: { id: 'U1' }, view: { callback_id: 'not_ours', id: 'V1' } }),
    ];
    for (const body of bodies) {
      const started = Date.now();
      const res = await postToSlack(h.url, body, { secret: SIGNING_SECRET, contentType: body.startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded' });
      expect(res.status, body.slice(0, 80)).toBe(200);
      // Not Bolt's 404 after its 3-second wait for a listener.
      expect(Date.now() - started, body.slice(0, 80)).toBeLessThan(2000);
    }
  });

  it('stores only the validated fields of a conversation reference: a 3,000-deep array in `from` does not bloat state', async () => {
    const activity = { ...personalMessage(h.connector.url, teamsUser('jones'), 'help'), from: { ...personalMessage(h.connector.url, teamsUser('jones'), '').from, extra: deep(3000) } };
    expect((await postActivity(h.url, activity)).status).toBe(200);
    await h.bot.idle();
    // References live in conversations.json (and its journal); state is checked as well.
    const state = JSON.stringify(await readStored(join(h.dataDir, 'conversations.json')));
    expect(JSON.stringify(await readStored(join(h.dataDir, 'state.json')))).not.toContain('[[[[');
    expect(state).not.toContain('[[[[');
    expect(state.length).toBeLessThan(200_000);
    expect(state.startsWith('{"')).toBe(true); // written compactly
  });

  it('treats ids such as __proto__ and constructor as unknown records, not as crashes', async () => {
    for (const id of ['__proto__', 'constructor', 'hasOwnProperty', 'toString']) {
      const teams = await postActivity(h.url, cardAction(h.connector.url, teamsUser('jones'), TEAMS_ESCALATION_CHANNEL, 'escalation.acknowledge', { escalationId: id }));
      expect(teams.status, id).toBe(200);
      expect(textOf(teams.body)).toContain(`There is no escalation ${id}`);
      const form = await postActivity(h.url, cardAction(h.connector.url, teamsUser('jones'), TEAMS_ESCALATION_CHANNEL, 'dialog.submit', { sessionId: id, stepId: id }));
      expect(form.status, id).toBe(200);
      const slack = await postToSlack(h.url, buttonClick(slackUser('jones'), 'escalation.acknowledge', id, SLACK_ESCALATION_CHANNEL, '1.2'), { secret: SIGNING_SECRET });
      expect(slack.status, id).toBe(200);
    }
    await stillServing();
  });

  it('records only a bounded command name when an outsider writes to the bot', async () => {
    const long = `${'w'.repeat(5000)} and then a whole message about someone`;
    await postActivity(h.url, personalMessage(h.connector.url, { aadObjectId: 'aad-outsider', tenantId: TENANT }, long));
    const refusal = (await h.decisions()).at(-1)!;
    expect(refusal).toMatchObject({ action: 'access.refused', details: { attempted: 'w'.repeat(40) } });
  });

  it('property: mutated Teams activities never get a 5xx, and a refused one records nothing', async () => {
    const base = personalMessage(h.connector.url, teamsUser('desk'), 'help') as unknown as Record<string, unknown>;
    await fc.assert(fc.asyncProperty(fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), hostile, async (path, value) => {
      cases += 1;
      const before = await logLength();
      const res = await postActivity(h.url, mutate(base, path, value));
      if (res.status >= 500) return false;
      if (res.status >= 400 && (await logLength()) !== before) return false;
      return true;
    }), { numRuns: 300 });
    await stillServing();
  });

  it('property: mutated signed Slack payloads never get a 5xx or crash the bot', async () => {
    const click = JSON.parse(decodeURIComponent(buttonClick(slackUser('jones'), 'escalation.acknowledge', 'ESC-99999', SLACK_ESCALATION_CHANNEL, '1.2').replace(/^payload=/, ''))) as Record<string, unknown>;
    await fc.assert(fc.asyncProperty(fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), hostile, fc.boolean(), async (path, value, asJson) => {
      cases += 1;
      const mutated = mutate(click, path, value);
      const body = asJson ? JSON.stringify(value) : interactive(mutated);
      const res = await postToSlack(h.url, body, { secret: SIGNING_SECRET, contentType: asJson ? 'application/json' : 'application/x-www-form-urlencoded' });
      return res.status < 500;
    }), { numRuns: 120 });
    await stillServing();
  }, 120_000);

  it('property: mutated signed user_change events and checklist clicks never get a 5xx or crash the bot', async () => {
    const event = JSON.parse(userDeactivated('U0STRANGER')) as Record<string, unknown>;
    const tick = JSON.parse(decodeURIComponent(buttonClick(slackUser('sec'), 'leaver.tick:1', 'LVR-00001:1', 'U0SECUR001', '1.2').replace(/^payload=/, ''))) as Record<string, unknown>;
    await fc.assert(fc.asyncProperty(fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), hostile, fc.boolean(), async (path, value, asEvent) => {
      cases += 1;
      const res = asEvent
        ? await postToSlack(h.url, JSON.stringify(mutate(event, path, value)), { secret: SIGNING_SECRET, contentType: 'application/json' })
        : await postToSlack(h.url, interactive(mutate(tick, path, value)), { secret: SIGNING_SECRET });
      return res.status < 500;
    }), { numRuns: 80 });
    await stillServing();
    await h.bot.idle();
    // A stranger's deactivation offers nothing to anyone.
    expect((await h.decisions()).filter((r) => r.action === 'leaver.platform_removed')).toEqual([]);
  }, 120_000);

  it('property: mutated signed intake bodies never get a 5xx, and a refused one records nothing', async () => {
    const good = { contentUrl: 'https://x.com/a/status/1', platform: 'X', category: 'misinformation', summary: 'fuzz', area: 'north' };
    let n = 0;
    await fc.assert(fc.asyncProperty(fc.array(fc.nat(), { minLength: 1, maxLength: 2 }), hostile, async (path, value) => {
      cases += 1;
      const raw = JSON.stringify(mutate(good, path, value));
      const before = await logLength();
      const res = await fetch(`${h.url}/api/v1/escalations`, { method: 'POST', headers: intakeHeaders(INTAKE_SECRET, `fuzz-${n++}`, raw), body: raw });
      await res.arrayBuffer();
      if (res.status >= 500) return false;
      if (res.status >= 400 && (await logLength()) !== before) return false;
      return true;
    }), { numRuns: 300 });
  });
});
