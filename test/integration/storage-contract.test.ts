import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../bot/domain/clock.ts';
import type { DecisionEntry } from '../../bot/domain/decision-log.ts';
import pg from 'pg';
import { PgDatabase } from '../../data/pg/pg-database.ts';
import { VALUES_LIMIT, type WriteTiming } from '../../data/pg/write-sql.ts';
import { PgDecisionLog } from '../../data/pg/pg-decision-log.ts';
import { PgStateStore } from '../../data/pg/pg-state-store.ts';
import { verifyLines } from '../../data/verify-log.ts';
import { describePg, freshSchema } from '../helpers/postgres.ts';
import { lowdbBackend, postgresBackend, testState, type Backend, type Instance, type TestState } from '../helpers/storage-backends.ts';

/**
 * The storage contract: one suite, run against lowdb and PostgreSQL. What
 * every backend must do for the domain (see data/state-store.ts and
 * bot/domain/decision-log.ts); what only a shared database can do (several
 * instances) is in the PostgreSQL-only block below.
 */
const clock = new ManualClock(new Date('2026-12-01T09:00:00Z'));
const entry = (action: string, id: string, personId = 'p-1'): DecisionEntry => ({
  action, outcome: 'done', actor: { personId, name: 'Pat', identity: `slack:T1:${personId}` }, subject: { type: 'item', id }, details: { note: `about ${id}` },
});

