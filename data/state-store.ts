import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile, TextFile } from 'lowdb/node';
import { StartupError } from './data-dir.ts';

/**
 * Keeps the working state (registers, open dialogs, conversation references …).
 * Reads are from memory; `update` changes memory synchronously, so a
 * check-and-set inside one callback cannot interleave with another, then
 * persists. Another backend (PostgreSQL for several instances) implements
 * the same interface.
 */
export interface StateStore<S> {
  /** The current state. Treat it as read-only: change it through `update`. */
  read(): Readonly<S>;
  /** Applies `change` and persists the result before resolving; if the write fails, the change is undone and the call rejects. */
  update<T>(change: (state: S) => T): Promise<T>;
  /** Resolves once every accepted change is on disk. */
  flush(): Promise<void>;
  /** True when the storage can take writes now and the last write worked; used by /healthz. */
  checkWritable(): Promise<boolean>;
  /** Bytes of state as last written (the metric: what each change rewrites). */
  sizeBytes(): number;
  /**
   * Where several instances share the storage (PostgreSQL): runs `fn` under a
   * lock on `key` that every instance respects, with memory brought up to
   * date first. Absent on lowdb, where one instance holds DATA_DIR.
   */
  exclusive?<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Where several instances share the storage: brings memory up to date with what the others committed. */
  sync?(): Promise<void>;
}

/**
 * Collections are dictionaries keyed by ids that come from outside (an
 * escalation id on a card, a session id in a form): without a prototype,
 * `__proto__` or `constructor` is just a key that is not there.
 */
export function dictionaries<S extends object>(state: S): S {
  for (const [k, v] of Object.entries(state)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) !== null) (state as Record<string, unknown>)[k] = Object.assign(Object.create(null), v);
  }
  return state;
}

/**
 * lowdb JSON file store. lowdb's file adapter writes to a temporary file and
 * renames it over the old one, so a crash never leaves a half-written file.
 * State is written compactly; a write that fails rolls memory back to what
 * is on disk, so one bad change cannot poison every later write.
 */
export class LowdbStateStore<S extends object> implements StateStore<S> {
  /** The last write started (or finished). */
  private inFlight: Promise<void> = Promise.resolve();
  /** A write waiting for the one in flight; every change made before it starts rides on it. */
  private queued: Promise<void> | undefined;
  /** The text of the state as last written: what memory returns to if a write fails. */
  private lastWritten: string;
  private lastWriteOk = true;

  /** lowdb's atomic text writer (temporary file, then rename) for the compact JSON. */
  private readonly file: TextFile;

  private constructor(
    private readonly db: Low<S>,
    private readonly path: string,
  ) {
    this.file = new TextFile(path);
    this.lastWritten = JSON.stringify(db.data);
  }

  static async open<S extends object>(path: string, defaults: () => S): Promise<LowdbStateStore<S>> {
    await mkdir(dirname(path), { recursive: true });
    const db = new Low<S>(new JSONFile<S>(path), defaults());
    try {
      await db.read();
    } catch (err) {
      throw new StartupError(
        `The state file ${path} cannot be read: ${(err as Error).message}.\n` +
        'Restore it from your last backup of DATA_DIR, or move it aside to start with empty working state (the decision log keeps the history).',
      );
    }
    if (!db.data || typeof db.data !== 'object' || Array.isArray(db.data)) {
      throw new StartupError(`The state file ${path} does not hold a JSON object. Restore it from your last backup of DATA_DIR, or move it aside.`);
    }
    // Fill collections added since the file was written, so old files keep working.
    db.data = dictionaries({ ...defaults(), ...db.data });
    const store = new LowdbStateStore(db, path);
    // Writing once at start-up proves the data directory is writable before any request is accepted.
    await store.persist();
    return store;
  }

  read(): Readonly<S> {
    return this.db.data;
  }

  async update<T>(change: (state: S) => T): Promise<T> {
    const result = change(this.db.data);
    await this.persist();
    return result;
  }

  async flush(): Promise<void> {
    await this.inFlight.catch(() => undefined);
  }

  /**
   * Group commit: changes made while a write is in flight share the next
   * write, so a burst costs two file writes, not one per change. Each caller
   * still resolves only once a write that includes its change is on disk.
   */
  private persist(): Promise<void> {
    if (this.queued) return this.queued;
    const write = this.inFlight.catch(() => undefined).then(async () => {
      this.queued = undefined;
      try {
        const text = JSON.stringify(this.db.data);
        await this.file.write(text);
        this.lastWritten = text;
        this.lastWriteOk = true;
      } catch (err) {
        // Every change in this write is undone: their callers are told it failed, and later writes start clean.
        this.lastWriteOk = false;
        this.db.data = dictionaries(JSON.parse(this.lastWritten) as S);
        throw err;
      }
    });
    this.queued = write;
    this.inFlight = write;
    return write;
  }

  sizeBytes(): number {
    return Buffer.byteLength(this.lastWritten);
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
}
