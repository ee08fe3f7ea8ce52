import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../fakes/http.ts';

/** Runs the real entry point (what `npm start` runs) with the given environment. */
function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/server.ts'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

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
    const url = await eventually(() => p.output().match(/"url":"(http:\/\/[^"]+)"/)?.[1], 15000, 'start-up');
    // The warning goes to stderr, the start-up line to stdout: under load either pipe can be read first.
    await eventually(() => p.output().includes('WARNING: Teams is running in ANONYMOUS LOCAL MODE') || undefined, 5000, 'the anonymous-mode warning');
    // A newcomer is told where to go next, and the started line says truly where it listens.
    await eventually(() => p.output().includes('In another terminal:  npm run playground') || undefined, 5000, 'the next step');
    expect(p.output()).toContain('Then open:            http://localhost:56150');
    expect(p.output()).toMatch(/"listen":"127\.0\.0\.1 only, port \d+"/);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const admin = p.output().match(/"admin":"(http:\/\/[^"]+)"/)![1];
    expect(await (await fetch(`${admin}/healthz`)).json()).toMatchObject({ status: 'ok', slack: { state: 'off' } });
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.output()).toContain('stopping: draining requests and flushing storage');
    expect(JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8'))).toHaveProperty('escalations');
  });
});
