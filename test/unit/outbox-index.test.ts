import { describe, expect, it } from 'vitest';
import { OutboxIndex } from '../../bot/app/outbox/outbox-index.ts';
import type { OutboxItem } from '../../bot/app/outbox/types.ts';

const item = (id: string, key: string, subject?: string, channelId = 'C-DESK'): OutboxItem => ({
  id, op: 'post', key, platform: 'slack', place: { platform: 'slack', channelId }, placeName: '#desk', label: subject ?? 'x', urgent: false, createdAt: '2026-12-03T10:00:00Z', giveUpAt: '2026-12-04T10:00:00Z', attempts: 0,
  ...(subject ? { subject: { kind: 'escalation', id: subject } } : {}),
});

/** An update to a card already posted in a Slack channel. */
const update = (id: string, channelId: string): OutboxItem => ({
  ...item(id, `update:${id}`), op: 'update', place: undefined, copy: { platform: 'slack', channelId, ts: '1.0', sentHash: 'h' } as OutboxItem['copy'],
});

/** The groups as lists of ids, sorted, for comparing. */
const groups = (index: OutboxIndex) => [...index.paceGroups()].map((g) => [...g].map((i) => i.id).sort()).filter((g) => g.length).sort();

/** The outbox as stored, and an index over it. */
function setup(items: OutboxItem[] = []) {
  const outbox: Record<string, OutboxItem> = Object.create(null);
  for (const i of items) outbox[i.id] = i;
  return { outbox, index: new OutboxIndex(() => outbox) };
}

describe('the outbox index', () => {
  it('is built from the outbox on first use, and finds items by key and by subject', () => {
    const { index } = setup([item('OUT-1', 'post:ESC-1:a', 'ESC-1'), item('OUT-2', 'post:ESC-1:b', 'ESC-1'), item('OUT-3', 'post:ESC-2:a', 'ESC-2')]);
    expect(index.withKey('post:ESC-1:b').map((i) => i.id)).toEqual(['OUT-2']);
    expect(index.forSubject({ kind: 'escalation', id: 'ESC-1' }).map((i) => i.id).sort()).toEqual(['OUT-1', 'OUT-2']);
    expect(index.forSubject({ kind: 'account', id: 'ESC-1' })).toEqual([]);
    expect(index.withKey('post:ESC-9:a')).toEqual([]);
  });

  it('never counts an item that has left the outbox, even if it was not told', () => {
    const { outbox, index } = setup([item('OUT-1', 'k1', 'ESC-1')]);
    expect(index.withKey('k1')).toHaveLength(1);
    delete outbox['OUT-1'];
    expect(index.withKey('k1')).toEqual([]);
    // An id used again for another item (a write undone, then a new one) is found under its new key only.
    outbox['OUT-1'] = item('OUT-1', 'k2', 'ESC-2');
    expect(index.withKey('k1')).toEqual([]);
    index.refresh(['OUT-1']);
    expect(index.withKey('k2').map((i) => i.id)).toEqual(['OUT-1']);
    expect(index.forSubject({ kind: 'escalation', id: 'ESC-2' })).toHaveLength(1);
  });

  it('follows items noted, forgotten and refreshed (another instance, a write undone)', () => {
    const { outbox, index } = setup();
    expect(index.withKey('k1')).toEqual([]);
    outbox['OUT-1'] = item('OUT-1', 'k1');
    index.note(outbox['OUT-1']);
    expect(index.withKey('k1')).toHaveLength(1);
    // Put there from outside a change: found once refreshed.
    outbox['OUT-2'] = item('OUT-2', 'k1');
    index.refresh(['OUT-2']);
    expect(index.withKey('k1').map((i) => i.id).sort()).toEqual(['OUT-1', 'OUT-2']);
    delete outbox['OUT-1'];
    index.forget('OUT-1');
    expect(index.withKey('k1').map((i) => i.id)).toEqual(['OUT-2']);
  });

  it('reads the whole outbox again after being invalidated (dead letters put back)', () => {
    const { outbox, index } = setup([item('OUT-1', 'k1')]);
    expect(index.withKey('k1')).toHaveLength(1);
    outbox['OUT-7'] = item('OUT-7', 'k7', 'ESC-7');
    expect(index.withKey('k7')).toEqual([]);
    index.invalidate();
    expect(index.withKey('k7').map((i) => i.id)).toEqual(['OUT-7']);
    expect(index.withKey('k1')).toHaveLength(1);
  });

  it("groups items by the pacing they wait for: a channel's posts together, its updates apart, and reads only live items", () => {
    const { outbox, index } = setup([item('OUT-1', 'k1', 'ESC-1', 'C-A'), item('OUT-2', 'k2', 'ESC-2', 'C-A'), item('OUT-3', 'k3', 'ESC-3', 'C-B')]);
    outbox['OUT-4'] = update('OUT-4', 'C-A');
    index.refresh(['OUT-4']);
    expect(groups(index)).toEqual([['OUT-1', 'OUT-2'], ['OUT-3'], ['OUT-4']]);
    // An item gone from the outbox without the index being told is not read, and is dropped from its group.
    delete outbox['OUT-2'];
    expect(groups(index)).toEqual([['OUT-1'], ['OUT-3'], ['OUT-4']]);
    // A group is read lazily: taking its first item reads no more of it, however long it is.
    for (let n = 5; n < 50; n++) outbox[`OUT-${n}`] = item(`OUT-${n}`, `k${n}`, `ESC-${n}`, 'C-A');
    let read = 0;
    const reading = new OutboxIndex(() => new Proxy(outbox, { get: (o, id: string) => { read += 1; return o[id]; } }));
    for (const group of reading.paceGroups()) group[Symbol.iterator]().next();
    const built = read;
    read = 0;
    for (const group of reading.paceGroups()) group[Symbol.iterator]().next();
    expect(read).toBe(3);
    expect(built).toBeGreaterThanOrEqual(48);
  });
});
