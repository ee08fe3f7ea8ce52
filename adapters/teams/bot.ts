import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Bluedesk } from '../../bot/app/bluedesk.ts';
import type { Reply } from '../../bot/app/reply.ts';
import type { Actor } from '../../bot/domain/people.ts';
import type { Logger } from '../../bot/log.ts';
import { toAdaptiveCard, type CardView } from '../../cards/index.ts';
import { noteColorFor } from '../../cards/escalation-alert/model.ts';
import { notice, noticeHeading, type NoticeModel } from '../../cards/notice/model.ts';
import { readCardAction, str, type CardAction } from './actions.ts';
import { teamsAttachments } from './attachments.ts';
import type { TeamsConversations } from './conversations.ts';
import { cardMessage } from './gateway.ts';
import { commandText, teamsIdentity } from './identity.ts';

/** The commands the Teams manifest's command menu offers (Teams allows ten). */
export const TEAMS_MENU = ['escalate', 'escalations', 'escalation', 'surge', 'account', 'accounts', 'impersonation', 'leaver', 'leavers', 'help'] as const;

/** Every command the bot reads from message text: the menu's, and those typed (listed in help). */
export const TEAMS_COMMANDS = [...TEAMS_MENU, 'approvals', 'mover', 'person', 'continuity', 'routes', 'coverage', 'decisions', 'hold', 'appeal', 'appeals'] as const;

/** Buttons on cards (as opposed to dialog forms). */
const CARD_VERBS = /^(escalation|account|impersonation|leaver|surge|appeal)\./;

/** Runs one Teams turn: installs, messages and card actions, all translated to Bluedesk calls. */
export class TeamsBot {
  constructor(
    private readonly app: Bluedesk,
    private readonly conversations: TeamsConversations,
    private readonly log: Logger,
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
    if (a.membersRemoved?.some((m) => m.id === a.recipient?.id)) return this.conversations.forget(a);
    await this.conversations.remember(a);
    // Someone removed from a team the bot is in: if the directory knows them, information security is offered a leaver case.
    const channelData = (a.channelData ?? {}) as { eventType?: string; tenant?: { id?: string } };
    if (channelData.eventType === 'teamMemberRemoved') {
      for (const m of a.membersRemoved ?? []) {
        if (m.aadObjectId && channelData.tenant?.id) await this.app.platformRemoved({ platform: 'teams', aadObjectId: m.aadObjectId, tenantId: channelData.tenant.id });
      }
    }
    // Installed in someone's personal chat: greet them with what they can do.
    if (a.conversation.conversationType === 'personal' && a.membersAdded?.some((m) => m.id === a.recipient?.id)) {
      await ctx.sendActivity(cardMessage({ kind: 'notice', model: this.app.welcome(teamsIdentity(a)) }));
    }
  }

