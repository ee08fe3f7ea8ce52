import type { CardCopy } from '../domain/escalation.ts';
import type { Platform } from '../domain/people.ts';
import type { CardView } from '../../cards/index.ts';

/** A configured place to post alerts. */
export type ChannelTarget =
  | { platform: 'teams'; channelId?: string; conversationId?: string; name?: string }
  | { platform: 'slack'; channelId: string; name?: string };

/**
 * What the domain needs from a chat platform: post a card to a channel and
 * update a posted card in place. Each adapter implements it.
 */
export interface ChannelGateway {
  readonly platform: Platform;
  post(target: ChannelTarget, view: CardView): Promise<CardCopy>;
  update(copy: CardCopy, view: CardView): Promise<void>;
}

/** A target's name for people and logs. */
export function targetName(t: ChannelTarget): string {
  return t.name ?? (t.platform === 'teams' ? (t.channelId ?? t.conversationId ?? 'Teams') : t.channelId);
}
