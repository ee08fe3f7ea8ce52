import type { CardView } from '../../cards/index.ts';
import { notice, type NoticeModel } from '../../cards/notice/model.ts';
import type { StateStore } from '../../data/state-store.ts';
import type { Clock } from '../domain/clock.ts';
import type { Directory, Person } from '../domain/people.ts';
import type { Publish } from '../domain/record-keeper.ts';
import type { Logger } from '../log.ts';
import type { Destinations } from './destinations.ts';
import type { ChannelGateway, ChannelTarget } from './gateway.ts';
import { Outbox } from './outbox/outbox.ts';
import type { DeadLetter, OutboxState } from './outbox/types.ts';
import { OutboxWorker } from './outbox/worker.ts';

/** How long delivery keeps trying, and who hears of what could not be delivered. */
export interface DeliverySettings {
  retryForHours: { alerts: number; other: number };
  /** Person ids told by direct message of every dead letter. */
  admins: string[];
}

/**
 * Every card and message the bot sends on its own (not the answer to a
 * request) goes through here, into the persisted outbox, and is delivered by
 * its worker. Adapters register their gateways once built.
 */
export class Delivery {
  private readonly gateways = new Map<string, ChannelGateway>();
  readonly outbox: Outbox;
  readonly worker: OutboxWorker;

  constructor(
    private readonly deps: {
      destinations: Destinations;
      directory: Directory;
      store: StateStore<OutboxState>;
      clock: Clock;
      log: Logger;
      settings: DeliverySettings;
      onFailure?: (platform: string, code: string) => void;
    },
  ) {
    this.outbox = new Outbox({ store: deps.store, clock: deps.clock, resolve: (p) => this.resolve(p), retryForHours: deps.settings.retryForHours });
    this.worker = new OutboxWorker({
      outbox: this.outbox, store: deps.store, clock: deps.clock, log: deps.log,
      gateway: (platform) => this.gateways.get(platform),
      onDead: (dead) => void this.alertAdmins(dead).catch(() => undefined),
      ...(deps.onFailure ? { onFailure: deps.onFailure } : {}),
    });
  }

  /** Adds a platform; adapters register themselves once they are built. */
  addGateway(gateway: ChannelGateway): void {
    this.gateways.set(gateway.platform, gateway);
  }

  gateway(platform: string): ChannelGateway | undefined {
    return this.gateways.get(platform);
  }

  /** The places route targets resolve to that a platform is connected for. */
  places(targets: Publish['targets'], area: string): ChannelTarget[] {
    return this.deps.destinations.resolve(targets ?? [], area).filter((t) => this.gateways.has(t.platform));
  }

  /** A person's direct messages on the connected platforms. */
  personPlaces(person: Person): ChannelTarget[] {
    return this.deps.destinations.person(person).filter((t) => this.gateways.has(t.platform));
  }

  /** Every place a publish names: its route targets and its people. */
  resolve(p: Publish): ChannelTarget[] {
    const people = (p.people ?? []).flatMap((id) => {
      const person = this.deps.directory.get(id);
      return person ? this.personPlaces(person) : [];
    });
    return [...this.places(p.targets, p.area), ...people];
  }

  /** Queues a notice (or any fixed card) to a person's direct messages; returns how many places it was queued for. */
  async tell(person: Person, message: NoticeModel | CardView, opts: { adminAlert?: boolean } = {}): Promise<number> {
    const view: CardView = 'kind' in message ? message : { kind: 'notice', model: message };
    const places = this.personPlaces(person);
    const queued = await this.deps.store.update((s) => this.outbox.queuePosts(s, { view, label: `person:${person.id}` }, places, opts));
    if (queued) this.outbox.kick();
    return queued;
  }

  /** Queues a notice to route targets (a channel group): the records office's chain heads and disposal reports. Returns how many places. */
  async announce(targets: NonNullable<Publish['targets']>, message: NoticeModel, label: string): Promise<number> {
    const places = this.places(targets, '');
    const queued = await this.deps.store.update((s) => this.outbox.queuePosts(s, { view: { kind: 'notice', model: message }, label }, places));
    if (queued) this.outbox.kick();
    return queued;
  }

  /** `tell` by directory id; unknown ids are skipped. */
  async tellIds(personIds: string[], message: NoticeModel | CardView, opts: { adminAlert?: boolean } = {}): Promise<void> {
    for (const id of personIds) {
      const person = this.deps.directory.get(id);
      if (person) await this.tell(person, message, opts);
    }
  }

  private async alertAdmins(dead: DeadLetter): Promise<void> {
    await this.tellIds(this.deps.settings.admins, notice('error', 'Bluedesk could not deliver a message', `${dead.op === 'post' ? 'A card' : 'An update'} about ${dead.label} to ${dead.placeName} was given up: ${dead.reason}`,
      'It is on the dead-letter list; see the operations runbook to replay it once the place is reachable.'), { adminAlert: true });
  }
}