  private async onMessage(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    await this.conversations.remember(a);
    const action = a.value !== undefined ? readCardAction(a) : undefined;
    if (action) {
      // Action.Submit from an old client cannot replace the card, so the answer is a new message.
      const who = await this.app.identify(teamsIdentity(a), action.verb);
      const reply: Reply = who.ok ? await this.runAction(who.actor, action) : { kind: 'notice', notice: who.notice };
      await ctx.sendActivity(cardMessage(asCard(reply)));
      return;
    }
    const text = commandText(a);
    const [word = '', ...rest] = text.split(/\s+/);
    const command = word.replace(/^\//, '').toLowerCase();
    const who = await this.app.identify(teamsIdentity(a), command || 'message');
    const reply: Reply = who.ok ? await this.runCommand(ctx, who.actor, command, rest.join(' ')) : { kind: 'notice', notice: who.notice };
    await ctx.sendActivity(cardMessage(asCard(reply)));
  }

  private async runCommand(ctx: TurnContext, actor: Actor, command: string, args: string): Promise<Reply> {
    switch (command) {
      case 'escalate': return this.app.startEscalation(actor, args, await teamsAttachments(ctx, this.log));
      case 'escalations': return this.app.listEscalations(actor);
      case 'escalation': return this.app.timeline(actor, args);
      case 'coverage': return this.app.coverage();
      case 'routes': return this.app.routes(actor);
      case 'account': return this.app.account(actor, args);
      case 'accounts': return this.app.accountsList(actor, args);
      case 'approvals': return this.app.approvals(actor);
      case 'impersonation': return this.app.impersonation(actor);
      case 'leaver': return this.app.leaver(actor, 'leaver', args);
      case 'mover': return this.app.leaver(actor, 'mover', args);
      case 'leavers': return this.app.leavers(actor);
      case 'person': return this.app.person(actor, args);
      case 'surge': return this.app.surge(actor, args);
      case 'continuity': return this.app.continuity();
      case 'decisions': return this.app.decisions(actor, args);
      case 'hold': return this.app.hold(actor, args);
      case 'appeal': return this.app.appeal(actor, args);
      case 'appeals': return this.app.appealsList(actor);
      case 'help': case '': return { kind: 'notice', notice: this.app.help(actor) };
      default: return { kind: 'notice', notice: this.app.help(actor, command, TEAMS_COMMANDS) };
    }
  }

  private async onInvoke(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    // Other invokes (sign-in, config, message extensions) are not features of Bluedesk: a clear 4xx, never a 5xx.
    if (a.name !== 'adaptiveCard/action') return invokeReply(ctx, 400, badRequest(`Bluedesk does not handle the ${a.name ?? 'unnamed'} invoke.`));
    await this.conversations.remember(a);
    const action = readCardAction(a);
    if (!action) return invokeReply(ctx, 400, badRequest('The card action has no verb.'));
    const who = await this.app.identify(teamsIdentity(a), action.verb);
    const reply: Reply = who.ok ? await this.runAction(who.actor, action) : { kind: 'notice', notice: who.notice };
    // A notice about a card (not a form) is a message, so the card stays in place for the clicker.
    if (reply.kind === 'notice' && CARD_VERBS.test(action.verb)) {
      return invokeReply(ctx, 200, { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: oneLine(reply.notice) });
    }
    return invokeReply(ctx, 200, { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: toAdaptiveCard(asCard(reply)) });
  }

  private async runAction(actor: Actor, { verb, data }: CardAction): Promise<Reply> {
    switch (verb) {
      case 'dialog.submit': {
        const { sessionId: _s, stepId: _t, verb: _v, ...values } = data;
        return this.app.submitDialog(actor, str(data, 'sessionId'), str(data, 'stepId'), values);
      }
      case 'dialog.cancel':
        return this.app.cancelDialog(actor, str(data, 'sessionId'));
      default:
        if (CARD_VERBS.test(verb)) return this.app.cardAction(actor, verb, str(data, 'escalationId') || str(data, 'subjectId'));
        return { kind: 'notice', notice: notice('error', 'Unknown action', 'This button is not recognised. The card may be out of date.') };
    }
  }
}

/**
 * The one card a reply becomes in Teams. A notice that comes with an alert is
 * for the person who acted, so it rides on their copy as a note (an invoke
 * response is seen only by the clicker).
 */
function asCard(reply: Reply): CardView {
  switch (reply.kind) {
    case 'form':
    case 'invalid': return { kind: 'dialog-form', model: reply.form };
    case 'notice': return { kind: 'notice', model: reply.notice };
    case 'card':
      if ((reply.card.kind === 'escalation-alert' || reply.card.kind === 'case' || reply.card.kind === 'checklist') && reply.notice) {
        return { ...reply.card, model: { ...reply.card.model, note: oneLine(reply.notice), noteColor: noteColorFor(reply.notice.tone) } } as CardView;
      }
      return reply.card;
  }
}

function oneLine(n: NoticeModel): string {
  return `${noticeHeading(n)}: ${n.lines.join(' ')}`;
}

function badRequest(message: string) {
  return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message } };
}

async function invokeReply(ctx: TurnContext, status: number, body: unknown): Promise<void> {
  await ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status, body } });
}
