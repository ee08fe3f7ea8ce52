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

/** Notes a touch; true the first time this row (or the whole collection) is noted. */
function mark(marks: Marks, collection: string, id: string | 'all'): boolean {
  const m = marks.get(collection);
  if (m === 'all') return false;
  if (id === 'all') marks.set(collection, 'all');
  else if (!m) marks.set(collection, new Set([id]));
  else if (m.has(id)) return false;
  else m.add(id);
  return true;
}

/**
 * A view of `state` for one change. Reads and writes go to the real object;
 * the view only notes what was reached. Entries are handed out as they are
 * (not wrapped), so a change may clone or keep them as it likes; any change
 * to an entry goes through reaching it by id first, which is what is noted.
 */
export function trackedView<S extends object>(state: S, marks: Marks, firstTouch?: (collection: string, id: string | 'all') => void): S {
  const inner = new Map<string, object>();
  // Noted before the touch takes effect, so `firstTouch` sees the row as it was.
  const note = (collection: string, id: string | 'all') => { if (mark(marks, collection, id)) firstTouch?.(collection, id); };
  const collectionView = (name: string, dict: Record<string, unknown>) => new Proxy(dict, {
    get(t, id, r) { if (typeof id === 'string') note(name, id); return Reflect.get(t, id, r); },
    set(t, id, v, r) { if (typeof id === 'string') note(name, id); return Reflect.set(t, id, v, r); },
    deleteProperty(t, id) { if (typeof id === 'string') note(name, id); return Reflect.deleteProperty(t, id); },
    getOwnPropertyDescriptor(t, id) { if (typeof id === 'string') note(name, id); return Reflect.getOwnPropertyDescriptor(t, id); },
    ownKeys(t) { note(name, 'all'); return Reflect.ownKeys(t); },
  });
  return new Proxy(state, {
    get(t, key, r) {
      if (typeof key !== 'string') return Reflect.get(t, key, r) as unknown;
      const v = Reflect.get(t, key, r) as unknown;
      if (!isCollection(v)) { note(SCALARS, key); return v; }
      let view = inner.get(key);
      if (!view) inner.set(key, (view = collectionView(key, v)));
      return view;
    },
    set(t, key, v, r) {
      if (typeof key === 'string') {
        inner.delete(key);
        note(isCollection(v) ? key : SCALARS, isCollection(v) ? 'all' : key);
      }
      return Reflect.set(t, key, v, r);
    },
  });
}

/**
 * Runs one change against a view of `state` and adds what it touched to
 * `pending` (the changes not yet written). A change that throws is undone
 * before the error goes on: every row it touched goes back to what it was
 * before it ran, and nothing of it is noted, so nothing of a refused change
 * is written with the next. A row is as the cache holds it unless a pending
 * change altered it (or one in `writing`, a write in flight whose rows reach
 * the cache only once it is done); for those (and for top-level values) the
 * change's view keeps the JSON it found at its first touch.
 */
export function runChange<S extends object, T>(state: S, cache: RowCache, pending: Marks, change: (view: S) => T, writing?: Marks): T {
  const own: Marks = new Map();
  const before = new Map<string, string | null>();
  const s = state as Record<string, unknown>;
  const keep = (collection: string, id: string) => {
    const key = rowKey(collection, id);
    if (before.has(key)) return;
    const dict = collection === SCALARS ? s : s[collection];
    before.set(key, isCollection(dict) && Object.hasOwn(dict, id) && dict[id] !== undefined ? JSON.stringify(dict[id]) : null);
  };
  const firstTouch = (collection: string, id: string | 'all') => {
    for (const altered of [pending.get(collection), writing?.get(collection)]) {
      if (id !== 'all') {
        if (collection === SCALARS || altered === 'all' || altered?.has(id)) keep(collection, id);
        continue;
      }
      const dict = s[collection];
      const ids = altered === 'all' ? new Set([...cache.ids(collection), ...(isCollection(dict) ? Object.keys(dict) : [])]) : altered ?? [];
      for (const each of ids) keep(collection, each);
    }
  };
  let result: T;
  try {
    result = change(trackedView(state, own, firstTouch));
  } catch (err) {
    undo(s, cache, own, before);
    throw err;
  }
  for (const [collection, ids] of own) for (const id of ids === 'all' ? ['all' as const] : ids) mark(pending, collection, id);
  return result;
}

/** Puts every row a failed change touched back as it was (see `runChange`). Memory only: the cache is what was written. */
function undo(s: Record<string, unknown>, cache: RowCache, touched: Marks, before: ReadonlyMap<string, string | null>): void {
  for (const [collection, ids] of touched) {
    const dict = collection === SCALARS ? s : s[collection];
    if (!isCollection(dict)) continue;
    const all = ids === 'all'
      ? new Set([...cache.ids(collection), ...Object.keys(dict), ...[...before.keys()].filter((k) => k.startsWith(rowKey(collection, ''))).map((k) => k.slice(collection.length + 1))])
      : ids;
    for (const id of all) {
      const key = rowKey(collection, id);
      const value = before.has(key) ? before.get(key)! : cache.get(collection, id) ?? null;
      // Top-level values are always kept at first touch, so null means the value was not there before.
      if (value === null) delete dict[id];
      else dict[id] = JSON.parse(value);
    }
  }
}

function rowKey(collection: string, id: string): string {
  return `${collection}\u0000${id}`;
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
