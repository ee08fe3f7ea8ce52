import { mkdir, open, readFile, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TextFile } from 'lowdb/node';
import { StartupError } from './data-dir.ts';
import { applyRows, changedRows, restoreRows, RowCache, runChange, SCALARS, type Marks, type Row } from './row-tracking.ts';
import { dictionaries, type StateStore } from './state-store.ts';

/** The journal is folded into the snapshot once it is this big, or twice the state's size if that is more. */
const COMPACT_AT_BYTES = 1 << 20;

/** One journal line: the rows one write changed, each value its JSON (null once removed). */
type JournalRow = { c: string; i: string; v: unknown };

/**
 * A state store whose writes cost what they change, not what is kept: the
 * lowdb snapshot (`<name>.json`, written atomically by lowdb's writer) plus
 * a journal beside it (`<name>.journal`) to which each write appends one
 * line holding the rows it changed. The journal is folded into a new
 * snapshot when it outgrows the state. Changes made while a write is in
 * flight share the next line (group commit).
 *
 * Replaying the whole journal over a snapshot taken after some of it is
 * harmless: the snapshot is only taken between writes, so each row's last
 * journal entry is the value the snapshot holds. A torn last line (a crash
 * mid-write) was never acknowledged, and is cut off.
 *
 * Writes are not fsynced: state is the checkpoint of the decision log,
 * which is, and start-up replays what state missed (bot/domain/checkpoint.ts).
 */
export class JournaledStateStore<S extends object> implements StateStore<S> {
  private readonly cache = new RowCache();
  private marks: Marks = new Map();
  /** What the write in flight changed: in memory, but in the cache only once that write is done. */
  private writing: Marks = new Map();
  private inFlight: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private lastWriteOk = true;
  private journalBytes = 0;

  private constructor(
    private readonly state: S,
    private readonly path: string,
    private readonly journal: FileHandle,
  ) {}

  /** Opens `path` (the snapshot) and its journal, replays the journal, and folds it in, which also proves the directory writable. */
  static async open<S extends object>(path: string, defaults: () => S): Promise<JournaledStateStore<S>> {
    await mkdir(dirname(path), { recursive: true });
    const state = dictionaries({ ...defaults(), ...(await readSnapshot(path)) } as S);
    const journalPath = path.replace(/\.json$/, '') + '.journal';
    const store = new JournaledStateStore(state, path, await open(journalPath, 'a+'));
    for (const [collection, value] of Object.entries(state)) {
      if (value && typeof value === 'object' && !Array.isArray(value)) for (const [id, v] of Object.entries(value as object)) store.cache.set(collection, id, JSON.stringify(v));
      else store.cache.set(SCALARS, collection, JSON.stringify(value));
    }
    const text = await readFile(journalPath, 'utf8');
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    complete.split('\n').filter(Boolean).forEach((line, n) => {
      let rows: JournalRow[];
      try {
        rows = JSON.parse(line) as JournalRow[];
      } catch (err) {
        throw new StartupError(`The state journal ${journalPath} has a line (${n + 1}) that cannot be read: ${(err as Error).message}.\nRestore DATA_DIR from your last backup, or move both ${path} and the journal aside (the decision log keeps the history).`);
      }
      applyRows(state, store.cache, rows.map((r) => ({ collection: r.c, id: r.i, value: r.v === null ? null : JSON.stringify(r.v) })));
    });
    await store.compact();
    return store;
  }

  read(): Readonly<S> {
    return this.state;
  }

  onOutsideChange(fn: (rows: ReadonlyArray<{ collection: string; id: string }>) => void): void {
    this.cache.onApplied(fn);
  }

  async update<T>(change: (state: S) => T): Promise<T> {
    // A change that throws is undone, and nothing of it is written (see runChange).
    const result = runChange(this.state, this.cache, this.marks, change, this.writing);
    await this.persist();
    return result;
  }

  async flush(): Promise<void> {
    await this.inFlight.catch(() => undefined);
  }

