/**
 * CPU limits for benchmark processes, through Linux control groups: what a
 * container's CPU limit is. A machine with fewer cores than a cluster needs
 * (each instance, PostgreSQL and the load) cannot show whether instances
 * scale when they all share its cores; giving each instance the same fixed
 * share can, as on hosts or containers of their own.
 */
import { access, mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A control group made for one process: the command prefix that starts a process inside it, and its removal. */
export interface CpuLimit {
  /** Runs `argv` inside the group: `[shell, '-c', script, ...]` followed by the command. */
  wrap(argv: readonly string[]): string[];
  remove(): Promise<void>;
}

/** Where this machine lets a process's CPU be limited, or why it does not. */
type Controller = { v: 1 | 2; root: string } | { why: string };

let controller: Promise<Controller> | undefined;

async function findController(): Promise<Controller> {
  const v2 = ['/sys/fs/cgroup', '/sys/fs/cgroup/unified'];
  for (const root of v2) {
    const controllers = await readFile(join(root, 'cgroup.controllers'), 'utf8').catch(() => '');
    if (controllers.split(/\s+/).includes('cpu')) return { v: 2, root };
  }
  const v1 = '/sys/fs/cgroup/cpu';
  if (await access(join(v1, 'cpu.cfs_quota_us')).then(() => true, () => false)) return { v: 1, root: v1 };
  return { why: 'no writable cgroup CPU controller (cgroup v2 "cpu" or v1 "cpu") on this machine' };
}

/**
 * Makes a control group holding a process to `cpus` cores (0.4 is 40 % of
 * one core, enforced every 10 ms so a process is never stopped for long while
 * it holds a database lock). Throws, saying why, where this cannot be done.
 */
export async function limitCpu(cpus: number, name: string): Promise<CpuLimit> {
  controller ??= findController();
  const c = await controller;
  if ('why' in c) throw new Error(`cannot limit CPU: ${c.why}`);
  const dir = join(c.root, `bluedesk-bench-${name}-${process.pid}`);
  const period = 10_000;
  const quota = Math.max(1_000, Math.round(cpus * period));
  try {
    await mkdir(dir);
    if (c.v === 2) await writeFile(join(dir, 'cpu.max'), `${quota} ${period}`);
    else {
      await writeFile(join(dir, 'cpu.cfs_period_us'), String(period));
      await writeFile(join(dir, 'cpu.cfs_quota_us'), String(quota));
    }
  } catch (err) {
    await rmdir(dir).catch(() => undefined);
    throw new Error(`cannot limit CPU in ${dir}: ${(err as Error).message}`);
  }
  return {
    // The shell moves itself into the group, then becomes the command: every thread the process starts stays inside.
    wrap: (argv) => ['/bin/sh', '-c', `echo $$ > '${join(dir, 'cgroup.procs')}' && exec "$@"`, 'sh', ...argv],
    remove: () => rmdir(dir).catch(() => undefined),
  };
}
