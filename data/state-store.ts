import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
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
  /** Applies `change` and persists the result before resolving. */
  update<T>(change: (state: S) => T): Promise<T>;
  /** Resolves once every accepted change is on disk. */
  flush(): Promise<void>;
  /** True when the storage can take writes now; used by /healthz. */
  checkWritable(): Promise<boolean>;
}

/**
 * lowdb JSON file store. lowdb's file adapter writes to a temporary file and
 * renames it over the old one, so a crash never leaves a half-written file.
 */
export class LowdbStateStore<S extends object> implements StateStore<S> {
  /** The last write started (or finished). */
  private inFlight: Promise<void> = Promise.resolve();
  /** A write waiting for the one in flight; every change made before it starts rides on it. */
  private queued: Promise<void> | undefined;

  private constructor(
    private readonly db: Low<S>,
    private readonly path: string,
  ) {}

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
    db.data = { ...defaults(), ...db.data };
    // Writing once at start-up proves the data directory is writable before any request is accepted.
    await db.write();
    return new LowdbStateStore(db, path);
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
    const write = this.inFlight.catch(() => undefined).then(() => {
      this.queued = undefined;
      return this.db.write();
    });
    this.queued = write;
    this.inFlight = write;
    return write;
  }

  async checkWritable(): Promise<boolean> {
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
