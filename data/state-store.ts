/**
 * Keeps the working state (registers, open dialogs, conversation references …).
 * Reads are from memory. `update` runs its change on memory in one go (at
 * once on lowdb, inside its transaction on PostgreSQL), so a check-and-set
 * inside one callback cannot interleave with another, then persists. The
 * embedded backend is data/journal-store.ts (lowdb's file with a journal);
 * data/pg/ is PostgreSQL, for several instances.
 */
export interface StateStore<S> {
  /** The current state. Treat it as read-only: change it through `update`. */
  read(): Readonly<S>;
  /**
   * Applies `change` and persists the result before resolving; if the write fails, the change is undone and the call
   * rejects. A change that throws is undone in memory at once (what it did before throwing is never written) and the
   * call rejects with its error; changes made beside it are kept.
   */
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
  /**
   * Calls `fn` with the entries put into memory other than by a change in
   * this process: another instance's commit, or a failed write undone. Lets
   * an index kept beside the state (the outbox's) follow it.
   */
  onOutsideChange?(fn: (rows: ReadonlyArray<{ collection: string; id: string }>) => void): void;
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
