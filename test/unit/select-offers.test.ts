import { describe, expect, it } from 'vitest';
import { OutboxIndex } from '../../bot/app/outbox/outbox-index.ts';
import { Pacer, paceKeys } from '../../bot/app/outbox/pacing.ts';
import { selectOffers, type OfferContext } from '../../bot/app/outbox/select-offers.ts';
import type { OutboxItem } from '../../bot/app/outbox/types.ts';

const NOW = Date.parse('2026-12-03T10:00:00Z');

/** A post to a Slack channel, created `ageS` seconds before NOW. */
const post = (n: number, channelId: string, extra: Partial<OutboxItem> = {}): OutboxItem => ({
  id: `OUT-${n}`, op: 'post', key: `post:${n}`, platform: 'slack', place: { platform: 'slack', channelId }, placeName: `#${channelId}`, label: `ESC-${n}`,
  urgent: false, createdAt: new Date(NOW - 60_000 + n).toISOString(), giveUpAt: '2026-12-04T10:00:00Z', attempts: 0, ...extra,
});

function setup(items: OutboxItem[], ctx: Partial<OfferContext> = {}) {
  const outbox: Record<string, OutboxItem> = Object.create(null);
  for (const i of items) outbox[i.id] = i;
  let reads = 0;
  // Counts item reads, to show a held-back group is not read through.
  const index = new OutboxIndex(() => new Proxy(outbox, { get: (o, id: string) => { reads += 1; return o[id]; } }));
  [...index.paceGroups()].forEach((g) => [...g]);
  reads = 0;
  const run = () => selectOffers(index.paceGroups(), { now: NOW, busy: new Set(), sending: new Set(), reachable: () => true, pacer: new Pacer(), ...ctx });
  return { run, reads: () => reads };
}

describe('choosing what a delivery pass sends', () => {
  it('offers one item a place, in send order: urgent first, then new cards before updates, then oldest', () => {
    const { run } = setup([post(1, 'A'), post(2, 'A', { urgent: true, rank: 1 }), post(3, 'B'), post(4, 'C', { urgent: true, rank: 0 })]);
    const { offers, next } = run();
    expect(offers.map((o) => o.item.id)).toEqual(['OUT-4', 'OUT-2', 'OUT-3']);
    expect(next).toBe(Infinity);
  });

  it('passes over a place held back by its pacing after reading one item, and says when to look again', () => {
    const backlog = Array.from({ length: 500 }, (_, i) => post(i + 1, 'FLOODED'));
    const pacer = new Pacer();
    const paced = paceKeys(backlog[0]!);
    for (let i = 0; i < 5; i++) pacer.take(paced, NOW - 100);
    const { run, reads } = setup([...backlog, post(900, 'QUIET')], { pacer });
    const { offers, next, read } = run();
    expect(offers.map((o) => o.item.id)).toEqual(['OUT-900']);
    expect(read).toBe(2);
    expect(reads()).toBe(2);
    // Slack allows 5 posts in any 5 s to a channel: the next may go 5 s (and the margin) after the first.
    expect(next - NOW).toBeGreaterThan(4_800);
    expect(next - NOW).toBeLessThan(5_500);
  });

  it('leaves a place alone while a send to it is in flight, and a platform that cannot be reached', () => {
    const { run } = setup([post(1, 'A'), post(2, 'A'), post(3, 'B'), { ...post(4, 'T'), platform: 'teams', place: { platform: 'teams', channelId: '19:t' } }], {
      busy: new Set(['slack:A']), sending: new Set(['OUT-1']), reachable: (p) => p === 'slack',
    });
    expect(run().offers.map((o) => o.item.id)).toEqual(['OUT-3']);
  });

  it('holds back an item not yet due (a retry after backoff), or waiting for its place, and offers the next', () => {
    const later = new Date(NOW + 30_000).toISOString();
    const { run } = setup([post(1, 'A', { notBefore: later, attempts: 1 }), post(2, 'A'), post(3, 'B', { waiting: 'the bot is not in the channel' })]);
    const { offers, next } = run();
    expect(offers.map((o) => o.item.id)).toEqual(['OUT-2']);
    expect(next).toBe(NOW + 30_000);
  });
});
