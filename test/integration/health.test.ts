import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { personalMessage, postActivity } from '../fakes/teams-activities.ts';
import { teamsUser } from '../helpers/config.ts';
import { startHarness } from '../helpers/harness.ts';

describe('GET /healthz', () => {
  it('is 200 while storage is writable and 503 once it is not; the public one says only that, the admin port has the detail', async () => {
    const h = await startHarness();
    try {
      const ok = await fetch(`${h.url}/healthz`);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ status: 'ok' });
      const detail = await fetch(`${h.bot.adminUrl}/healthz`);
      expect(await detail.json()).toMatchObject({ status: 'ok', problems: [], storage: 'writable', outbox: { depth: 0, deadLetters: 0, deadLettersLastHour: 0 } });
      // The data directory disappears under the bot and a file takes its place.
      await rm(h.dataDir, { recursive: true, force: true });
      await writeFile(h.dataDir, 'not a directory');
      const bad = await fetch(`${h.url}/healthz`);
      expect(bad.status).toBe(503);
      expect(await bad.json()).toEqual({ status: 'storage not writable' });
      expect((await fetch(`${h.bot.adminUrl}/healthz`)).status).toBe(503);
    } finally {
      await h.bot.stop().catch(() => undefined);
      await h.connector.close();
      await h.slack.close();
      await rm(h.dataDir, { force: true });
    }
  });
});

describe('DATA_DIR is owner-only', () => {
  it('creates every file 0600 and folder 0700 (the decision log holds PSD reasons), and tightens what an older version left open', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'bd-modes-'));
    await chmod(dataDir, 0o755);
    await mkdir(join(dataDir, 'archive'), { mode: 0o755 });
    await writeFile(join(dataDir, 'archive', 'escalations.jsonl'), '', { mode: 0o644 });
    const h = await startHarness({ dataDir });
    try {
      await postActivity(h.url, personalMessage(h.connector.url, teamsUser('desk'), 'help'));
      await h.bot.idle();
      await h.bot.stop();
      const modes: Record<string, string> = {};
      for (const name of await readdir(dataDir, { recursive: true })) modes[name] = ((await stat(join(dataDir, name))).mode & 0o777).toString(8);
      modes['.'] = ((await stat(dataDir)).mode & 0o777).toString(8);
      expect(Object.keys(modes)).toEqual(expect.arrayContaining(['decisions.jsonl', 'state.json', 'conversations.json', 'archive', 'archive/escalations.jsonl']));
      expect(Object.entries(modes).filter(([, m]) => m !== '600' && m !== '700')).toEqual([]);
    } finally {
      await h.connector.close();
      await h.slack.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
