import type { CardView } from '../../cards/index.ts';
import type { NoticeModel } from '../../cards/notice/model.ts';
import type { RouteTarget } from '../config/schema-operations.ts';
import type { CardCopy } from '../domain/escalation.ts';
import type { Person } from '../domain/people.ts';
import { describeError, type Logger } from '../log.ts';
import type { Destinations } from './destinations.ts';
import { targetKey, targetName, type ChannelGateway, type ChannelTarget } from './gateway.ts';

/**
 * Posting and updating cards on whichever platforms are connected. Every kind
 * of card (alerts, approval requests, accounts, impersonation cases) goes
 * through here, so failures are handled and logged one way.
 */
export class Delivery {
  private readonly gateways: ChannelGateway[] = [];

  constructor(
    private readonly destinations: Destinations,
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

  /** A person's direct messages on the connected platforms. */
  personPlaces(person: Person): ChannelTarget[] {
    return this.destinations.person(person).filter((t) => this.gateway(t.platform));
  }

  /** Posts a card to each place not already holding a copy; a failure is logged and the rest still go. */
  async post(places: ChannelTarget[], view: CardView, subject: string, have: ReadonlyArray<CardCopy> = []): Promise<CardCopy[]> {
    const held = new Set(have.map((c) => c.place));
    const copies: CardCopy[] = [];
    await Promise.all(places.filter((t) => !held.has(targetKey(t))).map(async (t) => {
      try {
        copies.push({ ...(await withRetry(() => this.gateway(t.platform)!.post(t, view))), place: targetKey(t) });
      } catch (err) {
        this.log.error('card not delivered', { subject, target: targetName(t), error: describeError(err) });
      }
    }));
    return copies;
  }

  /** Updates every posted copy in place. */
  async update(copies: ReadonlyArray<CardCopy>, view: CardView, subject: string): Promise<void> {
    await Promise.all(copies.map(async (c) => {
      try {
        await withRetry(async () => this.gateway(c.platform)?.update(c, view));
      } catch (err) {
        this.log.error('card copy not updated', { subject, platform: c.platform, error: describeError(err) });
      }
    }));
  }

  /** Sends a notice (or any card) to a person's direct messages; returns how many platforms took it. */
  async tell(person: Person, notice: NoticeModel | CardView): Promise<number> {
    const view: CardView = 'kind' in notice ? notice : { kind: 'notice', model: notice };
    return (await this.post(this.personPlaces(person), view, `person:${person.id}`)).length;
  }

  private gateway(platform: string): ChannelGateway | undefined {
    return this.gateways.find((g) => g.platform === platform);
  }
}

/** Statuses worth another try: throttled, precondition failed (a concurrent update), and gateway trouble. */
const RETRYABLE = new Set([412, 429, 502, 503, 504]);

/**
 * One more chance for a platform call that failed with a retryable status,
 * after the SDK's own retries: honours Retry-After, otherwise backs off
 * exponentially with jitter. Bounded, so shutdown is never held for long.
 */
export async function withRetry<T>(call: () => Promise<T>, attempts = 3, baseMs = 500): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const e = err as { statusCode?: number; response?: { headers?: { get?: (k: string) => string | undefined } } };
      if (attempt >= attempts || !RETRYABLE.has(e.statusCode ?? 0)) throw err;
      const retryAfter = Number(e.response?.headers?.get?.('retry-after'));
      const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : baseMs * 2 ** (attempt - 1) * (0.5 + Math.random());
      await new Promise((r) => setTimeout(r, Math.min(wait, 10_000)));
    }
  }
}
