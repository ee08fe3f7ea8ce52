import type { CardCopy } from '../domain/escalation.ts';
import type { Platform } from '../domain/people.ts';
import type { CardView } from '../../cards/index.ts';

/** A place to post: a configured channel, or a person's direct messages. */
export type ChannelTarget =
  | { platform: 'teams'; channelId?: string; conversationId?: string; name?: string }
  | { platform: 'teams'; user: { aadObjectId: string; tenantId: string }; name: string }
  | { platform: 'slack'; channelId: string; name?: string };

/** Whether a place can take messages now, and if not, why. */
export type Reachability = { ok: true } | { ok: false; reason: string };

/**
 * What the domain needs from a chat platform: post a card to a channel or a
 * person, update a posted card in place, and say whether a place can be
 * reached. Each adapter implements it; failures are thrown as
 * `DeliveryFailure` (outbox/failure.ts) where the adapter knows better than
 * the HTTP status.
 */
export interface ChannelGateway {
  readonly platform: Platform;
  post(target: ChannelTarget, view: CardView): Promise<CardCopy>;
  update(copy: CardCopy, view: CardView): Promise<void>;
  reachable(target: ChannelTarget): Promise<Reachability>;
}

/**
 * Pictures Bluedesk keeps (surge charts), by the SHA-256 the card names, for
 * adapters to put in a card the way their platform can show without a public
 * address: the full-size PNG (a Slack file upload) and a small one (inside a
 * Teams card, which must stay under 28 KB).
 */
export interface CardImages {
  full(sha256: string): Promise<Buffer | undefined>;
  small(sha256: string): Promise<Buffer | undefined>;
}

/** A target's name for people and logs. */
export function targetName(t: ChannelTarget): string {
  if (t.name) return t.name;
  if (t.platform === 'slack') return t.channelId;
  return 'user' in t ? t.user.aadObjectId : (t.channelId ?? t.conversationId ?? 'Teams');
}

/** A stable key, so one alert never goes twice to the same place. */
export function targetKey(t: ChannelTarget): string {
  if (t.platform === 'slack') return `slack:${t.channelId}`;
  return 'user' in t ? `teams-user:${t.user.tenantId}/${t.user.aadObjectId}` : `teams:${t.channelId ?? ''}:${t.conversationId ?? ''}`;
}
