import type { PgDatabase } from './pg-database.ts';

/** Archived records kept in memory after being read, so a card clicked twice is not two queries. */
const CACHE = 500;

/**
 * Finished records (closed escalations) moved out of hot state into
 * `bd_archive`, as `data/archive-store.ts` does on lowdb: only ids are held
 * in memory, and a record is read from the database when asked for. The
 * decision log still holds every record's whole history.
 */
export class PgArchive<T extends { id: string }> {
  private readonly cache = new Map<string, T>();

  private constructor(
    private readonly db: PgDatabase,
    private readonly kind: string,
    private readonly known: Set<string>,
  ) {}

  static async open<T extends { id: string }>(db: PgDatabase, kind: string): Promise<PgArchive<T>> {
    const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM bd_archive WHERE kind = $1', [kind]);
    return new PgArchive<T>(db, kind, new Set(rows.map((r) => r.id)));
  }

  has(id: string): boolean {
    return this.known.has(id);
  }

  get count(): number {
    return this.known.size;
  }

  ids(): string[] {
    return [...this.known];
  }

  /** A record read lately (or just archived here); `load` reads any from the database. */
  get(id: string): T | undefined {
    return this.cache.get(id);
  }

  /** Reads one archived record; another instance may have archived it, so the database is asked whatever this one knows. */
  async load(id: string): Promise<T | undefined> {
    const cached = this.cache.get(id);
    if (cached) return structuredClone(cached);
    const { rows } = await this.db.pool.query<{ value: string }>('SELECT value FROM bd_archive WHERE kind = $1 AND id = $2', [this.kind, id]);
    if (!rows[0]) return undefined;
    const record = JSON.parse(rows[0].value) as T;
    this.known.add(id);
    this.remember(record);
    return structuredClone(record);
  }

  /** Reads many at once into the cache (retention planning reads what it needs first). */
  async prefetch(ids: readonly string[]): Promise<void> {
    const { rows } = await this.db.pool.query<{ value: string }>('SELECT value FROM bd_archive WHERE kind = $1 AND id = ANY($2::text[])', [this.kind, ids]);
    for (const r of rows) {
      const record = JSON.parse(r.value) as T;
      this.known.add(record.id);
      this.cache.set(record.id, record);
    }
  }

  /** Writes records before the caller drops them from hot state; a record archived again replaces its row. */
  async put(records: readonly T[]): Promise<void> {
    if (!records.length) return;
    await this.db.pool.query(
      'INSERT INTO bd_archive (kind, id, value) SELECT $1, i, v FROM unnest($2::text[], $3::text[]) AS u(i, v) ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value',
      [this.kind, records.map((r) => r.id), records.map((r) => JSON.stringify(r))],
    );
    for (const r of records) {
      this.known.add(r.id);
      this.remember(r);
    }
  }

  /** Removes records for good (a disposal under the retention schedule). */
  async remove(ids: readonly string[]): Promise<number> {
    const { rowCount } = await this.db.pool.query('DELETE FROM bd_archive WHERE kind = $1 AND id = ANY($2::text[])', [this.kind, ids]);
    for (const id of ids) {
      this.known.delete(id);
      this.cache.delete(id);
    }
    return rowCount ?? 0;
  }

  private remember(record: T): void {
    this.cache.delete(record.id);
    this.cache.set(record.id, record);
    if (this.cache.size > CACHE) this.cache.delete(this.cache.keys().next().value!);
  }
}
