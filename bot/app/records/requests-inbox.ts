import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlatformIdentity } from '../../domain/people.ts';
import type { Logger } from '../../log.ts';
import type { RecordsOps, RecordsRequest, RecordsResult } from './records-ops.ts';

/** How long an uncollected result is kept. */
const STALE_MS = 10 * 60_000;

/** The folder under DATA_DIR where the command line leaves requests for a running server. */
export const REQUESTS_DIR = 'requests';

/** A request as the command line writes it. */
export interface InboxRequest {
  request: RecordsRequest;
  via: Extract<PlatformIdentity, { platform: 'cli' }>;
}

/**
 * The running server's side of the records command line. The log has one
 * writer, so while the server holds DATA_DIR the command line cannot append
 * its consultation or disposal records itself: it leaves a request file in
 * DATA_DIR/requests, and the server runs it and writes the result beside it.
 * Only someone who can write DATA_DIR can ask, which is the same trust as
 * reading the log.
 */
export class RequestsInbox {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly deps: { dataDir: string; ops: RecordsOps; logger: Logger; intervalMs?: number }) {}

  async start(): Promise<void> {
    await mkdir(join(this.deps.dataDir, REQUESTS_DIR), { recursive: true });
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
      const at = await stat(join(dir, n)).then((s) => s.mtimeMs, () => Date.now());
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
        const { request, via } = JSON.parse(await readFile(claimed, 'utf8')) as InboxRequest;
        if (!request || typeof request.op !== 'string' || via?.platform !== 'cli') throw new Error('not a Bluedesk records request');
        result = await this.deps.ops.execute(request, { platform: 'cli', osUser: String(via.osUser).slice(0, 64), host: String(via.host).slice(0, 253) });
      } catch (err) {
        this.deps.logger.warn('a records request from the command line failed', { id, error: (err as Error).message });
        result = { ok: false, message: `The server could not run the request: ${(err as Error).message}` };
      }
      await writeFile(join(dir, `${id}.result.tmp`), JSON.stringify(result), { mode: 0o600 });
      await rename(join(dir, `${id}.result.tmp`), join(dir, `${id}.result.json`));
      await rm(claimed, { force: true });
    }
    return names.length;
  }
}
