import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

const root = new URL('../..', import.meta.url).pathname;

/** A Bluedesk process started for a benchmark. */
export interface BotProcess {
  url: string;
  pid: number;
  /** Milliseconds from spawning to the start-up line. */
  ms: number;
  /** Resident memory now, in MiB. */
  rss(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts the bot as its own process with this environment, and waits for its
 * start-up line: what `npm start` runs (TypeScript through tsx), or with
 * `built` what production runs (`npm run start:prod`: the compiled build).
 */
export async function startBot(env: Record<string, string>, built = false): Promise<BotProcess> {
  const t0 = performance.now();
  const child = spawn(process.execPath, built ? ['dist/bot/server.js'] : ['--import', 'tsx', 'bot/server.ts'], { cwd: root, env: { PATH: process.env.PATH ?? '', PORT: '0', ADMIN_PORT: 'off', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  for (;;) {
    const url = output.match(/"url":"(http:\/\/[^"]+)"/)?.[1];
    if (url) {
      return {
        url, pid: child.pid!, ms: performance.now() - t0,
        rss: async () => Number((await readFile(`/proc/${child.pid}/status`, 'utf8')).match(/VmRSS:\s+(\d+)/)![1]) / 1024,
        stop: async () => { child.kill('SIGTERM'); await once(child, 'exit'); },
      };
    }
    if (child.exitCode !== null) throw new Error(`the bot did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
