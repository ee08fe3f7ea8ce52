import type { App, BlockAction, ButtonAction, MessageShortcut, RespondArguments, ViewClosedAction, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Bluedesk } from '../../bot/app/bluedesk.ts';
import type { BackgroundTasks } from '../../bot/app/background.ts';
import type { Reply } from '../../bot/app/reply.ts';
import type { SeenEvents } from '../../bot/app/seen-events.ts';
import type { Actor } from '../../bot/domain/people.ts';
import { describeError, type Logger } from '../../bot/log.ts';
import { DIALOG_CALLBACK_ID, dialogFormErrors, dialogFormModal, type DialogModalMetadata } from '../../cards/dialog-form/slack-modal.ts';
import { toSlackMessage } from '../../cards/index.ts';
import { noticeModal } from '../../cards/notice/blockkit.ts';
import { notice, type NoticeModel } from '../../cards/notice/model.ts';
import { slackAttachments, unwrapSlackLinks, type SlackFile } from './attachments.ts';
import { slackIdentity } from './identity.ts';
import { viewValues } from './view-values.ts';
import type { SlackBody } from './edge.ts';

/** Slash commands the app handles; the Slack app manifest declares the same. */
export const SLACK_COMMANDS = {
  escalate: '/escalate', list: '/escalations', timeline: '/escalation', coverage: '/coverage', routes: '/routes',
  account: '/account', accounts: '/accounts', approvals: '/approvals', impersonation: '/impersonation', help: '/bluedesk',
  leaver: '/leaver', mover: '/mover', leavers: '/leavers', person: '/person', surge: '/surge', continuity: '/continuity', decisions: '/decisions', hold: '/hold', appeal: '/appeal', appeals: '/appeals',
} as const;

/** Card buttons that act on a record (the "Open content" link button is not one). */
const CARD_ACTIONS = /^(escalation\.(acknowledge|assign|note|decide|escalate|close|reopen)|account\.[a-z_]+|impersonation\.[a-z_]+|leaver\.[a-z_]+(:\d{1,4})?|surge\.[a-z_]+(:[a-z0-9]{1,8})?|appeal\.[a-z_]+(:\d{1,4})?)$/;

/** The message shortcut ("Escalate this message") declared in the Slack app manifest. */
export const ESCALATE_MESSAGE_SHORTCUT = 'bluedesk.escalate_message';

/**
 * Whether a listener below takes a signed request: what none does is
 * acknowledged at the edge at once, instead of Bolt holding it for 3 seconds
 * and answering 404. Kept beside the listeners, which it mirrors.
 */
export function slackHandles({ type, payload }: SlackBody): boolean {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const view = (payload.view ?? {}) as Record<string, unknown>;
  switch (type) {
    case 'command': case 'ssl_check': case 'url_verification': case 'event_callback': return true;
    case 'block_actions': return Array.isArray(payload.actions) && payload.actions.some((a) => {
      const id = str((a as Record<string, unknown> | null)?.action_id);
      return CARD_ACTIONS.test(id) || id === 'escalation.open';
    });
    case 'view_submission': case 'view_closed': return str(view.callback_id) === DIALOG_CALLBACK_ID;
    case 'message_action': return str(payload.callback_id) === ESCALATE_MESSAGE_SHORTCUT;
    default: return false;
  }
}

/** Wires Slack commands, actions, modal submissions and messages to Bluedesk. */
/** How long hashing a message's files may take before the modal must open (trigger_id lapses at 3 s). */
const HASH_BUDGET_MS = 1500;

