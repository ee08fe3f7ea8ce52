import type { CardView } from '../../cards/index.ts';
import type { NoticeModel } from '../../cards/notice/model.ts';
import type { CardCopy } from '../domain/escalation.ts';
import type { Outcome } from '../domain/record-keeper.ts';
import type { Delivery } from './delivery.ts';
import { changeNotice, type Reply } from './reply.ts';

/** A record with a card. */
interface Carded {
  id: string;
  copies: CardCopy[];
}

/**
 * Telling the people involved in case cards (account requests, accounts,
 * impersonation cases), through the outbox, and the reply for a change.
 * Cards are posted and refreshed by the record keeper with each change.
 */
export class CasePublisher {
  constructor(private readonly deps: { delivery: Delivery }) {}

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
