import { escalationAlertModel, type AlertNames } from '../../cards/escalation-alert/model.ts';
import type { CardView } from '../../cards/index.ts';
import type { Escalation } from '../domain/escalation.ts';
import type { Outbox } from './outbox/outbox.ts';
import type { DeliveryStatus } from './outbox/types.ts';

/** The subject kind escalation alerts are queued under. */
export const ESCALATION_KIND = 'escalation';

/**
 * The escalation alert card, with where it has really been delivered. Posts
 * and updates go through the outbox: the record keeper queues them with
 * every change, and the card is rendered from current state when sent.
 */
export class Alerts {
  constructor(
    private readonly outbox: Outbox,
    private readonly names: Omit<AlertNames, 'delivery'>,
  ) {}

  /** Where the alert has gone so far. */
  delivery(e: Escalation): DeliveryStatus {
    return this.outbox.status({ kind: ESCALATION_KIND, id: e.id });
  }

  /** Waits (at most `ms`) for a first attempt at every routed place, then says where the alert went. */
  settled(e: Escalation, ms: number): Promise<DeliveryStatus> {
    return this.settledById(e.id, ms);
  }

  settledById(id: string, ms: number): Promise<DeliveryStatus> {
    return this.outbox.settled({ kind: ESCALATION_KIND, id }, ms);
  }

  /**
   * The alert card for an escalation's current state. A copy being posted to
   * `postingTo` counts that place as reached: whoever reads that copy is there.
   */
  view(e: Escalation, postingTo?: string): CardView {
    const status = this.delivery(e);
    const shown: DeliveryStatus = postingTo
      ? { ...status, delivered: [...new Set([...status.delivered, postingTo])], pending: status.pending.filter((p) => p.place !== postingTo) }
      : status;
    return { kind: 'escalation-alert', model: escalationAlertModel(e, { ...this.names, delivery: () => shown }) };
  }
}
