import { constants, lstat, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlatformIdentity } from '../../domain/people.ts';
import type { Logger } from '../../log.ts';
import type { RecordsOps, RecordsRequest, RecordsResult } from './records-ops.ts';

/** How long an uncollected result is kept. */
const STALE_MS = 10 * 60_000;

/** The folder under DATA_DIR where the command line leaves requests for a running server. */
export const REQUESTS_DIR = 'requests';

/** A request as the command line writes it: the OS account it claims is checked against the file's owner. */
export interface InboxRequest {
  request: RecordsRequest;
  via: Extract<PlatformIdentity, { platform: 'cli' }> & { uid?: number };
}

/** Largest request file read: a request is a few hundred bytes. */
const MAX_REQUEST_BYTES = 64 * 1024;
const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK } = constants;

/**
 * Reads a request file without trusting what is at its name: never through a
 * link (O_NOFOLLOW), never blocking on a FIFO (O_NONBLOCK, then only a
 * regular file is read), and never more than a request's size. Returns the
 * text and the file's real owner.
 */
export async function readOwnFile(path: string, max = MAX_REQUEST_BYTES): Promise<{ text: string; uid: number }> {
  const file = await open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  try {
    const info = await file.stat();
    if (!info.isFile()) throw new Error('not a regular file');
    if (info.size > max) throw new Error(`larger than ${max} bytes`);
    const buffer = Buffer.alloc(info.size);
    const { bytesRead } = await file.read(buffer, 0, info.size, 0);
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), uid: info.uid };
  } finally {
    await file.close();
  }
}

/** Writes a new file owner-only, failing rather than following or overwriting anything already at its name (a planted link). */
export async function writeNewFile(path: string, text: string): Promise<void> {
  await rm(path, { force: true });
  const file = await open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
  try {
    await file.writeFile(text);
  } finally {
    await file.close();
  }
}

/** The account name of a uid, from the system's password file; undefined when it has none (a container's arbitrary uid). */
async function accountOf(uid: number): Promise<string | undefined> {
  const passwd = await readFile('/etc/passwd', 'utf8').catch(() => '');
  return passwd.split('\n').map((l) => l.split(':')).find((f) => f[2] === String(uid))?.[0];
}

/**
 * The running server's side of the records command line. The log has one
 * writer, so while the server holds DATA_DIR the command line cannot append
 * its consultation or disposal records itself: it leaves a request file in
 * DATA_DIR/requests, and the server runs it and writes the result beside it.
 * Only someone who can write DATA_DIR can ask, which is the same trust as
 * reading the log; the OS account recorded is the request file's real
 * owner, and a request claiming another is refused. Nothing at a request's
 * name is trusted: links are never followed, FIFOs never read.
 */
export class RequestsInbox {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly deps: { dataDir: string; ops: RecordsOps; logger: Logger; intervalMs?: number }) {}

  async start(): Promise<void> {
    await mkdir(join(this.deps.dataDir, REQUESTS_DIR), { recursive: true, mode: 0o700 });
    this.timer = setInterval(() => { this.running = this.running.then(async () => { await this.poll(); }).catch(() => undefined); }, this.deps.intervalMs ?? 500);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Runs every waiting request once. */
  async poll(): Promise<number> {
    const dir = join(this.deps.dataDir, REQUESTS_DIR);
    const all = await readdir(dir).catch(() => [] as string[]);
    // A result nobody collected (the command was interrupted) holds records: it does not stay.
    for (const n of all.filter((x) => x.endsWith('.result.json'))) {
      const at = await lstat(join(dir, n)).then((s) => s.mtimeMs, () => Date.now());
      if (Date.now() - at > STALE_MS) await rm(join(dir, n), { force: true });
    }
    const names = all.filter((n) => /^[a-f0-9-]{36}\.request\.json$/.test(n));
    for (const name of names) {
      const id = name.slice(0, 36);
      // Claimed by renaming, so a request is run once even if a poll overlaps.
      const claimed = join(dir, `${id}.running.json`);
      try {
        await rename(join(dir, name), claimed);
      } catch {
        continue;
      }
      let result: RecordsResult;
      try {
        result = await this.run(claimed);
      } catch (err) {
        this.deps.logger.warn('a records request from the command line failed', { id, error: (err as Error).message });
        result = { ok: false, message: `The server could not run the request: ${(err as Error).message}` };
      }
      try {
        await writeNewFile(join(dir, `${id}.result.tmp`), JSON.stringify(result));
        await rename(join(dir, `${id}.result.tmp`), join(dir, `${id}.result.json`));
      } catch (err) {
        this.deps.logger.warn('could not write a records request\'s result', { id, error: (err as Error).message });
      }
      await rm(claimed, { force: true });
    }
    return names.length;
  }

  /** Reads and checks one claimed request, then runs it as its file's real owner. */
  private async run(path: string): Promise<RecordsResult> {
    const { text, uid } = await readOwnFile(path);
    const { request, via } = JSON.parse(text) as InboxRequest;
    if (!request || typeof request.op !== 'string' || via?.platform !== 'cli') throw new Error('not a Bluedesk records request');
    const owner = await accountOf(uid);
    const osUser = owner ?? `uid ${uid}`;
    if ((via.uid !== undefined && via.uid !== uid) || (owner !== undefined && via.osUser !== owner)) {
      this.deps.logger.warn('a records request claimed another OS account than its file\'s owner: refused', { owner: osUser });
      return { ok: false, message: `Refused: the request says it is from another OS account than the one that wrote it (${osUser}).` };
    }
    return this.deps.ops.execute(request, { platform: 'cli', osUser: osUser.slice(0, 64), host: String(via.host).slice(0, 253) });
  }
}
