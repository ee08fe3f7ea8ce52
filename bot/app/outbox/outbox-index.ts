import { conversationPaceKey } from './pacing.ts';
import type { OutboxItem, OutboxSubject } from './types.ts';

/**
 * Finds queued items by key, by subject and by pacing group without walking
 * the outbox, which grows to thousands of items while a platform is down or a
 * channel's pacing holds a burst back, and is searched on every change (is
 * this card already queued?), every delivery status and every delivery pass.
 *
 * The outbox as stored stays the truth: every hit is checked against it (an
 * item deleted since no longer counts), so the index may hold stale ids but
 * must never miss a live one. Items enter the outbox through `note` (the
 * Outbox's own adds), `refresh` (rows put into memory from outside a change:
 * another instance's commit, a failed write undone) or `invalidate` (queued
 * some other way, e.g. dead letters replayed), after which it is rebuilt on
 * next use.
 */
export class OutboxIndex {
  private built = false;
  private readonly entries = new Map<string, { key: string; subject?: string; pace: string }>();
  private readonly byKey = new Map<string, Set<string>>();
  private readonly bySubject = new Map<string, Set<string>>();
  private readonly byPace = new Map<string, Set<string>>();

  constructor(private readonly items: () => Readonly<Record<string, OutboxItem>>) {}

  /** Indexes an item just put in the outbox. */
  note(item: OutboxItem): void {
    if (!this.built) return;
    this.forget(item.id);
    const subject = item.subject ? subjectKey(item.subject) : undefined;
    const pace = conversationPaceKey(item);
    this.entries.set(item.id, { key: item.key, ...(subject ? { subject } : {}), pace });
    add(this.byKey, item.key, item.id);
    add(this.byPace, pace, item.id);
    if (subject) add(this.bySubject, subject, item.id);
  }

  /** Drops an item taken out of the outbox. */
  forget(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    remove(this.byKey, e.key, id);
    remove(this.byPace, e.pace, id);
    if (e.subject) remove(this.bySubject, e.subject, id);
  }

  /** Re-reads these ids from the outbox (changed from outside: another instance, or a write undone). */
  refresh(ids: Iterable<string>): void {
    if (!this.built) return;
    const items = this.items();
    for (const id of ids) {
      const item = Object.hasOwn(items, id) ? items[id] : undefined;
      if (item) this.note(item);
      else this.forget(id);
    }
  }

  /** Forgets everything: the next lookup reads the whole outbox again. */
  invalidate(): void {
    this.built = false;
    this.entries.clear();
    this.byKey.clear();
    this.bySubject.clear();
    this.byPace.clear();
  }

  /** The queued items with this key. */
  withKey(key: string): OutboxItem[] {
    return this.live(this.ready().byKey.get(key), (i) => i.key === key);
  }

  /** The queued items for this record. */
  forSubject(subject: OutboxSubject): OutboxItem[] {
    return this.live(this.ready().bySubject.get(subjectKey(subject)), (i) => i.subject?.kind === subject.kind && i.subject.id === subject.id);
  }

  /**
   * The queued items in groups that wait for the same pacing (one
   * conversation's sends, see `conversationPaceKey`). Each group yields its
   * items as stored, lazily: a pass that finds a group held back by its
   * pacing reads one item of it, not thousands.
   */
  *paceGroups(): Generator<Iterable<OutboxItem>> {
    const items = this.items();
    for (const ids of [...this.ready().byPace.values()]) yield this.liveIn(ids, items);
  }

  private *liveIn(ids: Set<string>, items: Readonly<Record<string, OutboxItem>>): Generator<OutboxItem> {
    // Deleting from a Set while iterating it is safe: stale ids are dropped as they are met.
    for (const id of ids) {
      const item = Object.hasOwn(items, id) ? items[id]! : undefined;
      if (item) yield item;
      else this.refresh([id]);
    }
  }

  private ready(): this {
    if (this.built) return this;
    this.built = true;
    for (const item of Object.values(this.items())) this.note(item);
    return this;
  }

  /** The ids' items as stored now; an id whose item is gone or changed is dropped from the index. */
  private live(ids: Set<string> | undefined, matches: (i: OutboxItem) => boolean): OutboxItem[] {
    if (!ids?.size) return [];
    const items = this.items();
    const out: OutboxItem[] = [];
    for (const id of [...ids]) {
      const item = Object.hasOwn(items, id) ? items[id]! : undefined;
      if (item && matches(item)) out.push(item);
      else this.refresh([id]);
    }
    return out;
  }
}

function subjectKey(s: OutboxSubject): string {
  return `${s.kind}\u0000${s.id}`;
}

function add(map: Map<string, Set<string>>, key: string, id: string): void {
  let ids = map.get(key);
  if (!ids) map.set(key, (ids = new Set()));
  ids.add(id);
}

function remove(map: Map<string, Set<string>>, key: string, id: string): void {
  const ids = map.get(key);
  if (!ids) return;
  ids.delete(id);
  if (!ids.size) map.delete(key);
}
