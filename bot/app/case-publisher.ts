import type { CardView } from '../../cards/index.ts';
import type { NoticeModel } from '../../cards/notice/model.ts';
import type { RouteTarget } from '../config/schema-operations.ts';
import type { CardCopy } from '../domain/escalation.ts';
import type { Directory } from '../domain/people.ts';
import type { Outcome } from '../domain/record-keeper.ts';
import type { BackgroundTasks } from './background.ts';
import type { Delivery } from './delivery.ts';
import { changeNotice, type Reply } from './reply.ts';

/** A record with a card: something the publisher can post and refresh. */
export interface Carded {
  id: string;
  copies: CardCopy[];
}

/**
 * Posting and refreshing case cards (account requests, accounts,
 * impersonation cases) after a change, and telling the people involved.
 * Network work happens after the answer, in the background.
 */
export class CasePublisher {
  constructor(private readonly deps: { delivery: Delivery; directory: Directory; tasks: BackgroundTasks }) {}

  /**
   * Posts a record's card to the places route targets resolve to and to
   * people's direct messages (skipping places that already have it), and
   * refreshes the copies it already has.
   */
  share<T extends Carded>(record: T, view: (r: T) => CardView, to: { targets?: RouteTarget[]; people?: string[]; area: string }, remember: (id: string, copies: CardCopy[]) => Promise<void>): void {
    const people = (to.people ?? []).flatMap((id) => {
      const person = this.deps.directory.get(id);
      return person ? this.deps.delivery.personPlaces(person) : [];
    });
    this.deps.tasks.run(`share ${record.id}`, async () => {
      const copies = await this.deps.delivery.post([...this.deps.delivery.places(to.targets ?? [], to.area), ...people], view(record), record.id, record.copies);
      await remember(record.id, copies);
      await this.deps.delivery.update(record.copies, view(record), record.id);
    });
  }

  /** Updates every copy of a record's card. */
  refresh<T extends Carded>(record: T, view: (r: T) => CardView): void {
    this.deps.tasks.run(`refresh ${record.id}`, () => this.deps.delivery.update(record.copies, view(record), record.id));
  }

  /** Sends a notice or a card to people by id, in the background. */
  tell(personIds: string[], message: NoticeModel | CardView): void {
    for (const id of new Set(personIds)) {
      const person = this.deps.directory.get(id);
      if (person) this.deps.tasks.run(`tell ${id}`, async () => { await this.deps.delivery.tell(person, message); });
    }
  }

  /** The reply for a change: the card as it now stands (with a note for the actor), or why not. */
  reply<T extends Carded>(outcome: Outcome<T>, id: string, view: (r: T) => CardView, done?: NoticeModel): Reply {
    if (outcome.kind === 'not-found') return { kind: 'notice', notice: { tone: 'error', title: 'Not found', lines: [`There is no ${id}.`] } };
    const card = view(outcome.record);
    if (outcome.kind === 'done') return { kind: 'card', card, ...(done ? { notice: done } : {}) };
    return { kind: 'card', card, notice: changeNotice(outcome, id)! };
  }
}