export function registerSlackHandlers(
  bolt: App, app: Bluedesk, seen: SeenEvents, tasks: BackgroundTasks, log: Logger, apiUrl: string | undefined,
  membership: { botUserId: () => string | undefined; onJoinedChannel: () => void },
): void {
  // Work after an ack is tracked, so a shutdown drains it and nothing is cut off half-done.
  const afterAck = (work: () => Promise<unknown>) => tasks.track(work());

  const ephemeral = (model: NoticeModel): RespondArguments => ({ response_type: 'ephemeral', ...toSlackMessage({ kind: 'notice', model }) });

  /** Opens a modal right away: trigger_id lapses 3 s after the user acted. */
  const openModal = async (client: WebClient, triggerId: string, reply: Extract<Reply, { kind: 'form' }>, where: { channel?: string; user: string }) => {
    try {
      // The view goes as the JSON text it becomes on the wire anyway: given an object, the client also walks
      // all of it to redact a debug line it builds whatever the log level (a form is several KB).
      await client.views.open({ trigger_id: triggerId, view: JSON.stringify(dialogFormModal(reply.form)) as never });
    } catch (err) {
      log.error('slack views.open failed', { error: describeError(err) });
      if (where.channel) {
        await client.chat.postEphemeral({ channel: where.channel, user: where.user, ...toSlackMessage({ kind: 'notice', model: notice('error', 'Could not open the form', 'Slack did not open the form in time. Please try again.') }) }).catch(() => undefined);
      }
    }
  };

  const commands = new Map<string, (actor: Actor, text: string) => Promise<Reply> | Reply>();
  const command = (name: string, run: (actor: Actor, text: string) => Promise<Reply> | Reply) => commands.set(name, run);
  // One listener for every command: Bolt runs each listener's matchers on every request it gets, so a
  // listener per command cost every request (slash command, click or event) a dozen more middleware chains.
  bolt.command(/^\/./, async ({ command: c, ack, client }) => {
    const run = commands.get(c.command);
    if (!run) return ack(ephemeral(notice('info', 'Not a Bluedesk command', `Bluedesk does not know ${c.command}. Try ${SLACK_COMMANDS.help}.`)));
    const who = await app.identify(slackIdentity(c.user_id, c.team_id, c.enterprise_id, c.user_name), c.command.slice(1));
    if (!who.ok) return ack(ephemeral(who.notice));
    const reply = await run(who.actor, unwrapSlackLinks(c.text ?? ''));
    if (reply.kind === 'form') {
      await ack();
      await afterAck(() => openModal(client, c.trigger_id, reply, { channel: c.channel_id, user: c.user_id }));
      return;
    }
    if (reply.kind === 'card' && reply.card.kind !== 'dialog-form') return ack({ response_type: 'ephemeral', ...toSlackMessage(reply.card) });
    return ack(ephemeral(reply.kind === 'notice' ? reply.notice : notice('info', 'Done', 'Done.')));
  });

  command(SLACK_COMMANDS.escalate, (actor, text) => app.startEscalation(actor, text));
  command(SLACK_COMMANDS.list, (actor) => app.listEscalations(actor));
  command(SLACK_COMMANDS.timeline, (actor, text) => app.timeline(actor, text));
  command(SLACK_COMMANDS.coverage, () => app.coverage());
  command(SLACK_COMMANDS.routes, (actor) => app.routes(actor));
  command(SLACK_COMMANDS.account, (actor, text) => app.account(actor, text));
  command(SLACK_COMMANDS.accounts, (actor, text) => app.accountsList(actor, text));
  command(SLACK_COMMANDS.approvals, (actor) => app.approvals(actor));
  command(SLACK_COMMANDS.impersonation, (actor) => app.impersonation(actor));
  command(SLACK_COMMANDS.help, (actor) => ({ kind: 'notice', notice: app.help(actor) }));
  command(SLACK_COMMANDS.leaver, (actor, text) => app.leaver(actor, 'leaver', text));
  command(SLACK_COMMANDS.mover, (actor, text) => app.leaver(actor, 'mover', text));
  command(SLACK_COMMANDS.leavers, (actor) => app.leavers(actor));
  command(SLACK_COMMANDS.person, (actor, text) => app.person(actor, text));
  command(SLACK_COMMANDS.surge, (actor, text) => app.surge(actor, text));
  command(SLACK_COMMANDS.continuity, () => app.continuity());
  command(SLACK_COMMANDS.decisions, (actor, text) => app.decisions(actor, text));
  command(SLACK_COMMANDS.hold, (actor, text) => app.hold(actor, text));
  command(SLACK_COMMANDS.appeal, (actor, text) => app.appeal(actor, text));
  command(SLACK_COMMANDS.appeals, (actor) => app.appealsList(actor));

  // "Escalate this message": the message's link and text pre-fill the form, and its files are kept by hash.
  bolt.shortcut<MessageShortcut>({ callback_id: ESCALATE_MESSAGE_SHORTCUT, type: 'message_action' }, async ({ shortcut, ack, client }) => {
    await ack();
    await afterAck(async () => {
      const where = { channel: shortcut.channel.id, user: shortcut.user.id };
      const who = await app.identify(slackIdentity(shortcut.user.id, shortcut.user.team_id ?? shortcut.team?.id, shortcut.enterprise?.id), 'escalate');
      const message = shortcut.message as { text?: string; files?: SlackFile[] };
      const attachments = who.ok ? await slackAttachments(message.files ?? [], client.token ?? '', apiUrl, HASH_BUDGET_MS) : [];
      const unhashed = attachments.filter((a) => !a.sha256).map((a) => a.fileId);
      if (unhashed.length) log.warn('slack files kept by id only: not hashed in time or not on a Slack host', { files: unhashed });
      const reply: Reply = who.ok ? await app.startEscalation(who.actor, unwrapSlackLinks(message.text ?? ''), attachments) : { kind: 'notice', notice: who.notice };
      if (reply.kind === 'form') return openModal(client, shortcut.trigger_id, reply, where);
      if (reply.kind === 'notice') await client.chat.postEphemeral({ ...where, ...toSlackMessage({ kind: 'notice', model: reply.notice }) });
    });
  });

  bolt.view<ViewSubmitAction>({ callback_id: DIALOG_CALLBACK_ID, type: 'view_submission' }, async ({ body, view, ack }) => {
    const meta = readMetadata(view.private_metadata);
    if (!meta) return ack({ response_action: 'update', view: noticeModal(notice('warning', 'Form closed', 'This form can no longer be submitted. Start again.')) as never });
    const who = await app.identify(slackIdentity(body.user.id, body.user.team_id ?? body.team?.id, body.enterprise?.id), 'dialog.submit');
    if (!who.ok) return ack({ response_action: 'update', view: noticeModal(who.notice) as never });
    const reply = await app.submitDialog(who.actor, meta.sessionId, meta.stepId, viewValues(view.state.values));
    if (reply.kind === 'invalid') return ack({ response_action: 'errors', errors: dialogFormErrors(reply.form) });
    if (reply.kind === 'form') return ack({ response_action: 'update', view: dialogFormModal(reply.form) as never });
    // The alert itself is updated everywhere in the background; the modal says what happened.
    const told = reply.kind === 'notice' ? reply.notice : (reply.notice ?? notice('success', 'Done', 'The alert has been updated.'));
    return ack({ response_action: 'update', view: noticeModal(told) as never });
  });

  bolt.view<ViewClosedAction>({ callback_id: DIALOG_CALLBACK_ID, type: 'view_closed' }, async ({ body, view, ack }) => {
    await ack();
    await afterAck(async () => {
      const meta = readMetadata(view.private_metadata);
      const who = await app.identify(slackIdentity(body.user.id, body.user.team_id ?? body.team?.id, body.enterprise?.id), 'dialog.cancel');
      if (meta && who.ok) await app.cancelDialog(who.actor, meta.sessionId);
    });
  });

  bolt.action<BlockAction<ButtonAction>>(CARD_ACTIONS, async ({ body, action, ack, client }) => {
    // The click is applied and committed before Slack hears 200: Slack does not retry interactions,
    // so an ack before the work would lose a click to a crash. It takes milliseconds, well inside 3 s.
    // A checklist's item buttons carry their number in the action id (Slack wants them unique in a block); the verb is before it.
    const verb = action.action_id.split(':')[0]!;
    const who = await app.identify(slackIdentity(body.user.id, body.user.team_id ?? body.team?.id, body.enterprise?.id), verb);
    const reply: Reply = who.ok ? await app.cardAction(who.actor, verb, action.value ?? '') : { kind: 'notice', notice: who.notice };
    await ack();
    await afterAck(async () => {
      const channel = body.channel?.id ?? body.container?.channel_id;
      if (reply.kind === 'form') return openModal(client, body.trigger_id, reply, { ...(channel ? { channel } : {}), user: body.user.id });
      // Every copy of the alert updates in the background; the person who clicked is told anything else privately.
      const told = reply.kind === 'notice' || reply.kind === 'card' ? reply.notice : undefined;
      if (told && channel) await client.chat.postEphemeral({ channel, user: body.user.id, ...toSlackMessage({ kind: 'notice', model: told }) });
    });
  });

  // The "Open content" button is a link; Slack still tells us it was clicked.
  bolt.action('escalation.open', async ({ ack }) => ack());

  // Direct messages and mentions: help for anything that is not a command.
  bolt.event('message', async ({ event, body, client }) => {
    if (event.channel_type !== 'im' || ('subtype' in event && event.subtype) || !('user' in event) || !event.user) return;
    await afterAck(async () => {
      if (!(await seen.firstTime(`slack:${body.event_id}`))) return;
      const who = await app.identify(slackIdentity(event.user, body.team_id, body.enterprise_id), 'message');
      await client.chat.postMessage({ channel: event.channel, ...toSlackMessage({ kind: 'notice', model: who.ok ? app.help(who.actor) : who.notice }) });
    });
  });

  // A deactivated user: if the directory knows them, information security is offered a leaver case.
  bolt.event('user_change', async ({ event, body }) => {
    // Read defensively: the event is signed, but its fields are not trusted to have Slack's shapes.
    const user = (event as { user?: unknown }).user;
    if (typeof user !== 'object' || user === null) return;
    const { id, team_id: team, deleted } = user as { id?: unknown; team_id?: unknown; deleted?: unknown };
    if (deleted !== true || typeof id !== 'string' || id.length > 64) return;
    const teamId = typeof team === 'string' ? team : body.team_id;
    await afterAck(async () => {
      if (!(await seen.firstTime(`slack:${body.event_id}`))) return;
      await app.platformRemoved(slackIdentity(id, teamId, body.enterprise_id));
    });
  });

  // The bot was added to a channel: alerts waiting for it can go now.
  bolt.event('member_joined_channel', async ({ event }) => {
    if (event.user && event.user === membership.botUserId()) membership.onJoinedChannel();
  });

  bolt.event('app_mention', async ({ event, body, client }) => {
    await afterAck(async () => {
      if (!(await seen.firstTime(`slack:${body.event_id}`))) return;
      const who = await app.identify(slackIdentity(event.user, body.team_id, body.enterprise_id), 'mention');
      await client.chat.postEphemeral({ channel: event.channel, user: event.user ?? '', ...toSlackMessage({ kind: 'notice', model: who.ok ? app.help(who.actor) : who.notice }) });
    });
  });
}

function readMetadata(raw: string | undefined): DialogModalMetadata | undefined {
  try {
    const meta = JSON.parse(raw ?? '') as Partial<DialogModalMetadata>;
    return typeof meta.sessionId === 'string' && typeof meta.stepId === 'string' ? { sessionId: meta.sessionId, stepId: meta.stepId } : undefined;
  } catch {
    return undefined;
  }
}
