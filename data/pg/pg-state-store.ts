import { dictionaries, type StateStore } from '../state-store.ts';
import type { PgDatabase, RowOwner } from './pg-database.ts';
import { RowCache, SCALARS } from '../row-tracking.ts';

/**
 * A state store on PostgreSQL: the same interface and semantics as the
 * lowdb store (reads from memory, `update` resolves once the change is
 * committed, a failed write is undone), with each entry of each collection
 * a row, so a change writes only what it changed. Several stores can share
 * one database as long as their collections differ.
 */
export class PgStateStore<S extends object> implements StateStore<S>, RowOwner {
  readonly cache = new RowCache();

  private constructor(
    private readonly db: PgDatabase,
    readonly state: S,
    private readonly collections: ReadonlySet<string>,
    private readonly scalars: ReadonlySet<string>,
  ) {}

  /** Opens a store whose shape (collections and other top-level values) is `defaults()`; `omit` names keys another store owns. */
  static async open<S extends object>(db: PgDatabase, defaults: () => S, omit: readonly string[] = []): Promise<PgStateStore<S>> {
    const state = dictionaries(defaults());
    for (const key of omit) delete (state as Record<string, unknown>)[key];
    const entries = Object.entries(state);
    const isDict = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v);
    const store = new PgStateStore(db, state, new Set(entries.filter(([, v]) => isDict(v)).map(([k]) => k)), new Set(entries.filter(([, v]) => !isDict(v)).map(([k]) => k)));
    await db.register(store);
    return store;
  }

  owns(collection: string, id: string): boolean {
    return collection === SCALARS ? this.scalars.has(id) : this.collections.has(collection);
  }

  read(): Readonly<S> {
    return this.state;
  }

  onOutsideChange(fn: (rows: ReadonlyArray<{ collection: string; id: string }>) => void): void {
    this.cache.onApplied(fn);
  }

  async update<T>(change: (state: S) => T): Promise<T> {
    return (await this.db.transact<T>({ owner: this, change: change as (v: never) => unknown })).result;
  }

  flush(): Promise<void> {
    return this.db.flushed();
  }

  checkWritable(): Promise<boolean> {
    return this.db.writable();
  }

  sizeBytes(): number {
    return this.cache.bytes;
  }

  /** Runs `fn` under a lock every instance on the database respects, with memory brought up to date first. */
  exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.db.exclusive(key, fn);
  }

  /** Brings memory up to date with what other instances committed. */
  sync(): Promise<void> {
    return this.db.sync();
  }
}
