import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../fakes/http.ts';
import { ensureBuilt, startBluedesk, startCommand, type Proc } from '../helpers/processes.ts';

/** The real entry point (the compiled bin the image and the service run), from the repository root. */
const bot = (env: Record<string, string>) => startBluedesk([], { PORT: '0', ADMIN_PORT: '0', ...env });
const urlOf = (p: Proc) => p.url(20_000);
const tmp = () => mkdtemp(join(tmpdir(), 'bd-start-'));
beforeAll(() => ensureBuilt(), 240_000);

describe('starting and stopping the process', () => {
  it('anonymous local mode listens on 127.0.0.1 only and says so; HOST widens it with a warning', async () => {
    const local = bot({ DATA_DIR: await tmp() });
    expect(await urlOf(local)).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(local.output()).toContain('"listen":"127.0.0.1 only, port ');
    // The warning goes to stderr and the start-up line to stdout: under load either pipe can be read first.
    const says = (p: Proc, text: string) => eventually(() => p.output().includes(text) || undefined, 5000, text);
    await says(local, 'Listening on 127.0.0.1 only');
    local.child.kill('SIGTERM');
    expect(await local.exited).toBe(0);

    const wide = bot({ DATA_DIR: await tmp(), HOST: '0.0.0.0' });
    await urlOf(wide);
    expect(wide.output()).toContain('"listen":"every interface (0.0.0.0), port ');
    await says(wide, 'HOST=0.0.0.0 WIDENS IT');
    wide.child.kill('SIGTERM');
    expect(await wide.exited).toBe(0);
  });

  it('drains on SIGTERM sent to `npm start`, the documented way to run it', async () => {
    const dataDir = await tmp();
    const npm = startCommand('npm', ['start', '--silent'], { DATA_DIR: dataDir, PORT: '0', ADMIN_PORT: '0' });
    const url = await urlOf(npm);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    npm.child.kill('SIGTERM');
    expect(await npm.exited).toBe(0);
    expect(npm.output()).toContain('stopping: draining requests and flushing storage');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('refuses a second instance on the same DATA_DIR, and takes over a lock left by a killed one', async () => {
    const dataDir = await tmp();
    const first = bot({ DATA_DIR: dataDir });
    await urlOf(first);
    const second = bot({ DATA_DIR: dataDir });
    expect(await second.exited).toBe(78);
    expect(second.output()).toContain(`Another Bluedesk (process ${first.child.pid}`);
    expect(second.output()).toContain(`is using DATA_DIR ${dataDir}`);
    first.child.kill('SIGKILL');
    await first.exited;
    const third = bot({ DATA_DIR: dataDir });
    await urlOf(third);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  });

  it('names the file or setting, says what to do, and exits 78 for every start-up failure', async () => {
    const corrupt = await tmp();
    await writeFile(join(corrupt, 'state.json'), '{"escalations": {');
    const a = bot({ DATA_DIR: corrupt });
    expect(await a.exited).toBe(78);
    expect(a.output()).toContain(`The state file ${join(corrupt, 'state.json')} cannot be read`);
    expect(a.output()).toContain('Restore it from your last backup');
    expect(a.output()).not.toContain('ANONYMOUS LOCAL MODE');

    const brokenLog = await tmp();
    await writeFile(join(brokenLog, 'decisions.jsonl'), '{"seq":1,"hash":"x"}\nnot json\n');
    const b = bot({ DATA_DIR: brokenLog });
    expect(await b.exited).toBe(78);
    expect(b.output()).toContain(`The decision log ${join(brokenLog, 'decisions.jsonl')} ends with a record that cannot be read`);
    expect(b.output()).toContain('npm run verify-log');

    const file = join(await tmp(), 'not-a-dir');
    await writeFile(file, 'x');
    const c = bot({ DATA_DIR: file });
    expect(await c.exited).toBe(78);
    expect(c.output()).toContain(`DATA_DIR (${file}) is not a directory`);

    const blocker = bot({ DATA_DIR: await tmp() });
    const port = new URL(await urlOf(blocker)).port;
    const d = bot({ DATA_DIR: await tmp(), PORT: port });
    expect(await d.exited).toBe(78);
    expect(d.output()).toContain(`PORT ${port} is already in use`);
    blocker.child.kill('SIGTERM');
    await blocker.exited;
  }, 60_000); // six processes: a second or two apiece, more on a busy machine

  it('takes JSON only on /api/messages: a multipart upload is refused before authentication and nothing is written to disk', async () => {
    const scratch = await tmp();
    const p = bot({ DATA_DIR: await tmp(), TMPDIR: scratch });
    const url = await urlOf(p);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(32 * 1024)]), 'upload.bin');
    const res = await fetch(`${url}/api/messages`, { method: 'POST', body: form });
    expect(res.status).toBe(415);
    // Nothing may appear there (formidable wrote upload_* files).
    expect(await readdir(scratch)).toEqual([]);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });
});
