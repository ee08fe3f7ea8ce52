import { closeSync, fsyncSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

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

  /** Opens (or creates) the archive and indexes it; a torn last line (a crash mid-append, never acknowledged) is ignored. */
  static async open<T extends { id: string }>(path: string): Promise<ArchiveStore<T>> {
    await mkdir(dirname(path), { recursive: true });
    const store = new ArchiveStore<T>(path);
    const text = await readFile(path).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? Buffer.alloc(0) : Promise.reject(err)));
    let offset = 0;
    while (offset < text.length) {
      const end = text.indexOf(0x0a, offset);
      if (end < 0) break;
      try {
        const id = (JSON.parse(text.subarray(offset, end).toString('utf8')) as { id?: unknown }).id;
        if (typeof id === 'string') store.index.set(id, { offset, length: end - offset });
      } catch {
        // A line that does not parse was never acknowledged: skipped.
      }
      offset = end + 1;
    }
    store.size = offset;
    if (offset < text.length) await writeFile(path, text.subarray(0, offset));
    return store;
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
        const line = Buffer.from(JSON.stringify(r) + '\n', 'utf8');
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
