import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { limitCpu, type CpuLimit } from './cpu-limit.ts';

const root = new URL('../..', import.meta.url).pathname;

/** A Bluedesk process started for a benchmark. */
export interface BotProcess {
  url: string;
  /** The admin port (/metrics), when started with ADMIN_PORT set. */
  adminUrl?: string;
  pid: number;
  /** Milliseconds from spawning to the start-up line. */
  ms: number;
  /** Resident memory now, in MiB. */
  rss(): Promise<number>;
  /** CPU time the process has used so far, in seconds. */
  cpuSeconds(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts the bot as its own process with this environment, and waits for its
 * start-up line: what `npm start` runs (TypeScript through tsx), or with
 * `built` what production runs (`npm run start:prod`: the compiled build).
 * With `BENCH_PROFILE=<dir>` each bot process writes a V8 CPU profile there
 * when it stops (open it in Chrome's DevTools), to see where a figure goes.
 * With `cpus` the process runs held to that many cores (see cpu-limit.ts).
 */
export async function startBot(env: Record<string, string>, built = false, cpus?: number): Promise<BotProcess> {
  const t0 = performance.now();
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const limit: CpuLimit | undefined = cpus ? await limitCpu(cpus, `bot${Math.random().toString(36).slice(2, 8)}`) : undefined;
  const argv = [process.execPath, ...profile, ...(built ? ['dist/bot/server.js'] : ['--import', 'tsx', 'bot/server.ts'])];
  const [command, ...args] = limit ? limit.wrap(argv) : argv;
  const child = spawn(command!, args, { cwd: root, env: { PATH: process.env.PATH ?? '', PORT: '0', ADMIN_PORT: 'off', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.once('exit', () => void limit?.remove());
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  for (;;) {
    const url = output.match(/"url":"(http:\/\/[^"]+)"/)?.[1];
    if (url) {
      const adminUrl = output.match(/"admin":"(http:\/\/[^"]+)"/)?.[1];
      return {
        url, ...(adminUrl ? { adminUrl } : {}), pid: child.pid!, ms: performance.now() - t0,
        cpuSeconds: () => cpuSecondsOf(child.pid!),
        rss: async () => Number((await readFile(`/proc/${child.pid}/status`, 'utf8')).match(/VmRSS:\s+(\d+)/)![1]) / 1024,
        stop: async () => { child.kill('SIGTERM'); await once(child, 'exit'); },
      };
    }
    if (child.exitCode !== null) {
      await limit?.remove();
      throw new Error(`the bot did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The sum of each named metric's samples on a bot's /metrics (Prometheus text format), 0 where absent. */
export async function scrape(bot: BotProcess, names: readonly string[]): Promise<Record<string, number>> {
  const text = bot.adminUrl ? await (await fetch(`${bot.adminUrl}/metrics`)).text() : '';
  const out: Record<string, number> = {};
  for (const name of names) {
    out[name] = text.split('\n').filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`)).reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  }
  return out;
}

/** Clock ticks per second in /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** CPU time (user and system) a process has used, in seconds, from /proc (0 once it has gone). */
export async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // The command name is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields.length > 12 ? (Number(fields[11]) + Number(fields[12])) / USER_HZ : 0;
}

/** CPU time used so far by every PostgreSQL process on this machine (0 when the server is elsewhere). */
export async function postgresCpuSeconds(): Promise<number> {
  let total = 0;
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    if ((await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim() === 'postgres') total += await cpuSecondsOf(Number(pid));
  }
  return total;
}
