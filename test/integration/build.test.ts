import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startCommand } from '../helpers/processes.ts';

const run = promisify(execFile);
const root = resolve(new URL('../..', import.meta.url).pathname);

/**
 * The tree `npm prune --omit=dev` leaves (what the image runs): dist, the
 * package file, and only the production packages of package-lock.json,
 * linked from this checkout's node_modules. Nothing is downloaded.
 */
async function prunedTree(dist: string): Promise<string> {
  const tree = await mkdtemp(join(tmpdir(), 'bluedesk-pruned-'));
  await cp(dist, join(tree, 'dist'), { recursive: true });
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
    // `npm run build`'s two steps, into a folder of its own (inside dist, so node finds the packages): other tests run the shared build meanwhile.
    await mkdir(join(root, 'dist'), { recursive: true });
    const dist = await mkdtemp(join(root, 'dist', 'build-test-'));
    await run(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', dist], { cwd: root, timeout: 180_000 });
    const built = await run(process.execPath, [join(dist, 'bot/cli/copy-assets.js')], { cwd: root });
    expect(built.stdout).toMatch(/copied \d+ run-time file\(s\) into /);
    const dataDir = await mkdtemp(join(tmpdir(), 'bluedesk-prod-'));
    const server = startCommand(process.execPath, ['--enable-source-maps', join(dist, 'bot/server.js')], { DATA_DIR: dataDir, PORT: '0', ADMIN_PORT: '0', ENV_FILE: '', NODE_ENV: 'development' }, { inheritEnv: true });
    const url = await server.url();
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('stopping: draining requests and flushing storage');

    // The operations commands, compiled, from the pruned tree, in production and with no bot credentials.
    const tree = await prunedTree(dist);
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
      await rm(dist, { recursive: true, force: true });
    }
  }, 240_000);
});
