import { mkdir, open, readFile, rename, stat, truncate, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '../bot/domain/clock.ts';
import { matchesQuery, type ChainHead, type DecisionEntry, type DecisionLog, type DecisionRecord, type LogQuery } from '../bot/domain/decision-log.ts';
import { canonicalJson } from './canonical-json.ts';
import { StartupError } from './data-dir.ts';
import { FORMAT, GENESIS, recordHash, redactRecord } from './record-hash.ts';

export { GENESIS, recordHash } from './record-hash.ts';

/**
 * Append-only JSON Lines decision log with a SHA-256 chain.
 * One writer per file: appends are queued in-process and each is fsynced
 * before it is acknowledged, so an acknowledged decision survives a crash.
 * Reads scan the file; bounding them is storage-at-scale work (issue #13).
 */
export class JsonlDecisionLog implements DecisionLog {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly path: string,
    private file: FileHandle,
    private last: ChainHead,
    private readonly clock: Clock,
  ) {}

  /**
   * Opens (or creates) the log. A torn last line, left by a crash mid-write,
   * was never acknowledged, so it is cut off with a warning rather than kept.
   */
  static async open(path: string, clock: Clock, warn: (msg: string) => void = console.warn): Promise<JsonlDecisionLog> {
    await mkdir(dirname(path), { recursive: true });
    // Only the end of the file is read: start-up must not grow with the log (a million records is hundreds of MiB).
    const tail = await readTail(path);
    if (tail.torn) {
      warn(`decision log: removing a torn, unacknowledged final line from ${path}`);
      await truncate(path, tail.keepBytes);
    }
    const lines = tail.lastLine ? [tail.lastLine] : [];
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
    return new JsonlDecisionLog(path, file, last ? { seq: last.seq, hash: last.hash, at: last.at } : { seq: 0, hash: GENESIS }, clock);
  }

  append(entry: DecisionEntry): Promise<DecisionRecord> {
    return this.serial(async () => {
      const base = { v: FORMAT, ...entry, seq: this.last.seq + 1, at: this.clock.now().toISOString(), prev: this.last.hash };
      const record: DecisionRecord = { ...base, hash: recordHash(base) };
      await this.file.write(canonicalJson(record) + '\n');
      await this.file.datasync();
      this.last = { seq: record.seq, hash: record.hash, at: record.at };
      return record;
    });
  }

  async forSubject(type: string, id: string): Promise<DecisionRecord[]> {
    return this.query({ subjectType: type, subjectId: id });
  }

  async recordsAfter(seq: number): Promise<DecisionRecord[]> {
    await this.queue;
    if (seq >= this.last.seq) return [];
    return (await readRecords(this.path)).filter((r) => r.seq > seq);
  }

  async query(q: LogQuery): Promise<DecisionRecord[]> {
    await this.queue;
    return (await readRecords(this.path)).filter((r) => matchesQuery(r, q));
  }

  async head(): Promise<ChainHead> {
    await this.queue;
    return { ...this.last };
  }

  /**
   * Rewrites the file with the records' body fields removed: a new file is
   * written and fsynced beside the old one, then renamed over it, so a crash
   * leaves either the old file or the new one. Appends wait meanwhile.
   */
  redact(seqs: readonly number[], by: number): Promise<number> {
    const wanted = new Set(seqs);
    return this.serial(async () => {
      const text = await readFile(this.path, 'utf8');
      let changed = 0;
      const lines = text.split('\n').filter((l) => l.length > 0).map((line) => {
        const record = JSON.parse(line) as DecisionRecord;
        if (!wanted.has(record.seq)) return line;
        const redacted = redactRecord(record, by);
        if (redacted === record) return line;
        changed += 1;
        return canonicalJson(redacted);
      });
      if (!changed) return 0;
      const tmp = `${this.path}.redacting`;
      const out = await open(tmp, 'w');
      try {
        await out.write(lines.join('\n') + '\n');
        await out.datasync();
      } finally {
        await out.close();
      }
      await this.file.close();
      await rename(tmp, this.path);
      this.file = await open(this.path, 'a');
      return changed;
    });
  }

  /** True while the log is open and the file at its path is the one it appends to (not moved, deleted or replaced under it). */
  async check(): Promise<boolean> {
    if (this.closed) return false;
    try {
      const [held, named] = await Promise.all([this.file.stat(), stat(this.path)]);
      return held.ino === named.ino && held.dev === named.dev;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.queue;
    this.closed = true;
    await this.file.close();
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * The last complete line of a log file, and whether a torn (unterminated)
 * line follows it; read backwards from the end a chunk at a time.
 */
async function readTail(path: string): Promise<{ lastLine?: string; torn: boolean; keepBytes: number }> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { torn: false, keepBytes: 0 };
    throw err;
  }
  try {
    const size = (await file.stat()).size;
    for (let chunk = 64 * 1024; ; chunk *= 4) {
      const start = Math.max(0, size - chunk);
      const buf = Buffer.alloc(size - start);
      await file.read(buf, 0, buf.length, start);
      // Where complete lines end: after the last newline; anything past it is a torn line.
      const end = buf.lastIndexOf(0x0a);
      if (end < 0 && start > 0) continue;
      const keepBytes = end < 0 ? 0 : start + end + 1;
      const torn = keepBytes < size;
      if (end < 0) return { torn, keepBytes };
      const begin = buf.lastIndexOf(0x0a, end - 1);
      if (begin < 0 && start > 0) continue;
      return { lastLine: buf.subarray(begin + 1, end).toString('utf8'), torn, keepBytes };
    }
  } finally {
    await file.close();
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
