import type { CardView } from '../../cards/index.ts';
import { notice, type NoticeModel } from '../../cards/notice/model.ts';
import type { StateStore } from '../../data/state-store.ts';
import type { Clock, TransportClock } from '../domain/clock.ts';
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
  /** A channel group also told of every dead letter, and of an admins' notice that could not reach them. */
  opsChannel?: string | undefined;
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
      /** Told of every dead letter (the metrics count them). */
      onDead?: (dead: DeadLetter) => void;
      /** Transport time for pacing and backoff (real time unless a test runs it faster). */
      transport?: TransportClock;
    },
  ) {
    this.outbox = new Outbox({ store: deps.store, clock: deps.clock, resolve: (p) => this.resolve(p), retryForHours: deps.settings.retryForHours });
    this.worker = new OutboxWorker({
      outbox: this.outbox, store: deps.store, clock: deps.clock, log: deps.log,
      gateway: (platform) => this.gateways.get(platform),
      onDead: (dead) => {
        deps.onDead?.(dead);
        void this.alertAdmins(dead).catch(() => undefined);
      },
      ...(deps.onFailure ? { onFailure: deps.onFailure } : {}),
      ...(deps.transport ? { transport: deps.transport } : {}),
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

  /** A person's direct messages on the connected platforms; none for someone the directory says is not to be messaged (suspended, gone). */
  personPlaces(person: Person): ChannelTarget[] {
    if (!this.deps.directory.reachable(person.id)) return [];
    return this.deps.destinations.person(person).filter((t) => this.gateways.has(t.platform));
  }

  /** Every place a publish names: its route targets and its people. */
  resolve(p: Publish): ChannelTarget[] {
    return [...this.places(p.targets, p.area), ...this.deps.directory.recipients(p.people ?? []).flatMap((person) => this.personPlaces(person))];
  }

  /** Queues a notice (or any fixed card) to a person's direct messages; returns how many places it was queued for. */
  async tell(person: Person, message: NoticeModel | CardView, opts: { adminAlert?: boolean } = {}): Promise<number> {
    const view: CardView = 'kind' in message ? message : { kind: 'notice', model: message };
    return this.queueTo(this.personPlaces(person), view, `person:${person.id}`, opts.adminAlert);
  }

  /** Queues a notice to route targets (a channel group): the records office's chain heads and disposal reports. Returns how many places. */
  async announce(targets: NonNullable<Publish['targets']>, message: NoticeModel, label: string): Promise<number> {
    return this.queueTo(this.places(targets, ''), { kind: 'notice', model: message }, label);
  }

  /** `tell` by directory id; unknown, suspended and departed people are skipped. */
  async tellIds(personIds: string[], message: NoticeModel | CardView, opts: { adminAlert?: boolean } = {}): Promise<void> {
    for (const person of this.deps.directory.recipients(personIds)) await this.tell(person, message, opts);
  }

  /**
   * Tells the bot admins (on every platform they are on) and the ops channel
   * of a dead letter. A notice to them that is itself given up goes to the
   * ops channel if it was not already the one that failed, and is always
   * logged as an error: it is never dropped silently.
   */
  private async alertAdmins(dead: DeadLetter): Promise<void> {
    const ops = this.deps.settings.opsChannel;
    const opsTargets = ops ? [{ channel: ops }] : [];
    if (dead.adminAlert) {
      this.deps.log.error('a notice to the bot admins could not be delivered either: read the dead-letter list', {
        item: dead.id, place: dead.placeName, reason: dead.reason, notice: dead.view?.kind === 'notice' ? dead.view.model.lines.join(' ') : undefined,
      });
      if (ops && dead.label !== `ops:${ops}` && dead.view) await this.queueTo(this.places(opsTargets, ''), dead.view, `ops:${ops}`, true);
      return;
    }
    const message = notice('error', 'Bluedesk could not deliver a message', `${dead.op === 'post' ? 'A card' : 'An update'} about ${dead.label} to ${dead.placeName} was given up: ${dead.reason}`,
      'It is on the dead-letter list (npm run dead-letters); replay it once the place is reachable. The operations runbook says how.');
    await this.tellIds(this.deps.settings.admins, message, { adminAlert: true });
    if (ops) await this.queueTo(this.places(opsTargets, ''), { kind: 'notice', model: message }, `ops:${ops}`, true);
  }

  private async queueTo(places: ChannelTarget[], view: CardView, label: string, adminAlert = false): Promise<number> {
    const queued = await this.deps.store.update((s) => this.outbox.queuePosts(s, { view, label }, places, adminAlert ? { adminAlert } : {}));
    if (queued) this.outbox.kick();
    return queued;
  }
}
