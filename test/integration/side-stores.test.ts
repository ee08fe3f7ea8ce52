import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyState } from '../../bot/state.ts';
import { readStored } from '../../data/journal-store.ts';
import { personalMessage, postActivity } from '../fakes/teams-activities.ts';
import { slackUser, teamsUser } from '../helpers/config.ts';
import { slashInSlack } from '../helpers/flows.ts';
import { startHarness } from '../helpers/harness.ts';

/** A file as stored: side files are journaled, so their journal counts too. */
const read = async (dir: string, file: string) => readStored(join(dir, file)) as Promise<any>;

/**
 * The busiest writes (a form opening, a Teams message, a Slack event) go to
 * small side files, never rewriting the registers in state.json; an older
 * state.json's slices move across once.
 */
describe('side files for dialogs, conversations and seen events', () => {
  it('moves an older state.json’s dialogs and conversation references into their files, and writes new ones there', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sides-'));
    const legacy = emptyState();
    legacy.teamsConversations['legacy-conv'] = { reference: { conversation: { id: 'legacy-conv' } }, updatedAt: '2026-11-24T10:00:00.000Z' };
    legacy.dialogs['legacy-session'] = { id: 'legacy-session', dialogId: 'escalation-intake', personId: 'dana.desk', stepId: 'content', answers: {}, status: 'open', createdAt: '2026-11-25T13:00:00.000Z', updatedAt: '2026-11-25T13:00:00.000Z' };
    await writeFile(join(dataDir, 'state.json'), JSON.stringify(legacy));
    const h = await startHarness({ dataDir });
    try {
      expect(Object.keys((await read(dataDir, 'conversations.json')).teamsConversations)).toContain('legacy-conv');
      expect(Object.keys((await read(dataDir, 'dialogs.json')).dialogs)).toContain('legacy-session');
      expect((await read(dataDir, 'state.json')).teamsConversations).toEqual({});
      expect((await read(dataDir, 'state.json')).dialogs).toEqual({});
      // A form opening and a Teams message write the side files, not state.json.
      const before = await readFile(join(dataDir, 'state.json'), 'utf8');
      await slashInSlack(h, slackUser('desk'), '/escalate', 'https://x.com/a/status/1');
      await postActivity(h.url, personalMessage(h.connector.url, teamsUser('north'), 'help'));
      await h.bot.idle();
      expect(Object.keys((await read(dataDir, 'dialogs.json')).dialogs)).toHaveLength(2);
      expect(Object.keys((await read(dataDir, 'conversations.json')).teamsConversations).length).toBeGreaterThanOrEqual(2);
      expect(await readFile(join(dataDir, 'state.json'), 'utf8')).toBe(before);
    } finally {
      await h.stop();
    }
  });
});
