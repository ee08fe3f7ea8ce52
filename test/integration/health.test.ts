import { rm, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startHarness } from '../helpers/harness.ts';

describe('GET /healthz', () => {
  it('is 200 while storage is writable and 503 once it is not', async () => {
    const h = await startHarness();
    try {
      const ok = await fetch(`${h.url}/healthz`);
      expect([ok.status, await ok.json()]).toEqual([200, { status: 'ok' }]);
      // The data directory disappears under the bot and a file takes its place.
      await rm(h.dataDir, { recursive: true, force: true });
      await writeFile(h.dataDir, 'not a directory');
      const bad = await fetch(`${h.url}/healthz`);
      expect([bad.status, await bad.json()]).toEqual([503, { status: 'storage not writable' }]);
    } finally {
      await h.bot.stop().catch(() => undefined);
      await h.connector.close();
      await h.slack.close();
      await rm(h.dataDir, { force: true });
    }
  });
});
