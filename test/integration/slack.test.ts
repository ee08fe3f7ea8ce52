import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../fakes/http.ts';
import { buttonClick, interactive, modalValues, postToSlack, slashCommand, viewPayload } from '../fakes/slack-requests.ts';
import { SLACK_ESCALATION_CHANNEL, SLACK_TEAM, slackUser } from '../helpers/config.ts';
import { SIGNING_SECRET, startHarness, type Harness } from '../helpers/harness.ts';

const CHOICES = ['platform', 'category', 'area', 'authorIsVictimOrWitness', 'authorAlreadyEngaged'];

describe('Slack: signed requests through Bolt, modals, refusals', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.stop());

  const signed = (body: string, headers?: Record<string, string>) => postToSlack(h.url, body, { secret: SIGNING_SECRET, ...(headers ? { headers } : {}) });

  async function openForm(text: string) {
    const before = h.slack.of('views.open').length;
    const res = await signed(slashCommand(slackUser('desk'), '/escalate', text));
    expect(res.status).toBe(200);
    const call = await eventually(() => h.slack.of('views.open')[before], 3000, 'views.open');
    return call.args as { trigger_id: string; view: { callback_id: string; private_metadata: string; blocks: any[] } };
  }

  it('opens the intake modal pre-filled, with the trigger_id from the command', async () => {
    const { trigger_id, view } = await openForm('https://www.facebook.com/post/1 abusive comments about PCSO');
    expect(trigger_id).toMatch(/\.1234\.abcdef$/);
    expect(view.callback_id).toBe('bluedesk.dialog');
    const url = view.blocks.find((b) => b.block_id === 'contentUrl');
    expect(url.element.initial_value).toBe('https://www.facebook.com/post/1');
    const platform = view.blocks.find((b) => b.block_id === 'platform');
    expect(platform.element.initial_option.value).toBe('Facebook');
  });

  it('answers a command the app was given but Bluedesk does not know with a short note, not silence', async () => {
    const res = await signed(slashCommand(slackUser('desk'), '/weather', 'london'));
    expect(res.status).toBe(200);
    const body = JSON.stringify(await res.json());
    expect(body).toContain('Bluedesk does not know /weather');
    expect(body).toContain('ephemeral');
  });

  it('answers a bad step with response_action errors next to the fields', async () => {
    const { view } = await openForm('');
    const res = await signed(viewPayload('view_submission', slackUser('desk'), view, modalValues({ contentUrl: 'ftp://x', summary: '', platform: 'X', category: 'other', area: 'north' }, CHOICES)));
    expect(res.status).toBe(200);
    const body = res.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors).toEqual({ contentUrl: 'Only http and https links can be escalated.', summary: 'Summary is required.' });
  });

  it('walks the branching steps (victim or witness) and raises the escalation', async () => {
    const { view } = await openForm('https://x.com/a/status/9');
    const step1 = await signed(viewPayload('view_submission', slackUser('desk'), view,
      modalValues({ contentUrl: 'https://x.com/a/status/9', platform: 'X', category: 'safeguarding', summary: 'Child at risk?', area: 'south' }, CHOICES)));
    const next = step1.json() as { response_action: string; view: typeof view };
    expect(next.response_action).toBe('update');
    const step2 = await signed(viewPayload('view_submission', slackUser('desk'), next.view, modalValues({ authorIsVictimOrWitness: 'yes' }, CHOICES)));
    const engagement = step2.json() as { view: typeof view & { blocks: any[] } };
    expect(engagement.view.blocks.map((b) => b.block_id)).toContain('authorAlreadyEngaged');
    const step3 = await signed(viewPayload('view_submission', slackUser('desk'), engagement.view, modalValues({ authorAlreadyEngaged: 'no' }, CHOICES)));
    const done = step3.json() as { response_action: string; view: { blocks: any[] } };
    expect(done.response_action).toBe('update');
    expect(JSON.stringify(done.view.blocks)).toMatch(/Escalation ESC-\d{5} raised/);
    const alert = await eventually(() => h.slack.of('chat.postMessage').find((c) => c.args.channel === SLACK_ESCALATION_CHANNEL), 3000, 'alert');
    expect(JSON.stringify(alert.args.blocks)).toContain('NOT engaged with the force on this channel');
  });

  it('cancels the dialog when the modal is closed', async () => {
    const { view } = await openForm('');
    expect((await signed(viewPayload('view_closed', slackUser('desk'), view))).status).toBe(200);
    const res = await signed(viewPayload('view_submission', slackUser('desk'), view, modalValues({ contentUrl: 'https://x.com/1', platform: 'X', category: 'other', summary: 's', area: 'north' }, CHOICES)));
    expect(JSON.stringify(res.json())).toContain('cancelled');
  });

  it('refuses an unknown user politely and records the attempt', async () => {
    const stranger = { userId: 'U0STRANGER', teamId: SLACK_TEAM };
    const res = await signed(slashCommand(stranger, '/escalate', 'https://x.com/1'));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.json())).toContain('Ask the digital desk supervisor for access.');
    const last = (await h.decisions()).at(-1)!;
    expect(last).toMatchObject({ action: 'access.refused', outcome: 'refused', reason: 'unknown-person', actor: { identity: `slack:${SLACK_TEAM}/U0STRANGER` } });
  });

  it('refuses a request from another workspace', async () => {
    const res = await signed(slashCommand({ userId: 'U0DESK0001', teamId: 'T0OTHERWS1' }, '/escalate', ''));
    expect(JSON.stringify(res.json())).toContain('only serves the force');
    expect((await h.decisions()).at(-1)).toMatchObject({ action: 'access.refused', reason: 'tenant-not-allowed' });
  });

  it('refuses an acknowledgement from a role that may not, tells them, and records it', async () => {
    const { view } = await openForm('https://x.com/b/status/2');
    const s1 = await signed(viewPayload('view_submission', slackUser('desk'), view, modalValues({ contentUrl: 'https://x.com/b/status/2', platform: 'X', category: 'misinformation', summary: 'Fake road closure', area: 'north' }, CHOICES)));
    const s2 = await signed(viewPayload('view_submission', slackUser('desk'), (s1.json() as any).view, modalValues({ authorIsVictimOrWitness: 'no' }, CHOICES)));
    const id = JSON.stringify(s2.json()).match(/ESC-\d{5}/)![0];
    const res = await signed(buttonClick(slackUser('infoman'), 'escalation.acknowledge', id, SLACK_ESCALATION_CHANNEL, '1.2'));
    expect(res.status).toBe(200);
    const eph = await eventually(() => h.slack.of('chat.postEphemeral').find((c) => c.args.user === slackUser('infoman').userId), 3000, 'ephemeral');
    expect(JSON.stringify(eph.args.blocks)).toContain('Not permitted');
    const records = await h.decisions();
    expect(records.at(-1)).toMatchObject({ action: 'escalation.acknowledge', outcome: 'refused', subject: { type: 'escalation', id }, actor: { personId: 'ian.im' } });
  });

  it('lets a neighbourhood officer acknowledge in their own area only', async () => {
    const { view } = await openForm('');
    const s1 = await signed(viewPayload('view_submission', slackUser('desk'), view, modalValues({ contentUrl: 'https://x.com/c/status/3', platform: 'X', category: 'contentious', summary: 'Local row', area: 'south' }, CHOICES)));
    const s2 = await signed(viewPayload('view_submission', slackUser('desk'), (s1.json() as any).view, modalValues({ authorIsVictimOrWitness: 'unknown' }, CHOICES)));
    const id = JSON.stringify(s2.json()).match(/ESC-\d{5}/)![0];
    await signed(buttonClick(slackUser('north'), 'escalation.acknowledge', id, SLACK_ESCALATION_CHANNEL, '1.3'));
    const refused = await eventually(() => h.slack.of('chat.postEphemeral').find((c) => c.args.user === slackUser('north').userId), 3000, 'refusal');
    expect(JSON.stringify(refused.args.blocks)).toContain('(own area)');
  });

  describe('requests that must be refused', () => {
    const body = () => slashCommand(slackUser('desk'), '/escalate', 'https://x.com/1');

    it('unsigned → 401', async () => {
      expect((await postToSlack(h.url, body())).status).toBe(401);
    });

    it('badly signed → 401', async () => {
      expect((await postToSlack(h.url, body(), { secret: 'wrong-secret' })).status).toBe(401);
      expect((await postToSlack(h.url, body(), { secret: SIGNING_SECRET, signature: 'v0=deadbeef' })).status).toBe(401);
    });

    it('more than five minutes old → 401', async () => {
      const stale = Math.floor(Date.now() / 1000) - 301;
      expect((await postToSlack(h.url, body(), { secret: SIGNING_SECRET, timestamp: stale })).status).toBe(401);
    });

    it('a body altered after signing → 401', async () => {
      const original = body();
      const ts = Math.floor(Date.now() / 1000);
      const { slackSignature } = await import('../fakes/slack-requests.ts');
      const sig = slackSignature(SIGNING_SECRET, ts, original);
      expect((await postToSlack(h.url, original.replace('desk', 'jones'), { timestamp: ts, signature: sig })).status).toBe(401);
    });

    it('signed but malformed payloads get 4xx, never 5xx', async () => {
      const before = (await h.decisions()).length;
      const cases = [
        'payload=%7Bnot-json',
        interactive({ type: 'block_actions' }),
        interactive({ type: 'view_submission', view: { callback_id: 'bluedesk.dialog', private_metadata: 'garbage', state: { values: {} } }, user: { id: 'U0DESK0001', team_id: SLACK_TEAM }, team: { id: SLACK_TEAM } }),
        JSON.stringify({ type: 'event_callback' }),
      ];
      for (const c of cases) {
        const res = await signed(c);
        expect(res.status, c).toBeLessThan(500);
      }
      // Nothing was recorded for any of them.
      expect((await h.decisions()).length).toBe(before);
    });
  });
});
