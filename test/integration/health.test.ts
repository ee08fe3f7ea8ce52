import { rm, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startHarness } from '../helpers/harness.ts';

describe('GET /healthz', () => {
  it('is 200 while storage is writable and 503 once it is not', async () => {
    const h = await startHarness();
    try {
      const ok = await fetch(`${h.url}/healthz`);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ status: 'ok', storage: 'writable', outbox: { depth: 0, deadLetters: 0 } });
      // The data directory disappears under the bot and a file takes its place.
      await rm(h.dataDir, { recursive: true, force: true });
      await writeFile(h.dataDir, 'not a directory');
      const bad = await fetch(`${h.url}/healthz`);
      expect(bad.status).toBe(503);
      expect(await bad.json()).toMatchObject({ status: 'storage not writable' });
    } finally {
      await h.bot.stop().catch(() => undefined);
      await h.connector.close();
      await h.slack.close();
      await rm(h.dataDir, { force: true });
    }
  });
});
