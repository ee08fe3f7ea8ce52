import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESCALATE_MESSAGE_SHORTCUT } from '../../adapters/slack/handlers.ts';
import { eventually, FAKE_IMAGE } from '../fakes/http.ts';
import { messageShortcut, postToSlack } from '../fakes/slack-requests.ts';
import { slackUser, teamsUser } from '../helpers/config.ts';
import { openTeamsForm, submitModal } from '../helpers/flows.ts';
import { SIGNING_SECRET, startHarness, type Harness } from '../helpers/harness.ts';
import { readStored } from '../../data/journal-store.ts';

const IMAGE_SHA = createHash('sha256').update(FAKE_IMAGE).digest('hex');
const TEXT = 'We know where PC Smith lives';
const TEXT_SHA = createHash('sha256').update(TEXT).digest('hex');

describe('evidence: what was seen is fixed by hash, never kept', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.stop());

  const raisedEvidence = async () => ((await h.decisions()).filter((r) => r.action === 'escalation.raised').at(-1)!.details as any).evidence;

  it('Teams: a pasted screenshot is hashed from the connector, and the captured text only by hash', async () => {
    const { submit } = await openTeamsForm(h, teamsUser('desk'), 'escalate https://x.com/a/status/9?s=20 threat', {
      attachments: [
        { contentType: 'image/png', contentUrl: `${h.connector.url}/v3/attachments/0-weu-d1-abc/views/original`, name: 'screenshot.png' },
        { contentType: 'text/html', content: '<p>escalate …</p>' },
      ],
    });
    expect(h.connector.downloads.map((d) => d.path)).toEqual(['/v3/attachments/0-weu-d1-abc/views/original']);
    await submit('content', { contentUrl: 'https://x.com/a/status/9?s=20', platform: 'X', category: 'threat_to_life', summary: 'threat', area: 'north', capturedText: TEXT });
    await submit('author', { authorIsVictimOrWitness: 'no' });
    expect(await raisedEvidence()).toEqual({
      normalisedUrl: 'https://x.com/a/status/9', capturedAt: '2026-11-25T14:00:00.000Z', textSha256: TEXT_SHA,
      attachments: [{ platform: 'teams', fileId: '0-weu-d1-abc', name: 'screenshot.png', sha256: IMAGE_SHA }],
    });
    await h.bot.idle();
    const stored = JSON.stringify(await readStored(join(h.dataDir, 'state.json'))) + JSON.stringify(await readStored(join(h.dataDir, 'dialogs.json'))) + (await readFile(h.bot.decisionLogPath, 'utf8'));
    expect(stored).not.toContain(TEXT);
  });

  it('Slack: "Escalate this message" pre-fills from the message and hashes its files, sending the token only to Slack', async () => {
    const files = [
      { id: 'F0SHOT001', name: 'shot.png', url_private: `${h.slack.host}/files/T0/F0SHOT001/shot.png` },
      { id: 'F0ELSEWHR', name: 'other.png', url_private: `${h.slack.host.replace('127.0.0.1', 'localhost')}/files/T0/F0ELSEWHR/other.png` },
    ];
    const before = h.slack.of('views.open').length;
    const res = await postToSlack(h.url, messageShortcut(slackUser('desk'), ESCALATE_MESSAGE_SHORTCUT, { text: 'Look at this <https://www.facebook.com/p/1|facebook.com/p/1> vile', files }), { secret: SIGNING_SECRET });
    expect(res.status).toBe(200);
    const view = await eventually(() => h.slack.of('views.open')[before]?.args.view as any, 3000, 'modal');
    expect(view.blocks.find((b: any) => b.block_id === 'contentUrl').element.initial_value).toBe('https://www.facebook.com/p/1');
    expect(view.blocks.find((b: any) => b.block_id === 'summary').element.initial_value).toBe('Look at this vile');
    expect(h.slack.downloads).toEqual([{ path: '/files/T0/F0SHOT001/shot.png', authorization: 'Bearer xoxb-test-token' }]);
    const s2 = await submitModal(h, slackUser('desk'), view, { contentUrl: 'https://www.facebook.com/p/1', platform: 'Facebook', category: 'abuse_of_staff', summary: 'vile', area: 'south' });
    await submitModal(h, slackUser('desk'), s2.view, { authorIsVictimOrWitness: 'no' });
    expect((await raisedEvidence()).attachments).toEqual([
      { platform: 'slack', fileId: 'F0SHOT001', name: 'shot.png', sha256: IMAGE_SHA },
      { platform: 'slack', fileId: 'F0ELSEWHR', name: 'other.png' },
    ]);
  });
});