function contract(name: string, make: () => Promise<Backend>): void {
  let backend: Backend;
  let db: Instance;
  const reopen = async () => { await db.close(); db = await backend.open(clock); };
  beforeAll(async () => { backend = await make(); db = await backend.open(clock); });
  afterAll(async () => { await db.close(); await backend.dispose(); });

  it(`${name}: a change is kept across a restart, and only what changed is kept`, async () => {
    await db.store.update((s) => { s.items.a = { n: 1 }; s.items.b = { n: 2 }; s.counters.X = 7; });
    await db.store.update((s) => { s.items.a!.n = 10; delete s.items.b; });
    await reopen();
    expect(db.store.read().items).toEqual({ a: { n: 10 } });
    expect(db.store.read().counters.X).toBe(7);
  });

  it(`${name}: a user's text (quotes, NUL, emoji, __proto__) is stored as data`, async () => {
    const text = 'O\'Brien "quoted" \u0000 nul \u{1F6A8} <b>{{x}}</b> \\';
    await db.store.update((s) => { s.items.weird = { n: 1, text }; s.items.__proto__ = { n: 2 }; });
    await reopen();
    expect(db.store.read().items.weird!.text).toBe(text);
    expect(Object.hasOwn(db.store.read().items, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).n).toBeUndefined();
  });

  it(`${name}: concurrent check-and-set changes never lose one`, async () => {
    await Promise.all(Array.from({ length: 60 }, () => db.store.update((s) => { s.counters.hits = (s.counters.hits ?? 0) + 1; })));
    await reopen();
    expect(db.store.read().counters.hits).toBe(60);
  });

  it(`${name}: a change that throws is refused alone; the others in flight are kept`, async () => {
    const results = await Promise.allSettled([
      db.store.update((s) => { s.items.ok1 = { n: 1 }; }),
      db.store.update(() => { throw new Error('bad change'); }),
      db.store.update((s) => { s.items.ok2 = { n: 2 }; }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    await reopen();
    expect(db.store.read().items.ok1).toEqual({ n: 1 });
    expect(db.store.read().items.ok2).toEqual({ n: 2 });
  });

  it(`${name}: a change that throws part-way leaves nothing of itself, and keeps what the changes beside it made`, async () => {
    await db.store.update((s) => { s.items.base = { n: 1 }; s.items.listed = { n: 1 }; s.counters.Y = 1; });
    // All four run before one write: the failing ones find rows the first altered and has not written yet.
    const results = await Promise.allSettled([
      db.store.update((s) => { s.items.base!.n = 2; s.items.first = { n: 1 }; s.counters.Y = 2; }),
      db.store.update((s) => { s.items.base!.n = 99; s.items.half = { n: 1 }; delete s.items.first; s.counters.Y = 99; throw new Error('half-way'); }),
      db.store.update((s) => { for (const k of Object.keys(s.items)) s.items[k]!.n += 100; s.items.listedToo = { n: 0 }; throw new Error('half-way through a listing'); }),
      db.store.update((s) => { s.items.after = { n: s.items.base!.n }; }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    const expected = { base: { n: 2 }, listed: { n: 1 }, first: { n: 1 }, after: { n: 2 } };
    const pick = () => Object.fromEntries(['base', 'listed', 'first', 'half', 'listedToo', 'after'].filter((k) => db.store.read().items[k]).map((k) => [k, db.store.read().items[k]]));
    expect(pick()).toEqual(expected);
    expect(db.store.read().counters.Y).toBe(2);
    await reopen();
    expect(pick()).toEqual(expected);
    expect(db.store.read().counters.Y).toBe(2);
  });

  it(`${name}: the decision log chains, answers searches and verifies`, async () => {
    const before = (await db.log.head()).seq;
    const appended = await Promise.all(Array.from({ length: 20 }, (_, i) => db.log.append(entry(i % 2 ? 'item.changed' : 'item.raised', `I-${i % 4}`, `p-${i % 3}`))));
    expect(appended.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => before + i + 1));
    expect((await db.log.forSubject('item', 'I-1')).map((r) => r.seq)).toEqual(appended.filter((r) => r.subject?.id === 'I-1').map((r) => r.seq).sort((a, b) => a - b));
    expect((await db.log.query({ actorId: 'p-2' })).every((r) => r.actor?.personId === 'p-2')).toBe(true);
    expect(await db.log.query({ from: '2027-01-01T00:00:00Z' })).toEqual([]);
    const head = await db.log.head();
    expect(head.seq).toBe(before + 20);
    expect(await db.verify()).toMatchObject({ ok: true, records: before + 20, head: { seq: head.seq, hash: head.hash } });
    expect((await db.log.recordsAfter(head.seq - 2)).map((r) => r.seq)).toEqual([head.seq - 1, head.seq]);
  });

  it(`${name}: a redaction keeps the chain verifying`, async () => {
    const target = await db.log.append(entry('item.raised', 'R-1'));
    const disposal = await db.log.append({ action: 'records.disposed', outcome: 'done', actor: { identity: 'system' }, details: { rules: ['test'], seqs: [target.seq] } });
    expect(await db.log.redact([target.seq], disposal.seq)).toBe(1);
    expect(await db.log.redact([target.seq], disposal.seq)).toBe(0);
    const [redacted] = await db.log.forSubject('item', 'R-1');
    expect(redacted!.actor).toBeUndefined();
    expect(redacted!.redacted?.by).toBe(disposal.seq);
    expect(await db.verify()).toMatchObject({ ok: true, redacted: 1 });
  });

  it(`${name}: a record and its state change are kept together`, async () => {
    const change = (s: { items: Record<string, { n: number }> }) => { s.items.together = { n: 42 }; };
    let seq: number;
    if (db.log.appendWith) seq = (await db.log.appendWith(entry('item.raised', 'together'), db.store, change)).seq;
    else {
      seq = (await db.log.append(entry('item.raised', 'together'))).seq;
      await db.store.update(change);
    }
    await reopen();
    expect(db.store.read().items.together).toEqual({ n: 42 });
    expect((await db.log.forSubject('item', 'together')).map((r) => r.seq)).toEqual([seq]);
  });

  it(`${name}: one change of more entries than a statement takes as parameters is kept, and so is their removal`, async () => {
    // Past VALUES_LIMIT a PostgreSQL write sends its rows as arrays (data/pg/write-sql.ts): both ways must keep every value.
    const many = VALUES_LIMIT + 1;
    await db.store.update((s) => { for (let i = 0; i < many; i++) s.items[`bulk-${i}`] = { n: i, text: `'"\\ \u0000 ${i}` }; });
    await reopen();
    const kept = Object.keys(db.store.read().items).filter((k) => k.startsWith('bulk-'));
    expect(kept).toHaveLength(many);
    expect(db.store.read().items[`bulk-${many - 1}`]).toEqual({ n: many - 1, text: `'"\\ \u0000 ${many - 1}` });
    await db.store.update((s) => { for (let i = 0; i < many; i++) delete s.items[`bulk-${i}`]; });
    await reopen();
    expect(Object.keys(db.store.read().items).filter((k) => k.startsWith('bulk-'))).toEqual([]);
  });
}

describe('storage contract: lowdb', () => contract('lowdb', lowdbBackend));
await describePg('storage contract: PostgreSQL', () => contract('postgres', () => postgresBackend('contract')));

/** What only a shared database can do: several instances on the same data. */
await describePg('storage: several instances on one PostgreSQL', () => {
  let target: Awaited<ReturnType<typeof freshSchema>>;
  let a: { db: PgDatabase; store: PgStateStore<TestState>; log: PgDecisionLog };
  let b: typeof a;
  const open = async () => {
    const db = await PgDatabase.open(target);
    const store = await PgStateStore.open(db, testState);
    return { db, store, log: new PgDecisionLog(db, clock, store) };
  };
  beforeAll(async () => {
    target = await freshSchema('instances');
    a = await open();
    b = await open();
  });
  afterAll(async () => { await a.db.close(); await b.db.close(); await target.drop(); });

  it('a change on one instance reaches the other by itself (LISTEN/NOTIFY), and at once on sync', async () => {
    await a.store.update((s) => { s.items.shared = { n: 1 }; });
    await expect.poll(() => b.store.read().items.shared, { timeout: 3000 }).toEqual({ n: 1 });
    await a.store.update((s) => { delete s.items.shared; });
    await b.store.sync();
    expect(b.store.read().items.shared).toBeUndefined();
  });

  it('each committed write reports how long it waited for the write lock and held it, and what it carried', async () => {
    const seen: WriteTiming[] = [];
    a.db.onWrite((t) => seen.push(t));
    await Promise.all([a.store.update((s) => { s.items.timed1 = { n: 1 }; }), a.store.update((s) => { s.items.timed2 = { n: 2 }; }), a.log.append(entry('item.timed', 'timed'))]);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.reduce((n, t) => n + t.changes, 0)).toBe(3);
    for (const t of seen) {
      expect(t.waitSeconds).toBeGreaterThan(0);
      expect(t.heldSeconds).toBeGreaterThan(0);
    }
    // A refused change is not counted as written.
    await expect(a.store.update(() => { throw new Error('refused'); })).rejects.toThrow('refused');
    expect(seen.reduce((n, t) => n + t.changes, 0)).toBe(3);
  });

  it('check-and-set changes from both instances at once never lose one', async () => {
    const bump = (x: typeof a) => x.store.update((s) => { s.counters.both = (s.counters.both ?? 0) + 1; });
    await Promise.all(Array.from({ length: 40 }, (_, i) => bump(i % 2 ? a : b)));
    await a.store.sync();
    await b.store.sync();
    expect(a.store.read().counters.both).toBe(40);
    expect(b.store.read().counters.both).toBe(40);
  });

  it('records appended from both instances form one chain: no sequence number twice, and it verifies', async () => {
    const appended = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).log.append(entry('item.raised', `M-${i}`))));
    const seqs = appended.map((r) => r.seq);
    expect(new Set(seqs).size).toBe(40);
    expect(await verifyLines(a.log.lines())).toMatchObject({ ok: true, records: Math.max(...seqs) });
    // Every record is committed with the checkpoint, so state is never behind the log.
    await a.store.sync();
    expect(a.store.read().walSeq).toBe(Math.max(...seqs));
  });

  it('a lock on a record is held across instances: no two holders at once', async () => {
    let holders = 0;
    let most = 0;
    const hold = (x: typeof a) => x.store.exclusive('item:L-1', async () => {
      holders += 1;
      most = Math.max(most, holders);
      await new Promise((r) => setTimeout(r, 5));
      holders -= 1;
    });
    await Promise.all(Array.from({ length: 12 }, (_, i) => hold(i % 2 ? a : b)));
    expect(most).toBe(1);
  });

  it('exactly one instance leads; when it goes, the other takes over', async () => {
    await Promise.all([a.db.leadership.start(), b.db.leadership.start()]);
    expect([a.db.leadership.isLeader, b.db.leadership.isLeader].filter(Boolean)).toHaveLength(1);
    const [leader, other] = a.db.leadership.isLeader ? [a, b] : [b, a];
    await leader.db.leadership.close();
    await expect.poll(() => other.db.leadership.isLeader, { timeout: 6000, interval: 100 }).toBe(true);
  });

  it('tells a listener of entries another instance wrote, and of entries a refused write put back, never of its own', async () => {
    const seen: string[] = [];
    b.store.onOutsideChange((rows) => seen.push(...rows.filter((r) => r.collection === 'items').map((r) => r.id)));
    await b.store.update((s) => { s.items.mine = { n: 1 }; });
    await a.store.update((s) => { s.items.theirs = { n: 1 }; });
    await b.store.sync();
    expect(seen).toEqual(['theirs']);
    const admin = new pg.Client({ connectionString: target.url, options: `-c search_path=${target.schema}` });
    await admin.connect();
    await admin.query("ALTER TABLE bd_state ADD CONSTRAINT no_poison2 CHECK (id <> 'poison')");
    try {
      await expect(b.store.update((s) => { s.items.poison = { n: 1 }; delete s.items.mine; })).rejects.toThrow(/no_poison2/);
      expect(seen.slice(1).sort()).toEqual(['mine', 'poison']);
      expect(b.store.read().items.mine).toEqual({ n: 1 });
    } finally {
      await admin.query('ALTER TABLE bd_state DROP CONSTRAINT no_poison2');
      await admin.end();
    }
  });

  it('a write the database refuses is undone in memory, and health says so until a write works', async () => {
    const admin = new pg.Client({ connectionString: target.url, options: `-c search_path=${target.schema}` });
    await admin.connect();
    await admin.query("ALTER TABLE bd_state ADD CONSTRAINT no_poison CHECK (id <> 'poison')");
    try {
      await a.store.update((s) => { s.items.fine = { n: 1 }; });
      await expect(a.store.update((s) => { s.items.poison = { n: 1 }; s.items.fine!.n = 2; })).rejects.toThrow(/no_poison/);
      expect(a.store.read().items.poison).toBeUndefined();
      expect(a.store.read().items.fine).toEqual({ n: 1 });
      // Nothing of the refused write was committed (its commit was queued behind it, and never ran).
      const stored = await admin.query<{ id: string; value: string }>("SELECT id, value FROM bd_state WHERE collection = 'items' AND id IN ('fine', 'poison')");
      expect(stored.rows.map((r) => [r.id, JSON.parse(r.value)])).toEqual([['fine', { n: 1 }]]);
      expect(await a.store.checkWritable()).toBe(false);
      await a.store.update((s) => { s.items.fine!.n = 3; });
      expect(await a.store.checkWritable()).toBe(true);
    } finally {
      await admin.query('ALTER TABLE bd_state DROP CONSTRAINT no_poison');
      await admin.end();
    }
  });
});
