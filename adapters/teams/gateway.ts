import { CardFactory, MessageFactory, TurnContext, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { CardImages, ChannelGateway, ChannelTarget, Reachability } from '../../bot/app/gateway.ts';
import { DeliveryFailure } from '../../bot/app/outbox/failure.ts';
import type { CardCopy } from '../../bot/domain/escalation.ts';
import { toAdaptiveCard, type CardView } from '../../cards/index.ts';
import type { TeamsConversations } from './conversations.ts';

/** The audience for outgoing calls to the public Bot Framework channel. */
const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com';
/** Teams takes cards of about 28 KB at most (PLATFORM-FACTS): a picture goes inside only if the card stays within it. */
export const TEAMS_CARD_BUDGET = 28 * 1024;

/** Posts and updates cards in Teams through proactive messages. */
export class TeamsGateway implements ChannelGateway {
  readonly platform = 'teams' as const;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly conversations: TeamsConversations,
    private readonly images?: CardImages,
  ) {}

  /**
   * The message for a card. A kept picture (a surge's chart) goes inside it
   * as a data URI, so Teams shows it without reaching Bluedesk, if the card
   * stays within Teams' size limit; otherwise it is shown from the public
   * address, or the card says where it is kept.
   */
  private async message(view: CardView) {
    const image = view.kind === 'case' ? view.model.image : undefined;
    const png = image && !image.inline ? await this.images?.small(image.sha256) : undefined;
    if (view.kind === 'case' && image && png) {
      const inline = cardMessage({ ...view, model: { ...view.model, image: { ...image, inline: `data:image/png;base64,${png.toString('base64')}` } } });
      if (Buffer.byteLength(JSON.stringify(inline)) <= TEAMS_CARD_BUDGET) return inline;
    }
    return cardMessage(view);
  }

  async post(target: ChannelTarget, view: CardView): Promise<CardCopy> {
    if (target.platform !== 'teams') throw new Error('not a Teams target');
    if ('user' in target) return this.postToUser(target.user, target.name, view);
    const found = this.conversations.find(target);
    if (!found) throw new DeliveryFailure('unreachable', 'Bluedesk is not installed in that Teams channel yet; add the app to the team and it goes at once');
    return this.send(found, view);
  }

  private async send(found: { key: string; reference: ConversationReference }, view: CardView): Promise<CardCopy> {
    let activityId = '';
    const message = await this.message(view);
    await this.adapter.continueConversationAsync(this.appId, found.reference, async (ctx) => {
      const sent = await ctx.sendActivity(message);
      activityId = sent?.id ?? '';
    });
    if (!activityId) throw new DeliveryFailure('retry', 'Teams did not say the message arrived; trying again');
    return { platform: 'teams', conversationKey: found.key, activityId };
  }

  /**
   * A direct message: into the person's personal chat if the bot has one,
   * otherwise a new one is created (POST /v3/conversations) at the tenant's
   * serviceUrl. A remembered chat Teams no longer knows (404: the person
   * removed and re-added the app) is forgotten and a new one opened; if Teams
   * will not open one, the message waits for the person's next message.
   */
  private async postToUser(user: { aadObjectId: string; tenantId: string }, name: string, view: CardView): Promise<CardCopy> {
    const found = this.conversations.findPersonal(user.aadObjectId, user.tenantId);
    if (found) {
      try {
        return await this.send(found, view);
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
        await this.conversations.forgetKey(found.key);
      }
    }
    const notOpened = `${name} has not opened Bluedesk in Teams yet; they will get it when they do`;
    const seed = this.conversations.anyInTenant(user.tenantId);
    if (!seed?.serviceUrl || !seed.bot) throw new DeliveryFailure('unreachable', notOpened);
    let copy: CardCopy | undefined;
    const message = await this.message(view);
    try {
      await this.adapter.createConversationAsync(
        this.appId, seed.channelId ?? 'msteams', seed.serviceUrl, BOT_FRAMEWORK_SCOPE,
        { isGroup: false, bot: seed.bot, members: [{ id: user.aadObjectId, name: '' }], tenantId: user.tenantId, channelData: { tenant: { id: user.tenantId } } } as never,
        async (ctx) => {
          const reference = TurnContext.getConversationReference(ctx.activity) as ConversationReference;
          const key = await this.conversations.rememberCreated(reference, user.aadObjectId, user.tenantId);
          const sent = await ctx.sendActivity(message);
          if (sent?.id) copy = { platform: 'teams', conversationKey: key, activityId: sent.id };
        },
      );
    } catch (err) {
      // Teams opens a chat only with someone who has the app (403, or 404 for a user it cannot find): it waits for them.
      const status = statusOf(err);
      if (status === 403 || status === 404) throw new DeliveryFailure('unreachable', notOpened, undefined, status, `HTTP ${status}: ${(err as Error).message}`);
      throw err;
    }
    if (!copy) throw new DeliveryFailure('retry', 'Teams did not say the message arrived; trying again');
    return copy;
  }

  /** A channel is reachable once the bot is installed there; a person once the bot has a chat with them or any conversation in their tenant. */
  async reachable(target: ChannelTarget): Promise<Reachability> {
    if (target.platform !== 'teams') return { ok: false, reason: 'not a Teams target' };
    if ('user' in target) {
      if (this.conversations.findPersonal(target.user.aadObjectId, target.user.tenantId)) return { ok: true };
      return this.conversations.anyInTenant(target.user.tenantId) ? { ok: true } : { ok: false, reason: `${target.name} has not opened Bluedesk in Teams yet` };
    }
    return this.conversations.find(target) ? { ok: true } : { ok: false, reason: 'Bluedesk is not installed in that Teams channel yet' };
  }

  async update(copy: CardCopy, view: CardView): Promise<void> {
    if (copy.platform !== 'teams') return;
    const reference = this.conversations.get(copy.conversationKey);
    if (!reference) throw new DeliveryFailure('permanent', 'Bluedesk is no longer in the chat or channel that card is in (the app was removed), so the card cannot be updated there');
    const message = await this.message(view);
    await this.adapter.continueConversationAsync(this.appId, reference, async (ctx) => {
      await ctx.updateActivity({ ...message, id: copy.activityId });
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

/** The HTTP status a connector call failed with, if any. */
function statusOf(err: unknown): number | undefined {
  const e = (err ?? {}) as { statusCode?: unknown; status?: unknown };
  return typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : undefined;
}
