/**
 * State held as rows: each top-level collection of the state object (a
 * dictionary such as `escalations`) is one row per entry; any other
 * top-level value (the checkpoint's `walSeq`) is a row in collection '$'.
 * A change runs against a view that notes which rows it touched, so a write
 * sends only the rows that really changed, not the whole state.
 */

/** One row as stored: the entry's JSON, or null once removed. */
export interface Row {
  collection: string;
  id: string;
  value: string | null;
}

/** Collection name for top-level values that are not collections. */
export const SCALARS = '$';

/** What a change touched: ids per collection, or 'all' when it listed or replaced the collection. */
export type Marks = Map<string, Set<string> | 'all'>;

/** The JSON of every row as last read from or written to the database: what a change is compared with, and what a failed write restores. */
export class RowCache {
  private readonly rows = new Map<string, Map<string, string>>();
  private readonly listeners: Array<(rows: ReadonlyArray<{ collection: string; id: string }>) => void> = [];

  /** Called with the rows `applyRows` put into memory: loaded, pulled from another instance, or a failed write undone. */
  onApplied(fn: (rows: ReadonlyArray<{ collection: string; id: string }>) => void): void {
    this.listeners.push(fn);
  }

  /** Tells the listeners (see `onApplied`). */
  applied(rows: ReadonlyArray<{ collection: string; id: string }>): void {
    if (rows.length) for (const fn of this.listeners) fn(rows);
  }
  /** Bytes of JSON held: the state's size, for the metric. */
  bytes = 0;

  get(collection: string, id: string): string | undefined {
    return this.rows.get(collection)?.get(id);
  }

  set(collection: string, id: string, json: string | null): void {
    let c = this.rows.get(collection);
    if (!c) this.rows.set(collection, (c = new Map()));
    this.bytes -= c.get(id)?.length ?? 0;
    if (json === null) c.delete(id);
    else {
      c.set(id, json);
      this.bytes += json.length;
    }
  }

  ids(collection: string): Iterable<string> {
    return this.rows.get(collection)?.keys() ?? [];
  }
}

function isCollection(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function mark(marks: Marks, collection: string, id: string | 'all'): void {
  const m = marks.get(collection);
  if (m === 'all') return;
  if (id === 'all') marks.set(collection, 'all');
  else if (m) m.add(id);
  else marks.set(collection, new Set([id]));
}

/**
 * A view of `state` for one change. Reads and writes go to the real object;
 * the view only notes what was reached. Entries are handed out as they are
 * (not wrapped), so a change may clone or keep them as it likes; any change
 * to an entry goes through reaching it by id first, which is what is noted.
 */
export function trackedView<S extends object>(state: S, marks: Marks): S {
  const inner = new Map<string, object>();
  const collectionView = (name: string, dict: Record<string, unknown>) => new Proxy(dict, {
    get(t, id, r) { if (typeof id === 'string') mark(marks, name, id); return Reflect.get(t, id, r); },
    set(t, id, v, r) { if (typeof id === 'string') mark(marks, name, id); return Reflect.set(t, id, v, r); },
    deleteProperty(t, id) { if (typeof id === 'string') mark(marks, name, id); return Reflect.deleteProperty(t, id); },
    getOwnPropertyDescriptor(t, id) { if (typeof id === 'string') mark(marks, name, id); return Reflect.getOwnPropertyDescriptor(t, id); },
    ownKeys(t) { mark(marks, name, 'all'); return Reflect.ownKeys(t); },
  });
  return new Proxy(state, {
    get(t, key, r) {
      const v = Reflect.get(t, key, r) as unknown;
      if (typeof key !== 'string') return v;
      if (!isCollection(v)) { mark(marks, SCALARS, key); return v; }
      let view = inner.get(key);
      if (!view) inner.set(key, (view = collectionView(key, v)));
      return view;
    },
    set(t, key, v, r) {
      if (typeof key === 'string') {
        inner.delete(key);
        mark(marks, isCollection(v) ? key : SCALARS, isCollection(v) ? 'all' : key);
      }
      return Reflect.set(t, key, v, r);
    },
  });
}

/** The rows a change really altered: each noted entry whose JSON differs from the cache. */
export function changedRows(state: object, cache: RowCache, marks: Marks): Row[] {
  const s = state as Record<string, unknown>;
  const out: Row[] = [];
  const compare = (collection: string, id: string, now: unknown) => {
    const json = now === undefined ? null : JSON.stringify(now);
    if (json !== (cache.get(collection, id) ?? null)) out.push({ collection, id, value: json });
  };
  for (const [collection, ids] of marks) {
    if (collection === SCALARS) {
      for (const key of ids === 'all' ? [] : ids) compare(SCALARS, key, s[key]);
      continue;
    }
    const dict = s[collection];
    if (!isCollection(dict)) continue;
    const all = ids === 'all' ? new Set([...cache.ids(collection), ...Object.keys(dict)]) : ids;
    for (const id of all) compare(collection, id, Object.hasOwn(dict, id) ? dict[id] : undefined);
  }
  return out;
}

/** Puts rows into state and the cache (a sync from the database, or undoing a failed write). */
export function applyRows(state: object, cache: RowCache, rows: readonly Row[]): void {
  const s = state as Record<string, unknown>;
  for (const { collection, id, value } of rows) {
    cache.set(collection, id, value);
    if (collection === SCALARS) {
      if (value !== null) s[id] = JSON.parse(value);
      continue;
    }
    const dict = s[collection];
    if (!isCollection(dict)) continue;
    if (value === null) delete dict[id];
    else dict[id] = JSON.parse(value);
  }
  cache.applied(rows);
}

/** Undoes a change that could not be written: every row it altered goes back to the cache's JSON. */
export function restoreRows(state: object, cache: RowCache, rows: readonly Row[]): void {
  applyRows(state, cache, rows.map((r) => ({ ...r, value: cache.get(r.collection, r.id) ?? null })));
}
