import type { CardView } from '../../cards/index.ts';
import type { NoticeModel } from '../../cards/notice/model.ts';
import type { CardCopy } from '../domain/escalation.ts';
import type { Publish, Outcome } from '../domain/record-keeper.ts';
import type { Delivery } from './delivery.ts';
import { changeNotice, type Reply } from './reply.ts';

/** A record with a card: something the publisher can post and refresh. */
export interface Carded {
  id: string;
  copies: CardCopy[];
}

/**
 * Posting case cards (account requests, accounts, impersonation cases) to
 * more places and telling the people involved, through the outbox. Copies
 * already posted are refreshed by the record keeper with every change.
 */
export class CasePublisher {
  constructor(private readonly deps: { delivery: Delivery }) {}

  /** Posts a record's card to the places route targets and people resolve to, skipping places that already have it. */
  async share<T extends Carded>(record: T, to: Publish, publish: (id: string, to: Publish) => Promise<void>): Promise<void> {
    await publish(record.id, to);
  }

  /** Sends a notice or a card to people by id. */
  async tell(personIds: string[], message: NoticeModel | CardView): Promise<void> {
    await this.deps.delivery.tellIds([...new Set(personIds)], message);
  }

  /** The reply for a change: the card as it now stands (with a note for the actor), or why not. */
  reply<T extends Carded>(outcome: Outcome<T>, id: string, view: (r: T) => CardView, done?: NoticeModel): Reply {
    if (outcome.kind === 'not-found') return { kind: 'notice', notice: { tone: 'error', title: 'Not found', lines: [`There is no ${id}.`] } };
    const card = view(outcome.record);
    if (outcome.kind === 'done') return { kind: 'card', card, ...(done ? { notice: done } : {}) };
    return { kind: 'card', card, notice: changeNotice(outcome, id)! };
  }
}
