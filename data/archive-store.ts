import { closeSync, createReadStream, fsyncSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { mkdir, rename, truncate, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** How every line written here starts: the id first, so opening the archive need not parse each record. */
const ID_PREFIX = Buffer.from('{"id":"');

/** Where one archived record's latest line is in the file. */
interface Slot {
  offset: number;
  length: number;
}

/**
 * An append-only archive of finished records (closed escalations), out of
 * the hot state file, so what each change rewrites does not grow with
 * history. One JSON line per record; a record archived again later (it was
 * reopened and closed again) has a later line, which wins. Only an index of
 * ids to file positions is kept in memory; a record is read from disk when
 * asked for. The decision log still holds every record's whole history.
 */
export class ArchiveStore<T extends { id: string }> {
  private readonly index = new Map<string, Slot>();
  private size = 0;

  private constructor(private readonly path: string) {}

  /**
   * Opens (or creates) the archive and indexes it, reading the file a chunk
   * at a time so memory does not grow with it; a torn last line (a crash
   * mid-append, never acknowledged) is cut off.
   */
  static async open<T extends { id: string }>(path: string): Promise<ArchiveStore<T>> {
    await mkdir(dirname(path), { recursive: true });
    const store = new ArchiveStore<T>(path);
    let offset = 0;
    let pending: Buffer = Buffer.alloc(0);
    try {
      for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        let start = 0;
        for (let end = pending.indexOf(0x0a); end >= 0; end = pending.indexOf(0x0a, start)) {
          store.indexLine(pending.subarray(start, end), offset);
          offset += end - start + 1;
          start = end + 1;
        }
        pending = pending.subarray(start);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    store.size = offset;
    if (pending.length) await truncate(path, offset);
    return store;
  }

  private indexLine(line: Buffer, offset: number): void {
    // Lines are written with the id first, so it is read without parsing the record; anything else is parsed.
    if (line.subarray(0, ID_PREFIX.length).equals(ID_PREFIX)) {
      const end = line.indexOf(0x22, ID_PREFIX.length);
      const id = end > 0 ? line.subarray(ID_PREFIX.length, end).toString('utf8') : '';
      if (id && !id.includes('\\') && line[line.length - 1] === 0x7d) {
        this.index.set(id, { offset, length: line.length });
        return;
      }
    }
    try {
      const id = (JSON.parse(line.toString('utf8')) as { id?: unknown }).id;
      if (typeof id === 'string') this.index.set(id, { offset, length: line.length });
    } catch {
      // A line that does not parse was never acknowledged: skipped.
    }
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  get count(): number {
    return this.index.size;
  }

  ids(): string[] {
    return [...this.index.keys()];
  }

  /** Reads one archived record (synchronously: one small read at a known place). */
  get(id: string): T | undefined {
    const slot = this.index.get(id);
    if (!slot) return undefined;
    const fd = openSync(this.path, 'r');
    try {
      const buf = Buffer.alloc(slot.length);
      readSync(fd, buf, 0, slot.length, slot.offset);
      return JSON.parse(buf.toString('utf8')) as T;
    } finally {
      closeSync(fd);
    }
  }

  /** Appends records and fsyncs before returning, so the caller may then drop them from hot state. */
  put(records: readonly T[]): void {
    if (!records.length) return;
    const fd = openSync(this.path, 'a');
    try {
      for (const r of records) {
        const line = Buffer.from(JSON.stringify(Object.assign({ id: r.id }, r)) + '\n', 'utf8');
        writeSync(fd, line);
        this.index.set(r.id, { offset: this.size, length: line.length - 1 });
        this.size += line.length;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Removes records for good (a disposal under the retention schedule): the
   * file is rewritten without them, beside the old one, then renamed over it.
   */
  async remove(ids: readonly string[]): Promise<number> {
    const gone = ids.filter((id) => this.index.has(id));
    if (!gone.length) return 0;
    const keep = [...this.index.entries()].filter(([id]) => !gone.includes(id)).sort((a, b) => a[1].offset - b[1].offset);
    const fd = openSync(this.path, 'r');
    const lines: Buffer[] = [];
    try {
      for (const [, slot] of keep) {
        const buf = Buffer.alloc(slot.length + 1);
        readSync(fd, buf, 0, slot.length, slot.offset);
        buf[slot.length] = 0x0a;
        lines.push(buf);
      }
    } finally {
      closeSync(fd);
    }
    const tmp = `${this.path}.rewrite`;
    await writeFile(tmp, Buffer.concat(lines));
    const wfd = openSync(tmp, 'r+');
    fsyncSync(wfd);
    closeSync(wfd);
    await rename(tmp, this.path);
    this.index.clear();
    let offset = 0;
    for (const [id, slot] of keep) {
      this.index.set(id, { offset, length: slot.length });
      offset += slot.length + 1;
    }
    this.size = offset;
    return gone.length;
  }

  /** Bytes on disk, for the metrics. */
  bytes(): number {
    try {
      return statSync(this.path).size;
    } catch {
      return 0;
    }
  }
}
