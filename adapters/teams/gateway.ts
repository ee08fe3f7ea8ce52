import { CardFactory, MessageFactory, type CloudAdapter } from 'botbuilder';
import type { ChannelGateway, ChannelTarget } from '../../bot/app/gateway.ts';
import type { CardCopy } from '../../bot/domain/escalation.ts';
import { toAdaptiveCard, type CardView } from '../../cards/index.ts';
import type { TeamsConversations } from './conversations.ts';

/** Posts and updates cards in Teams through proactive messages. */
export class TeamsGateway implements ChannelGateway {
  readonly platform = 'teams' as const;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly conversations: TeamsConversations,
  ) {}

  async post(target: ChannelTarget, view: CardView): Promise<CardCopy> {
    if (target.platform !== 'teams') throw new Error('not a Teams target');
    const found = this.conversations.find(target);
    if (!found) throw new Error('Bluedesk is not installed in that Teams channel or chat yet');
    let activityId = '';
    await this.adapter.continueConversationAsync(this.appId, found.reference, async (ctx) => {
      const sent = await ctx.sendActivity(cardMessage(view));
      activityId = sent?.id ?? '';
    });
    if (!activityId) throw new Error('Teams did not return an activity id');
    return { platform: 'teams', conversationKey: found.key, activityId };
  }

  async update(copy: CardCopy, view: CardView): Promise<void> {
    if (copy.platform !== 'teams') return;
    const reference = this.conversations.get(copy.conversationKey);
    if (!reference) throw new Error('the Teams conversation of that card is no longer known');
    await this.adapter.continueConversationAsync(this.appId, reference, async (ctx) => {
      await ctx.updateActivity({ ...cardMessage(view), id: copy.activityId });
    });
  }
}

/** A message activity carrying one Adaptive Card. */
export function cardMessage(view: CardView) {
  const card = toAdaptiveCard(view);
  const message = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  message.summary = typeof card.fallbackText === 'string' ? card.fallbackText : undefined;
  return message;
}
