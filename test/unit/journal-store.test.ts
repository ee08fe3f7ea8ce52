import { appendFile, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { JournaledStateStore, readStored } from '../../data/journal-store.ts';

type S = { items: Record<string, { n: number; text?: string }>; walSeq: number };
const empty = (): S => ({ items: Object.create(null), walSeq: 0 });

describe('the journaled state store', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'journal-'));
    path = join(dir, 'state.json');
  });

  it('appends only what a write changed, however much is kept', async () => {
    const store = await JournaledStateStore.open(path, empty);
    await store.update((s) => { for (let i = 0; i < 2000; i++) s.items[`k${i}`] = { n: i, text: 'x'.repeat(100) }; });
    const before = (await stat(join(dir, 'state.journal'))).size;
    await store.update((s) => { s.items.k7!.n = 70; });
    const line = (await stat(join(dir, 'state.journal'))).size - before;
    expect(line).toBeLessThan(200);
    expect((await readStored(path) as S).items.k7).toEqual({ n: 70, text: 'x'.repeat(100) });
    await store.close();
  });

  it('replays the journal on opening, ignoring a torn last line, and folds it into the snapshot', async () => {
    const store = await JournaledStateStore.open(path, empty);
    await store.update((s) => { s.items.a = { n: 1 }; s.walSeq = 3; });
    await store.update((s) => { delete s.items.a; s.items.b = { n: 2 }; });
    // A crash: the process ends without folding, mid-way through another line.
    await appendFile(join(dir, 'state.journal'), '[{"c":"items","i":"c","v":{"n":');
    const again = await JournaledStateStore.open(path, empty);
    expect(again.read()).toEqual({ items: { b: { n: 2 } }, walSeq: 3 });
    expect(await readFile(join(dir, 'state.journal'), 'utf8')).toBe('');
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ items: { b: { n: 2 } }, walSeq: 3 });
    await again.close();
    await store.flush();
  });

  it('a crash between writing the new snapshot and emptying the journal changes nothing', async () => {
    const store = await JournaledStateStore.open(path, empty);
    await store.update((s) => { s.items.a = { n: 1 }; });
    await store.update((s) => { s.items.a!.n = 2; s.items.b = { n: 1 }; });
    await store.update((s) => { delete s.items.b; });
    const journal = await readFile(join(dir, 'state.journal'), 'utf8');
    await store.close();
    // The snapshot is current; put back the journal it folded in, as if truncating never happened.
    await writeFile(join(dir, 'state.journal'), journal);
    const again = await JournaledStateStore.open(path, empty);
    expect(again.read().items).toEqual({ a: { n: 2 } });
    await again.close();
  });

  it('folds the journal into the snapshot once it outgrows the state', async () => {
    const store = await JournaledStateStore.open(path, empty);
    for (let i = 0; i < 400; i++) await store.update((s) => { s.items.only = { n: i, text: 'y'.repeat(4000) }; });
    expect((await stat(join(dir, 'state.journal'))).size).toBeLessThan(1.2 * 1024 * 1024);
    expect((await readStored(path) as S).items.only!.n).toBe(399);
    await store.close();
  });

  it('refuses to start on a journal line that is complete but unreadable, naming the file', async () => {
    await writeFile(join(dir, 'state.journal'), 'not json\n');
    await expect(JournaledStateStore.open(path, empty)).rejects.toThrow(/state\.journal has a line \(1\) that cannot be read/);
  });
});
