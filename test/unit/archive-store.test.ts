import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArchiveStore } from '../../data/archive-store.ts';

type Rec = { id: string; status: string; n: number };

describe('the archive of finished records', () => {
  it('keeps records out of memory but reads any by id; a later line for the same record wins; it survives reopening', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'arch-')), 'archive', 'escalations.jsonl');
    const a = await ArchiveStore.open<Rec>(path);
    a.put([{ id: 'ESC-00001', status: 'closed', n: 1 }, { id: 'ESC-00002', status: 'closed', n: 2 }]);
    a.put([{ id: 'ESC-00001', status: 'closed', n: 3 }]);
    expect(a.get('ESC-00001')).toEqual({ id: 'ESC-00001', status: 'closed', n: 3 });
    expect(a.get('ESC-00009')).toBeUndefined();
    const b = await ArchiveStore.open<Rec>(path);
    expect(b.count).toBe(2);
    expect(b.get('ESC-00001')!.n).toBe(3);
    expect(b.get('ESC-00002')!.n).toBe(2);
  });

  it('ignores a torn last line left by a crash mid-append, and appends cleanly after it', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'arch-')), 'escalations.jsonl');
    (await ArchiveStore.open<Rec>(path)).put([{ id: 'ESC-00001', status: 'closed', n: 1 }]);
    await appendFile(path, '{"id":"ESC-00002","sta');
    const a = await ArchiveStore.open<Rec>(path);
    expect(a.ids()).toEqual(['ESC-00001']);
    a.put([{ id: 'ESC-00003', status: 'closed', n: 3 }]);
    expect((await ArchiveStore.open<Rec>(path)).ids().sort()).toEqual(['ESC-00001', 'ESC-00003']);
  });

  it('removes records for good (a disposal), rewriting the file without them', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'arch-')), 'escalations.jsonl');
    const a = await ArchiveStore.open<Rec>(path);
    a.put([1, 2, 3].map((n) => ({ id: `ESC-0000${n}`, status: 'closed', n })));
    expect(await a.remove(['ESC-00002', 'ESC-00009'])).toBe(1);
    expect(await a.remove(['ESC-00002'])).toBe(0);
    expect(a.get('ESC-00003')!.n).toBe(3);
    expect(await readFile(path, 'utf8')).not.toContain('ESC-00002');
    expect((await ArchiveStore.open<Rec>(path)).ids()).toEqual(['ESC-00001', 'ESC-00003']);
  });
});
