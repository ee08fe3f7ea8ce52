/** A row as read from bd_state with its version (bigint, as text). */
export interface Versioned {
  collection: string;
  id: string;
  ver: string;
}

/**
 * Which version of each row memory holds, and the highest version seen: what
 * "rows newer than the last I saw" asks for. Versions only grow, so a read
 * that raced this instance's own commit can be told apart from news.
 */
export class RowVersions {
  private readonly byRow = new Map<string, number>();
  private seenVer = '0';

  /** The highest version read or written so far. */
  get seen(): string {
    return this.seenVer;
  }

  /**
   * Notes rows one store loaded from a read that saw every version up to
   * `upTo`. Only its own rows are held, and "seen" stays at the oldest such
   * read: rows another store's later load saw (or a removal it did not load)
   * are read again by the next sync, not taken as already in memory.
   */
  loaded(own: Iterable<Versioned>, upTo: string): void {
    for (const r of own) this.byRow.set(key(r), Number(r.ver));
    if (this.loads === 0 || Number(upTo) < Number(this.seenVer)) this.seenVer = upTo;
    this.loads += 1;
  }

  private loads = 0;

  /** Notes rows that memory now holds at these versions (written by this instance). */
  hold(rows: Iterable<Versioned>): void {
    for (const r of rows) {
      this.byRow.set(key(r), Number(r.ver));
      this.advance(r.ver);
    }
  }

  /** Of rows read in version order, those newer than memory holds; each is noted as held. */
  fresher<R extends Versioned>(rows: readonly R[]): R[] {
    const fresh = rows.filter((r) => {
      const ver = Number(r.ver);
      if ((this.byRow.get(key(r)) ?? 0) >= ver) return false;
      this.byRow.set(key(r), ver);
      return true;
    });
    if (rows.length) this.advance(rows.at(-1)!.ver);
    return fresh;
  }

  private advance(ver: string): void {
    if (Number(ver) > Number(this.seenVer)) this.seenVer = ver;
  }
}

function key(r: { collection: string; id: string }): string {
  return `${r.collection}\u0000${r.id}`;
}
