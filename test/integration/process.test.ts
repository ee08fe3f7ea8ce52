import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../fakes/http.ts';
import { ensureBuilt, startBluedesk } from '../helpers/processes.ts';

/** The real entry point (the compiled bin the image and the service run), with the given environment. */
const startProcess = (env: Record<string, string>) => startBluedesk([], env);
beforeAll(() => ensureBuilt(), 240_000);

describe('the bluedesk process', () => {
  it('refuses to start in production without credentials, naming the missing settings', async () => {
    const p = startProcess({ NODE_ENV: 'production', PORT: '0', ADMIN_PORT: '0', DATA_DIR: await mkdtemp(join(tmpdir(), 'bd-')) });
    expect(await p.exited).toBe(78);
    expect(p.output()).toContain('Missing required settings: MicrosoftAppId, MicrosoftAppPassword, BOT_CONFIG (the force config: production never runs on the shipped example');
  });

  it('refuses a bad config file, naming the field', async () => {
    const p = startProcess({ PORT: '0', BOT_CONFIG: '/nonexistent.json', DATA_DIR: await mkdtemp(join(tmpdir(), 'bd-')) });
    expect(await p.exited).toBe(78);
    expect(p.output()).toContain('Cannot read force config /nonexistent.json');
  });

  it('starts on the example config with a loud anonymous-mode warning, serves /healthz, and drains on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'bd-'));
    const p = startProcess({ PORT: '0', ADMIN_PORT: '0', DATA_DIR: dataDir });
    const url = await p.url();
    // The warning goes to stderr, the start-up line to stdout: under load either pipe can be read first.
    await eventually(() => p.output().includes('WARNING: Teams is running in ANONYMOUS LOCAL MODE') || undefined, 5000, 'the anonymous-mode warning');
    // A newcomer is told where to go next, and the started line says truly where it listens.
    await eventually(() => p.output().includes('In another terminal:  npm run playground') || undefined, 5000, 'the next step');
    expect(p.output()).toContain('Then open:            http://localhost:56150');
    expect(p.output()).toMatch(/"listen":"127\.0\.0\.1 only, port \d+"/);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const admin = await p.adminUrl();
    expect(await (await fetch(`${admin}/healthz`)).json()).toMatchObject({ status: 'ok', slack: { state: 'off' } });
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.output()).toContain('stopping: draining requests and flushing storage');
    expect(JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8'))).toHaveProperty('escalations');
  });
});
