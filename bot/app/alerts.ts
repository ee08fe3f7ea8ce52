import { escalationAlertModel, type AlertNames } from '../../cards/escalation-alert/model.ts';
import type { CardView } from '../../cards/index.ts';
import type { RouteTarget } from '../config/schema-operations.ts';
import type { Escalation } from '../domain/escalation.ts';
import type { Escalations } from '../domain/escalations.ts';
import type { Delivery } from './delivery.ts';
import type { ChannelTarget } from './gateway.ts';

/** Posts escalation alerts where routing says and keeps every copy current. */
export class Alerts {
  constructor(
    private readonly escalations: Escalations,
    private readonly delivery: Delivery,
    private readonly names: AlertNames,
  ) {}

  /** The places route targets resolve to that a platform is connected for. */
  places(targets: RouteTarget[], area: string): ChannelTarget[] {
    return this.delivery.places(targets, area);
  }

  /** The alert card for an escalation's current state. */
  view(e: Escalation): CardView {
    return { kind: 'escalation-alert', model: escalationAlertModel(e, this.names) };
  }

  /** Posts the alert to every place the targets resolve to that does not have a copy yet. */
  async publish(e: Escalation, targets: RouteTarget[]): Promise<void> {
    const view = this.view(e);
    await this.escalations.addCopies(e.id, await this.delivery.post(this.places(targets, e.area), view, e.id, e.copies));
    // A change that raced ahead of this post must show on the new copies too.
    const latest = this.escalations.get(e.id);
    if (latest && JSON.stringify(this.view(latest)) !== JSON.stringify(view)) await this.refresh(latest);
  }

  /**
   * Updates every posted copy in place. The clicked Teams copy is included:
   * an invoke response only changes the card for the person who clicked.
   */
  refresh(e: Escalation): Promise<void> {
    return this.delivery.update(e.copies, this.view(e), e.id);
  }
}
