import { chmod, lstat, mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * A start-up failure a person can act on: the message names the file or
 * setting and says what to do. Every one exits the process with the same code.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * Something Bluedesk needs is not there yet (the database, briefly down or
 * still starting): waiting longer than it was told to, it exits with code 69
 * (EX_UNAVAILABLE), which a service manager restarts, unlike 78.
 */
export class ServiceUnavailable extends StartupError {
  override name = 'ServiceUnavailable';
  readonly exitCode = UNAVAILABLE_EXIT_CODE;
}

/** The exit code when a service Bluedesk needs stayed unreachable (EX_UNAVAILABLE): worth restarting. */
export const UNAVAILABLE_EXIT_CODE = 69;

/** DATA_DIR is held by a running Bluedesk on this machine: the records command line then asks it instead. */
export class DataDirBusy extends StartupError {
  override name = 'DataDirBusy';
}

/** The exit code of every start-up failure (EX_CONFIG). */
export const STARTUP_EXIT_CODE = 78;

/**
 * Makes sure DATA_DIR is a writable directory, and takes an exclusive lock on
 * it: a second instance on the same directory would fork the decision chain
 * and fire every timer twice. A lock left by a process that no longer runs
 * (a crash, kill -9) is taken over. Returns the release function.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  await ownerOnly(dir);
  const path = join(dir, 'bluedesk.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }));
      await file.close();
      return async () => { await rm(path, { force: true }); };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fsProblem(err, dir);
      const holder = await readHolder(path);
      if (holder && holder.host === hostname() && isRunning(holder.pid)) {
        throw new DataDirBusy(
          `Another Bluedesk (process ${holder.pid}, started ${holder.startedAt}) is using DATA_DIR ${dir}.\n` +
          'Two instances on one data directory would fork the decision log and fire every timer twice.\n' +
          'Stop the other one, or give this one its own DATA_DIR. (PostgreSQL storage is for several instances.)',
        );
      }
      if (holder && holder.host !== hostname()) {
        throw new StartupError(`DATA_DIR ${dir} is locked by Bluedesk on another machine (${holder.host}, process ${holder.pid}). If that machine is gone, delete ${path} and start again.`);
      }
      // The holder is gone: a crash left the lock behind.
      await rm(path, { force: true });
    }
  }
  throw new StartupError(`Could not lock DATA_DIR ${dir}: ${path} keeps reappearing. Is another Bluedesk starting at the same time?`);
}

async function readHolder(path: string): Promise<{ pid: number; host: string; startedAt: string } | undefined> {
  try {
    const h = JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown; host?: unknown; startedAt?: unknown };
    return typeof h.pid === 'number' && typeof h.host === 'string' ? { pid: h.pid, host: h.host, startedAt: String(h.startedAt ?? '') } : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A file-system error at start-up, in words that name DATA_DIR and what to do. */
export function fsProblem(err: unknown, dir: string): StartupError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EEXIST' || code === 'ENOTDIR') return new StartupError(`DATA_DIR (${dir}) is not a directory. Set DATA_DIR to a directory Bluedesk can create or write.`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new StartupError(`DATA_DIR (${dir}) is not writable by this user. Fix its permissions, or set DATA_DIR to a writable directory.`);
  return new StartupError(`DATA_DIR (${dir}) cannot be used: ${(err as Error).message}`);
}

/**
 * DATA_DIR holds the decision log (with PSD reasons), state and exports:
 * everything Bluedesk creates from here on is owner-only (the process umask
 * becomes 077, whatever the service manager or container set; lowdb's writer
 * takes no mode of its own), and what an older version left readable by
 * others is tightened: 0700 for folders, 0600 for files, two levels deep.
 * Returns how many it tightened.
 */
export async function ownerOnly(dir: string): Promise<number> {
  process.umask(0o077);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw fsProblem(err, dir);
  }
  let tightened = 0;
  const tighten = async (path: string, depth: number): Promise<void> => {
    const info = await lstat(path).catch(() => undefined);
    if (!info || info.isSymbolicLink()) return;
    const wanted = info.isDirectory() ? 0o700 : 0o600;
    if ((info.mode & 0o777) !== wanted && (info.isDirectory() || info.isFile())) {
      if (await chmod(path, wanted).then(() => true, () => false)) tightened += 1;
    }
    if (info.isDirectory() && depth < 2) for (const name of await readdir(path).catch(() => [] as string[])) await tighten(join(path, name), depth + 1);
  };
  await tighten(dir, 0);
  return tightened;
}
