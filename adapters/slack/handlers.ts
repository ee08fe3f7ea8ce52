import type { App, BlockAction, ButtonAction, ViewSubmitAction, ViewClosedAction } from '@slack/bolt';
import type { Bluedesk } from '../../bot/app/bluedesk.ts';
import type { SeenEvents } from '../../bot/app/seen-events.ts';
import { describeError, type Logger } from '../../bot/log.ts';
import { DIALOG_CALLBACK_ID, dialogFormErrors, dialogFormModal, type DialogModalMetadata } from '../../cards/dialog-form/slack-modal.ts';
import { toSlackMessage } from '../../cards/index.ts';
import { noticeModal } from '../../cards/notice/blockkit.ts';
import { notice, type NoticeModel } from '../../cards/notice/model.ts';
import { slackIdentity } from './identity.ts';
import { viewValues } from './view-values.ts';

/** Slash commands the app handles; the Slack app manifest declares the same. */
export const SLACK_COMMANDS = { escalate: '/escalate', help: '/bluedesk' } as const;

/** Wires Slack commands, actions, modal submissions and messages to Bluedesk. */
export function registerSlackHandlers(bolt: App, app: Bluedesk, seen: SeenEvents, log: Logger): void {
  const ephemeral = (model: NoticeModel) => ({ response_type: 'ephemeral' as const, ...toSlackMessage({ kind: 'notice', model }) });

  bolt.command(SLACK_COMMANDS.escalate, async ({ command, ack, client }) => {
    const who = await app.identify(slackIdentity(command.user_id, command.team_id, command.enterprise_id, command.user_name), 'escalate');
    if (!who.ok) return ack(ephemeral(who.notice));
    const started = await app.startEscalation(who.actor, command.text ?? '');
    if (started.kind === 'refused') return ack(ephemeral(started.notice));
    await ack();
    // trigger_id lapses 3 s after the command, so the modal opens straight after the ack.
    try {
      await client.views.open({ trigger_id: command.trigger_id, view: dialogFormModal(started.form) as never });
    } catch (err) {
      log.error('slack views.open failed', { error: describeError(err) });
      await client.chat.postEphemeral({
        channel: command.channel_id, user: command.user_id,
        ...toSlackMessage({ kind: 'notice', model: notice('error', 'Could not open the form', 'Slack did not open the escalation form in time. Please run /escalate again.') }),
      }).catch(() => undefined);
    }
  });

  bolt.command(SLACK_COMMANDS.help, async ({ command, ack }) => {
    const who = await app.identify(slackIdentity(command.user_id, command.team_id, command.enterprise_id), 'help');
    await ack(ephemeral(who.ok ? app.help(who.actor) : who.notice));
  });

  bolt.view<ViewSubmitAction>({ callback_id: DIALOG_CALLBACK_ID, type: 'view_submission' }, async ({ body, view, ack }) => {
    const meta = readMetadata(view.private_metadata);
    if (!meta) return ack({ response_action: 'update', view: noticeModal(formGone()) as never });
    const who = await app.identify(slackIdentity(body.user.id, body.user.team_id ?? body.team?.id, body.enterprise?.id), 'dialog.submit');
    if (!who.ok) return ack({ response_action: 'update', view: noticeModal(who.notice) as never });
    const reply = await app.submitDialog(who.actor, meta.sessionId, meta.stepId, viewValues(view.state.values));
    if (reply.kind === 'invalid') return ack({ response_action: 'errors', errors: dialogFormErrors(reply.form) });
    if (reply.kind === 'form') return ack({ response_action: 'update', view: dialogFormModal(reply.form) as never });
    return ack({ response_action: 'update', view: noticeModal(reply.notice) as never });
  });

  bolt.view<ViewClosedAction>({ callback_id: DIALOG_CALLBACK_ID, type: 'view_closed' }, async ({ body, view, ack }) => {
    await ack();
    const meta = readMetadata(view.private_metadata);
    const who = await app.identify(slackIdentity(body.user.id, body.user.team_id ?? body.team?.id, body.enterprise?.id), 'dialog.cancel');
    if (meta && who.ok) await app.cancelDialog(who.actor, meta.sessionId);
  });

  bolt.action<BlockAction<ButtonAction>>('escalation.acknowledge', async ({ body, action, ack, client }) => {
    await ack();
    const who = await app.identify(slackIdentity(body.user.id, body.user.team_id ?? body.team?.id, body.enterprise?.id), 'escalation.acknowledge');
    const result = who.ok ? await app.acknowledge(who.actor, action.value ?? '') : { notice: who.notice };
    const channel = body.channel?.id ?? body.container?.channel_id;
    if (result.notice && channel) {
      await client.chat.postEphemeral({ channel, user: body.user.id, ...toSlackMessage({ kind: 'notice', model: result.notice }) });
    }
  });

  // The "Open content" button is a link; Slack still tells us it was clicked.
  bolt.action('escalation.open', async ({ ack }) => ack());

  // Direct messages and mentions: help for anything that is not a command.
  bolt.event('message', async ({ event, body, client }) => {
    if (event.channel_type !== 'im' || ('subtype' in event && event.subtype) || !('user' in event) || !event.user) return;
    if (!(await seen.firstTime(`slack:${body.event_id}`))) return;
    const who = await app.identify(slackIdentity(event.user, body.team_id, body.enterprise_id), 'message');
    await client.chat.postMessage({ channel: event.channel, ...toSlackMessage({ kind: 'notice', model: who.ok ? app.help(who.actor) : who.notice }) });
  });

  bolt.event('app_mention', async ({ event, body, client }) => {
    if (!(await seen.firstTime(`slack:${body.event_id}`))) return;
    const who = await app.identify(slackIdentity(event.user, body.team_id, body.enterprise_id), 'mention');
    await client.chat.postEphemeral({ channel: event.channel, user: event.user ?? '', ...toSlackMessage({ kind: 'notice', model: who.ok ? app.help(who.actor) : who.notice }) });
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

function formGone(): NoticeModel {
  return notice('warning', 'Form closed', 'This form can no longer be submitted. Start again with /escalate.');
}
