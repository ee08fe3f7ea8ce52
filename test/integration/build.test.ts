import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(new URL('../..', import.meta.url).pathname);

/**
 * The tree `npm prune --omit=dev` leaves (what the image runs): dist, the
 * package file, and only the production packages of package-lock.json,
 * linked from this checkout's node_modules. Nothing is downloaded.
 */
async function prunedTree(): Promise<string> {
  const tree = await mkdtemp(join(tmpdir(), 'bluedesk-pruned-'));
  await cp(join(root, 'dist'), join(tree, 'dist'), { recursive: true });
  await cp(join(root, 'package.json'), join(tree, 'package.json'));
  await cp(join(root, 'adapters/http/spdy-unused'), join(tree, 'adapters/http/spdy-unused'), { recursive: true });
  const lock = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
  for (const [path, p] of Object.entries(lock.packages)) {
    // Top-level packages only: nested ones come with their parent's folder.
    if (!path.startsWith('node_modules/') || p.dev || p.devOptional || path.slice('node_modules/'.length).includes('node_modules/')) continue;
    await mkdir(dirname(join(tree, path)), { recursive: true });
    await symlink(join(root, path), join(tree, path)).catch(() => undefined);
  }
  return tree;
}

/**
 * `npm run build` and `npm run start:prod`: the compiled JavaScript runs
 * with plain node (no tsx), finds the files it reads beside itself, answers
 * health, and stops cleanly on SIGTERM sent straight to it; and the
 * `bluedesk` bin's operations commands run from the pruned tree.
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

    // The operations commands, compiled, from the pruned tree, in production and with no bot credentials.
    const tree = await prunedTree();
    try {
      const env = { PATH: process.env.PATH ?? '', NODE_ENV: 'production', DATA_DIR: dataDir, ENV_FILE: '' };
      const bluedesk = (...args: string[]) => run(process.execPath, ['dist/bot/cli/bluedesk.js', ...args], { cwd: tree, env }).then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);
      const verified = await bluedesk('verify-log');
      expect(verified.stdout).toMatch(/^Decision log intact: \d+ record\(s\)/);
      expect(verified.code).toBe(0);
      const exported = await bluedesk('export', '--as', 'isaiah.langer', '--format', 'jsonl');
      expect([exported.code, exported.stderr]).toEqual([0, expect.stringContaining('record(s) exported')]);
      expect((await bluedesk('dead-letters', '--as', 'alex.wilber')).stderr).toContain('0 dead letter(s).');
      expect((await bluedesk('manifest:slack', '--socket-mode')).stdout).toContain('"socket_mode_enabled": true');
      expect((await bluedesk('help')).stderr).toContain('verify-log');
      // The server itself still refuses production without credentials and a force config.
      const server = await bluedesk();
      expect([server.code, server.stderr]).toEqual([78, expect.stringContaining('Missing required settings: MicrosoftAppId')]);
    } finally {
      await rm(tree, { recursive: true, force: true });
    }
  }, 240_000);
});
