import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { eventually } from '../fakes/http.ts';

/** The repository root: processes run from there, as `npm start` does. */
export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
/** The compiled bin every process test runs: what the image and the systemd unit run, and much quicker to start than tsx. */
export const BIN = join(ROOT, 'dist/bot/cli/bluedesk.js');

/** A process a test started: its output so far, how it exited, and (for a server) its address. */
export interface Proc {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
  /** The address from its "bluedesk started" line. */
  url(ms?: number): Promise<string>;
  /** The admin port's address from the same line. */
  adminUrl(ms?: number): Promise<string>;
}

const live = new Set<ChildProcess>();

/** Where this run's process ids are listed, for the global teardown to stop any a killed worker left (see test/global-setup.ts). */
const registry = process.env.BLUEDESK_TEST_PIDS;

/**
 * Starts a command in a process group of its own, tracked: `stopAll` (run
 * after every test file, and when the worker exits) kills the whole group,
 * so a test that times out or fails leaves nothing running.
 */
export function startCommand(command: string, args: string[], env: Record<string, string>, opts: { cwd?: string; inheritEnv?: boolean } = {}): Proc {
  const child = spawn(command, args, {
    cwd: opts.cwd ?? ROOT,
    env: opts.inheritEnv ? { ...process.env, ...env } : { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  live.add(child);
  if (registry && child.pid) appendFileSync(registry, `${child.pid}\n`);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => { live.delete(child); done(code); }));
  const field = (name: string, ms: number) => eventually(() => output.match(new RegExp(`"${name}":"(http://[^"]+)"`))?.[1], ms, `${name} in the start-up line:\n${output.slice(-2000)}`);
  return { child, exited, output: () => output, url: (ms = 30_000) => field('url', ms), adminUrl: (ms = 30_000) => field('admin', ms) };
}

/** `bluedesk [command] [args]` from the compiled build, with a clean environment plus `env`. */
export function startBluedesk(args: string[], env: Record<string, string>): Proc {
  return startCommand(process.execPath, [BIN, ...args], env);
}

/** Runs `bluedesk <command>` to its end: exit code and output. */
export async function runBluedesk(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((done) => child.on('exit', (c) => { live.delete(child); done(c); }));
  return { code, stdout, stderr };
}

/** Kills every process (and its group) a test started that is still running. */
export function stopAll(): void {
  for (const child of live) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  live.clear();
}
process.on('exit', stopAll);

/**
 * Builds the compiled tree once per test run (`npm run build`'s two steps),
 * whichever worker asks first; the others wait for it. A marker names the
 * run, so a later run builds again and never uses stale code.
 */
export async function ensureBuilt(): Promise<void> {
  const run = process.env.BLUEDESK_TEST_RUN ?? 'single';
  const marker = join(ROOT, 'dist', '.built-for-test-run');
  const lock = join(tmpdir(), `bluedesk-test-build-${run}.lock`);
  await eventually(async () => {
    if (existsSync(marker) && readFileSync(marker, 'utf8') === run) return true;
    try {
      await mkdir(lock);
    } catch {
      return undefined; // another worker is building
    }
    try {
      if (!(existsSync(marker) && readFileSync(marker, 'utf8') === run)) {
        const exec = promisify(execFile);
        await exec(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: ROOT });
        await exec(process.execPath, ['dist/bot/cli/copy-assets.js'], { cwd: ROOT });
        writeFileSync(marker, run);
      }
      return true;
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }, 240_000, 'the compiled build');
}
