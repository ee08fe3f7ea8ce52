import { mkdir, open, readFile, truncate, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '../bot/domain/clock.ts';
import type { DecisionEntry, DecisionLog, DecisionRecord } from '../bot/domain/decision-log.ts';
import { canonicalJson, sha256 } from './canonical-json.ts';
import { StartupError } from './data-dir.ts';

export const GENESIS = '0'.repeat(64);

/** The hash a record must carry: SHA-256 of its canonical JSON without `hash`. */
export function recordHash(record: Omit<DecisionRecord, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...rest } = record;
  return sha256(canonicalJson(rest));
}

/**
 * Append-only JSON Lines decision log with a SHA-256 chain.
 * One writer per file: appends are queued in-process and each is fsynced
 * before it is acknowledged, so an acknowledged decision survives a crash.
 */
export class JsonlDecisionLog implements DecisionLog {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly path: string,
    private readonly file: FileHandle,
    private lastHash: string,
    private nextSeq: number,
    private readonly clock: Clock,
  ) {}

  /**
   * Opens (or creates) the log. A torn last line, left by a crash mid-write,
   * was never acknowledged, so it is cut off with a warning rather than kept.
   */
  static async open(path: string, clock: Clock, warn: (msg: string) => void = console.warn): Promise<JsonlDecisionLog> {
    await mkdir(dirname(path), { recursive: true });
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text.length > 0 && !text.endsWith('\n')) {
      const keep = text.lastIndexOf('\n') + 1;
      warn(`decision log: removing a torn, unacknowledged final line from ${path}`);
      await truncate(path, Buffer.byteLength(text.slice(0, keep)));
      text = text.slice(0, keep);
    }
    const lines = text.split('\n').filter((l) => l.length > 0);
    let last: DecisionRecord | undefined;
    try {
      last = lines.length ? (JSON.parse(lines[lines.length - 1]!) as DecisionRecord) : undefined;
      if (last && (typeof last.seq !== 'number' || typeof last.hash !== 'string')) throw new Error('the last record has no sequence number or hash');
    } catch (err) {
      throw new StartupError(
        `The decision log ${path} ends with a record that cannot be read (${(err as Error).message}).\n` +
        'Run `npm run verify-log` to find where it breaks, and restore the file from your last backup. Bluedesk will not append to a broken chain.',
      );
    }
    const file = await open(path, 'a');
    return new JsonlDecisionLog(path, file, last?.hash ?? GENESIS, (last?.seq ?? 0) + 1, clock);
  }

  append(entry: DecisionEntry): Promise<DecisionRecord> {
    const run = this.queue.then(async () => {
      const base = { ...entry, seq: this.nextSeq, at: this.clock.now().toISOString(), prev: this.lastHash };
      const record: DecisionRecord = { ...base, hash: recordHash(base) };
      await this.file.write(canonicalJson(record) + '\n');
      await this.file.datasync();
      this.lastHash = record.hash;
      this.nextSeq += 1;
      return record;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async forSubject(type: string, id: string): Promise<DecisionRecord[]> {
    await this.queue;
    return (await readRecords(this.path)).filter((r) => r.subject?.type === type && r.subject.id === id);
  }

  async recordsAfter(seq: number): Promise<DecisionRecord[]> {
    await this.queue;
    if (seq >= this.nextSeq - 1) return [];
    return (await readRecords(this.path)).filter((r) => r.seq > seq);
  }

  async close(): Promise<void> {
    await this.queue;
    await this.file.close();
  }
}

/** Reads every record in a log file. */
export async function readRecords(path: string): Promise<DecisionRecord[]> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as DecisionRecord);
}
