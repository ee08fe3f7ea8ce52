import { paceKey, paceKeys, type Pacer } from './pacing.ts';
import type { OutboxItem } from './types.ts';

/** An item that may go now: where it goes (one send at a time per place) and the pacing it counts under. */
export interface Offer {
  item: OutboxItem;
  place: string;
  paced: ReturnType<typeof paceKeys>;
}

/** What a pass knows when it chooses: the time, the places and items being sent, which platforms can be reached, and the pacing. */
export interface OfferContext {
  now: number;
  busy: ReadonlySet<string>;
  sending: { has(id: string): boolean };
  reachable: (platform: string) => boolean;
  pacer: Pacer;
}

/**
 * What a delivery pass may send now, in send order: from each pacing group
 * (one conversation's sends, see OutboxIndex.paceGroups) its first item in
 * send order, unless the group's pacing or a send in flight to the same
 * place holds it back; and when to look again for the rest (`next`, Infinity
 * for never). A group held back costs one item's read however long its
 * queue, so a burst queued behind one channel's pacing costs a pass nothing
 * per item. `read` says how many items were read, for the worker's rest.
 */
export function selectOffers(groups: Iterable<Iterable<OutboxItem>>, ctx: OfferContext): { offers: Offer[]; next: number; read: number } {
  const { now, busy, sending, reachable, pacer } = ctx;
  const offers: Offer[] = [];
  let next = Infinity;
  let read = 0;
  for (const group of groups) {
    let offer: Offer | undefined;
    let place: string | undefined;
    for (const item of group) {
      read += 1;
      if (place === undefined) {
        // Every item in a group goes to one place under the same pacing: the first item read answers for all.
        place = paceKey(item);
        if (busy.has(place) || !reachable(item.platform)) break;
        const wait = pacer.wait(paceKeys(item), now);
        if (wait > 0) { next = Math.min(next, now + wait); break; }
      }
      if (sending.has(item.id)) continue;
      const due = item.notBefore ? Date.parse(item.notBefore) : item.waiting ? Infinity : 0;
      if (due > now) { next = Math.min(next, due); continue; }
      if (!offer || sendOrder(item, offer.item) < 0) offer = { item, place, paced: paceKeys(item) };
    }
    if (offer) offers.push(offer);
  }
  offers.sort((a, b) => sendOrder(a.item, b.item));
  return { offers, next, read };
}

/** Send order: urgent alerts first (critical before high, by rank); then new cards before updates to cards people already have; then oldest first. */
export function sendOrder(a: OutboxItem, b: OutboxItem): number {
  return Number(b.urgent) - Number(a.urgent) || Number(a.op === 'update') - Number(b.op === 'update') || (a.rank ?? 9) - (b.rank ?? 9) || a.createdAt.localeCompare(b.createdAt) || Number(a.id.slice(4)) - Number(b.id.slice(4));
}
