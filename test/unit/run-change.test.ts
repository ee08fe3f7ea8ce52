import { describe, expect, it } from 'vitest';
import { changedRows, RowCache, runChange, type Marks } from '../../data/row-tracking.ts';

type State = { items: Record<string, { n: number }>; walSeq: number };

/** State as last written: items a (1) and b (2), walSeq 7, with the cache holding the same. */
function written() {
  const state: State = { items: Object.assign(Object.create(null) as State['items'], { a: { n: 1 }, b: { n: 2 } }), walSeq: 7 };
  const cache = new RowCache();
  cache.set('items', 'a', '{"n":1}');
  cache.set('items', 'b', '{"n":2}');
  cache.set('$', 'walSeq', '7');
  return { state, cache };
}

const fails = (fn: () => unknown) => expect(fn).toThrow('refused');

describe('running one change (runChange)', () => {
  it('notes what a change touched, so only rows that really changed are written', () => {
    const { state, cache } = written();
    const pending: Marks = new Map();
    runChange(state, cache, pending, (s) => { s.items.a!.n = 10; s.items.c = { n: 3 }; void s.items.b; s.walSeq = 8; });
    expect(changedRows(state, cache, pending).map((r) => [r.collection, r.id, r.value])).toEqual([['items', 'a', '{"n":10}'], ['items', 'c', '{"n":3}'], ['$', 'walSeq', '8']]);
  });

  it('undoes a change that throws, back to what the changes before it left, and notes nothing of it', () => {
    const { state, cache } = written();
    const pending: Marks = new Map();
    runChange(state, cache, pending, (s) => { s.items.a!.n = 10; s.walSeq = 8; });
    fails(() => runChange(state, cache, pending, (s) => { s.items.a!.n = 99; s.items.b!.n = 99; s.items.new = { n: 1 }; delete s.items.a; s.walSeq = 99; throw new Error('refused'); }));
    expect(state.items).toEqual({ a: { n: 10 }, b: { n: 2 } });
    expect(state.walSeq).toBe(8);
    expect(pending.get('items')).toEqual(new Set(['a']));
    // A top-level value a failed change added is taken away again.
    fails(() => runChange(state, cache, pending, (s) => { (s as State & { extra?: number }).extra = 1; throw new Error('refused'); }));
    expect('extra' in state).toBe(false);
  });

  it('undoes a change that listed a collection, even one a change before it had also listed', () => {
    const { state, cache } = written();
    const pending: Marks = new Map();
    runChange(state, cache, pending, (s) => { for (const k of Object.keys(s.items)) s.items[k]!.n += 1; });
    fails(() => runChange(state, cache, pending, (s) => { for (const k of Object.keys(s.items)) delete s.items[k]; s.items.z = { n: 0 }; throw new Error('refused'); }));
    expect(state.items).toEqual({ a: { n: 2 }, b: { n: 3 } });
  });

  it('keeps what a write in flight changed (in memory, not yet in the cache) when a later change fails', () => {
    const { state, cache } = written();
    const inFlight: Marks = new Map();
    runChange(state, cache, inFlight, (s) => { s.items.a!.n = 10; });
    // The write of `inFlight` has started: its rows reach the cache only when it is done.
    fails(() => runChange(state, cache, new Map(), (s) => { s.items.a!.n = 99; throw new Error('refused'); }, inFlight));
    expect(state.items.a).toEqual({ n: 10 });
    // Without being told of the write in flight, the undo would go back to the cache: the reason for `writing`.
    fails(() => runChange(state, cache, new Map(), (s) => { s.items.a!.n = 99; throw new Error('refused'); }));
    expect(state.items.a).toEqual({ n: 1 });
  });
});
