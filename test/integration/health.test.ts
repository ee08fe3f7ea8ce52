import { rm, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
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
