import { ActivityTypes, TurnContext, type Activity } from 'botbuilder';
import type { Bluedesk } from '../../bot/app/bluedesk.ts';
import type { Actor } from '../../bot/domain/people.ts';
import type { DialogFormModel } from '../../cards/dialog-form/model.ts';
import { toAdaptiveCard, type CardView } from '../../cards/index.ts';
import { notice, noticeHeading, type NoticeModel } from '../../cards/notice/model.ts';
import { readCardAction, str, type CardAction } from './actions.ts';
import type { TeamsConversations } from './conversations.ts';
import { cardMessage } from './gateway.ts';
import { teamsIdentity } from './identity.ts';

/** Commands the bot reads from message text; the Teams manifest's command list offers the same. */
export const TEAMS_COMMANDS = ['escalate', 'help'] as const;

/** What a card action produces, before it is shaped for an invoke response or a message. */
type ActionResult = { card: CardView } | { message: NoticeModel };

/** Runs one Teams turn: installs, messages and card actions, all translated to Bluedesk calls. */
export class TeamsBot {
  constructor(
    private readonly app: Bluedesk,
    private readonly conversations: TeamsConversations,
  ) {}

  async onTurn(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    switch (a.type) {
      case ActivityTypes.ConversationUpdate: return this.onConversationUpdate(ctx);
      case ActivityTypes.InstallationUpdate:
        return a.action === 'remove' || a.action === 'remove-upgrade' ? this.conversations.forget(a) : this.conversations.remember(a);
      case ActivityTypes.Message: return this.onMessage(ctx);
      case ActivityTypes.Invoke: return this.onInvoke(ctx);
      default: return undefined;
    }
  }

  private async onConversationUpdate(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const botId = a.recipient?.id;
    if (a.membersRemoved?.some((m) => m.id === botId)) return this.conversations.forget(a);
    await this.conversations.remember(a);
  }

  private async onMessage(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    await this.conversations.remember(a);
    const action = a.value !== undefined ? readCardAction(a) : undefined;
    if (action) {
      const who = await this.app.identify(teamsIdentity(a), action.verb);
      const result = who.ok ? await this.runAction(who.actor, action) : { message: who.notice };
      // Action.Submit cannot replace the card, so a new card is posted instead.
      await ctx.sendActivity(cardMessage('card' in result ? result.card : { kind: 'notice', model: result.message }));
      return;
    }
    const text = TurnContext.removeRecipientMention(a as Activity)?.trim() ?? '';
    const [word = '', ...rest] = text.split(/\s+/);
    const command = word.replace(/^\//, '').toLowerCase();
    const who = await this.app.identify(teamsIdentity(a), command || 'message');
    if (!who.ok) {
      await ctx.sendActivity(cardMessage({ kind: 'notice', model: who.notice }));
      return;
    }
    if (command === TEAMS_COMMANDS[0]) {
      const started = await this.app.startEscalation(who.actor, rest.join(' '));
      await ctx.sendActivity(cardMessage(started.kind === 'form' ? form(started.form) : { kind: 'notice', model: started.notice }));
      return;
    }
    await ctx.sendActivity(cardMessage({ kind: 'notice', model: this.app.help(who.actor) }));
  }

  private async onInvoke(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    // Other invokes (sign-in, config, message extensions) are not features of Bluedesk: a clear 4xx, never a 5xx.
    if (a.name !== 'adaptiveCard/action') return invokeReply(ctx, 400, badRequest(`Bluedesk does not handle the ${a.name ?? 'unnamed'} invoke.`));
    await this.conversations.remember(a);
    const action = readCardAction(a);
    if (!action) return invokeReply(ctx, 400, badRequest('The card action has no verb.'));
    const who = await this.app.identify(teamsIdentity(a), action.verb);
    const result = who.ok ? await this.runAction(who.actor, action) : { message: who.notice };
    if ('message' in result) {
      return invokeReply(ctx, 200, { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: `${noticeHeading(result.message)}: ${result.message.lines.join(' ')}` });
    }
    return invokeReply(ctx, 200, { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: toAdaptiveCard(result.card) });
  }

  private async runAction(actor: Actor, action: CardAction): Promise<ActionResult> {
    const { verb, data } = action;
    switch (verb) {
      case 'dialog.submit': {
        const { sessionId: _s, stepId: _t, verb: _v, ...values } = data;
        const reply = await this.app.submitDialog(actor, str(data, 'sessionId'), str(data, 'stepId'), values);
        return { card: reply.kind === 'done' ? { kind: 'notice', model: reply.notice } : form(reply.form) };
      }
      case 'dialog.cancel':
        return { card: { kind: 'notice', model: await this.app.cancelDialog(actor, str(data, 'sessionId')) } };
      case 'escalation.acknowledge': {
        const { card, notice: told } = await this.app.acknowledge(actor, str(data, 'escalationId'));
        // The invoke response is seen only by the clicker, so their note rides on the card.
        if (card?.kind === 'escalation-alert' && told) {
          return { card: { ...card, model: { ...card.model, note: `${noticeHeading(told)}: ${told.lines.join(' ')}` } } };
        }
        return card ? { card } : { message: told! };
      }
      default:
        return { message: notice('error', 'Unknown action', 'This button is not recognised. The card may be out of date.') };
    }
  }
}

function form(model: DialogFormModel): CardView {
  return { kind: 'dialog-form', model };
}

function badRequest(message: string) {
  return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message } };
}

async function invokeReply(ctx: TurnContext, status: number, body: unknown): Promise<void> {
  await ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status, body } });
}
