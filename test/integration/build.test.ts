import { execFile, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * `npm run build` and `npm run start:prod`: the compiled JavaScript runs
 * with plain node (no tsx), finds the files it reads beside itself, answers
 * health, and stops cleanly on SIGTERM sent straight to it.
 */
describe('the production build', () => {
  it('compiles, starts with plain node, serves /healthz and stops on SIGTERM', async () => {
    const built = await run('npm', ['run', 'build'], { timeout: 180_000 });
    expect(built.stdout).toMatch(/copied \d+ run-time file\(s\) into dist/);
    const dataDir = await mkdtemp(join(tmpdir(), 'bluedesk-prod-'));
    const child = spawn(process.execPath, ['--enable-source-maps', 'dist/bot/server.js'], { env: { ...process.env, DATA_DIR: dataDir, PORT: '0', ADMIN_PORT: '0', ENV_FILE: '', NODE_ENV: 'development' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += String(d); });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not started: ${err}`)), 30_000);
      child.stderr.on('data', () => {
        const m = err.match(/"url":"(http:\/\/[^"]+)"/);
        if (m) { clearTimeout(timer); resolve(m[1]!); }
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
    });
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const code = await new Promise<number | null>((resolve) => {
      child.removeAllListeners('exit');
      child.on('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(err).toContain('stopping: draining requests and flushing storage');
  }, 240_000);
});
