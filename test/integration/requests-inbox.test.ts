import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../fakes/http.ts';
import { withRecords } from '../helpers/config.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';

/**
 * The records command line leaves requests in DATA_DIR/requests for the
 * running server. Someone who can write there is trusted as far as reading
 * the log, and no further: what sits at a request's name is never followed
 * or blocked on, and the OS account recorded is the file's real owner.
 */
describe('the requests folder, attacked from inside', () => {
  let h: Harness;
  const dir = () => join(h.dataDir, 'requests');
  const me = { platform: 'cli', osUser: userInfo().username, host: hostname(), uid: userInfo().uid };
  async function ask(via: Record<string, unknown> = me, id = randomUUID()): Promise<{ ok: boolean; message: string }> {
    await writeFile(join(dir(), `${id}.tmp`), JSON.stringify({ request: { op: 'log-head', as: 'ian.im' }, via }), { mode: 0o600 });
    await rename(join(dir(), `${id}.tmp`), join(dir(), `${id}.request.json`));
    const text = await eventually(() => readFile(join(dir(), `${id}.result.json`), 'utf8'), 10_000, 'the result');
    return JSON.parse(text);
  }

  beforeAll(async () => {
    h = await startHarness({ config: withRecords() });
  });
  afterAll(async () => h?.stop());

  it('never follows a link planted where the result is written', async () => {
    const victim = join(h.dataDir, 'victim.txt');
    await writeFile(victim, 'precious');
    const id = randomUUID();
    await symlink(victim, join(dir(), `${id}.result.tmp`));
    const result = await ask(me, id);
    expect(result.ok).toBe(true);
    expect(await readFile(victim, 'utf8')).toBe('precious');
  });

  it('is not blocked by a FIFO named as a request: later requests are answered, and the server stops cleanly', async () => {
    execFileSync('mkfifo', [join(dir(), `${randomUUID()}.request.json`)]);
    expect((await ask()).ok).toBe(true);
  });

  it('refuses a request claiming another OS account than its file’s owner, and records nobody false', async () => {
    const forged = await ask({ ...me, osUser: 'mallory', uid: me.uid + 4242 });
    expect(forged.ok).toBe(false);
    expect(forged.message).toContain('another OS account');
    expect(JSON.stringify(await h.decisions())).not.toContain('mallory');
    // An honest one is recorded as the file's real owner.
    expect((await ask()).ok).toBe(true);
    expect((await h.decisions()).at(-1)?.actor?.identity).toBe(`cli:${me.osUser}@${me.host}`);
  });
});