  private persist(): Promise<void> {
    if (this.queued) return this.queued;
    const write = this.inFlight.catch(() => undefined).then(() => this.writeMarked());
    this.queued = write;
    this.inFlight = write;
    return write;
  }

  /** Appends one line with every row changed since the last write; a failure puts those rows back as they were. */
  private async writeMarked(): Promise<void> {
    this.queued = undefined;
    const marks = this.marks;
    this.marks = new Map();
    const rows = changedRows(this.state, this.cache, marks);
    if (!rows.length) return;
    this.writing = marks;
    const line = `[${rows.map((r) => `{"c":${JSON.stringify(r.collection)},"i":${JSON.stringify(r.id)},"v":${r.value ?? 'null'}}`).join(',')}]\n`;
    try {
      await this.journal.write(line);
      for (const r of rows) this.cache.set(r.collection, r.id, r.value);
      this.writing = new Map();
      this.lastWriteOk = true;
      this.journalBytes += Buffer.byteLength(line);
    } catch (err) {
      this.lastWriteOk = false;
      this.writing = new Map();
      restoreRows(this.state, this.cache, rows as Row[]);
      // A part-written line (a full disk) is cut off, so the next line does not join it mid-file.
      await this.journal.truncate(this.journalBytes).catch(() => undefined);
      throw err;
    }
    // The change is on disk whatever happens here; a fold that fails is tried at the next write, and health says so meanwhile.
    if (this.journalBytes > Math.max(COMPACT_AT_BYTES, 2 * this.cache.bytes)) await this.compact().catch(() => { this.lastWriteOk = false; });
  }

  /** Writes the whole state as the new snapshot (atomically), then empties the journal. */
  private async compact(): Promise<void> {
    await new TextFile(this.path).write(JSON.stringify(this.state));
    await this.journal.truncate(0);
    this.journalBytes = 0;
  }

  sizeBytes(): number {
    return this.cache.bytes;
  }

  async checkWritable(): Promise<boolean> {
    if (!this.lastWriteOk) return false;
    const probe = join(dirname(this.path), `.healthz-${process.pid}`);
    try {
      await writeFile(probe, 'ok');
      await rm(probe, { force: true });
      return true;
    } catch {
      return false;
    }
  }

  /** Folds the journal in and closes it (at shutdown, so the snapshot alone is current). */
  async close(): Promise<void> {
    await this.flush();
    await this.compact();
    await this.journal.close();
  }
}

/**
 * What a journaled store holds on disk (its snapshot with the journal
 * applied), read without opening it: for tools and tests that look at
 * DATA_DIR while the bot runs.
 */
export async function readStored(path: string): Promise<Record<string, unknown>> {
  const state = (await readSnapshot(path)) as Record<string, unknown>;
  const text = await readFile(path.replace(/\.json$/, '') + '.journal', 'utf8').catch(() => '');
  for (const line of text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter(Boolean)) {
    for (const r of JSON.parse(line) as JournalRow[]) {
      if (r.c === SCALARS) { state[r.i] = r.v; continue; }
      const dict = (state[r.c] ??= {}) as Record<string, unknown>;
      if (r.v === null) delete dict[r.i];
      else dict[r.i] = r.v;
    }
  }
  return state;
}

/** The snapshot's content, or nothing when there is no file yet. */
async function readSnapshot(path: string): Promise<object> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new StartupError(`The state file ${path} cannot be read: ${(err as Error).message}.\nRestore it from your last backup of DATA_DIR.`);
  }
  let data: unknown;
  try {
    data = text.trim() ? JSON.parse(text) : {};
  } catch (err) {
    throw new StartupError(
      `The state file ${path} cannot be read: ${(err as Error).message}.\n` +
      'Restore it from your last backup of DATA_DIR, or move it aside to start with empty working state (the decision log keeps the history).',
    );
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new StartupError(`The state file ${path} does not hold a JSON object. Restore it from your last backup of DATA_DIR, or move it aside.`);
  return data;
}
