import { escalationAlertModel } from '../../cards/escalation-alert/model.ts';
import type { CardView } from '../../cards/index.ts';
import type { CardCopy, Escalation } from '../domain/escalation.ts';
import type { Escalations } from '../domain/escalations.ts';
import { describeError, type Logger } from '../log.ts';
import { targetName, type ChannelGateway, type ChannelTarget } from './gateway.ts';

/** Posts escalation alerts to the configured channels and keeps every copy current. */
export class Alerts {
  constructor(
    private readonly escalations: Escalations,
    private readonly targets: ChannelTarget[],
    private readonly areaName: (id: string) => string,
    private readonly log: Logger,
  ) {}

  private readonly gateways: ChannelGateway[] = [];

  /** Adds a platform; adapters register themselves once they are built. */
  addGateway(gateway: ChannelGateway): void {
    this.gateways.push(gateway);
  }

  /** The targets that have a gateway: where an alert will go. */
  deliverable(): ChannelTarget[] {
    return this.targets.filter((t) => this.gateway(t.platform));
  }

  /** The alert card for an escalation's current state. */
  view(e: Escalation): CardView {
    return { kind: 'escalation-alert', model: escalationAlertModel(e, this.areaName) };
  }

  /** Posts a new escalation's alert everywhere it should go; failures are logged per target. */
  async publish(e: Escalation): Promise<void> {
    const view = this.view(e);
    const copies: CardCopy[] = [];
    await Promise.all(
      this.deliverable().map(async (t) => {
        try {
          copies.push(await this.gateway(t.platform)!.post(t, view));
        } catch (err) {
          this.log.error('alert not delivered', { escalation: e.id, target: targetName(t), error: describeError(err) });
        }
      }),
    );
    await this.escalations.addCopies(e.id, copies);
    // A copy posted after an acknowledgement raced ahead must show the latest state.
    const latest = this.escalations.get(e.id);
    if (latest && latest.status !== e.status) await this.refresh(latest);
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

  private gateway(platform: string): ChannelGateway | undefined {
    return this.gateways.find((g) => g.platform === platform);
  }
}
