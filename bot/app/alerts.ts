import { escalationAlertModel, type AlertNames } from '../../cards/escalation-alert/model.ts';
import type { CardView } from '../../cards/index.ts';
import type { NoticeModel } from '../../cards/notice/model.ts';
import type { RouteTarget } from '../config/schema-operations.ts';
import type { CardCopy, Escalation } from '../domain/escalation.ts';
import type { Escalations } from '../domain/escalations.ts';
import type { Person } from '../domain/people.ts';
import { describeError, type Logger } from '../log.ts';
import type { Destinations } from './destinations.ts';
import { targetKey, targetName, type ChannelGateway, type ChannelTarget } from './gateway.ts';

/** Posts escalation alerts where routing says, keeps every copy current, and sends direct reminders. */
export class Alerts {
  private readonly gateways: ChannelGateway[] = [];

  constructor(
    private readonly escalations: Escalations,
    private readonly destinations: Destinations,
    private readonly names: AlertNames,
    private readonly log: Logger,
  ) {}

  /** Adds a platform; adapters register themselves once they are built. */
  addGateway(gateway: ChannelGateway): void {
    this.gateways.push(gateway);
  }

  /** The places route targets resolve to that a platform is connected for. */
  places(targets: RouteTarget[], area: string): ChannelTarget[] {
    return this.destinations.resolve(targets, area).filter((t) => this.gateway(t.platform));
  }

  /** The alert card for an escalation's current state. */
  view(e: Escalation): CardView {
    return { kind: 'escalation-alert', model: escalationAlertModel(e, this.names) };
  }

  /**
   * Posts the alert to every place the targets resolve to that does not have
   * a copy yet; failures are logged per place and the rest still go out.
   */
  async publish(e: Escalation, targets: RouteTarget[]): Promise<void> {
    const view = this.view(e);
    const have = new Set(e.copies.map((c) => c.place));
    const copies: CardCopy[] = [];
    await Promise.all(
      this.places(targets, e.area).filter((t) => !have.has(targetKey(t))).map(async (t) => {
        try {
          copies.push({ ...(await this.gateway(t.platform)!.post(t, view)), place: targetKey(t) });
        } catch (err) {
          this.log.error('alert not delivered', { escalation: e.id, target: targetName(t), error: describeError(err) });
        }
      }),
    );
    await this.escalations.addCopies(e.id, copies);
    // A change that raced ahead of this post must show on the new copies too.
    const latest = this.escalations.get(e.id);
    if (latest && JSON.stringify(this.view(latest)) !== JSON.stringify(view)) await this.refresh(latest);
  }

  /**
   * Updates every posted copy in place. The clicked Teams copy is included:
   * an invoke response only changes the card for the person who clicked.
   */
  async refresh(e: Escalation): Promise<void> {
    const view = this.view(e);
    await Promise.all(
      e.copies.map(async (c) => {
        try {
          await this.gateway(c.platform)?.update(c, view);
        } catch (err) {
          this.log.error('alert copy not updated', { escalation: e.id, platform: c.platform, error: describeError(err) });
        }
      }),
    );
  }

  /** Sends a notice to a person's direct messages on every platform they use. */
  async tell(person: Person, notice: NoticeModel): Promise<number> {
    let delivered = 0;
    await Promise.all(
      this.destinations.person(person).filter((t) => this.gateway(t.platform)).map(async (t) => {
        try {
          await this.gateway(t.platform)!.post(t, { kind: 'notice', model: notice });
          delivered += 1;
        } catch (err) {
          this.log.error('direct message not delivered', { person: person.id, platform: t.platform, error: describeError(err) });
        }
      }),
    );
    return delivered;
  }

  private gateway(platform: string): ChannelGateway | undefined {
    return this.gateways.find((g) => g.platform === platform);
  }
}
