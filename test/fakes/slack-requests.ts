import { createHmac } from 'node:crypto';

/** Slack's request signature: v0=HMAC-SHA256(secret, "v0:{ts}:{body}"). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return 'v0=' + createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
}

/** Posts a form-encoded body to the bot's Slack endpoint, signed unless told otherwise. */
export async function postToSlack(
  url: string,
  body: string,
  opts: { secret?: string; timestamp?: number; signature?: string; headers?: Record<string, string>; contentType?: string } = {},
): Promise<{ status: number; text: string; json: () => unknown }> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': opts.contentType ?? 'application/x-www-form-urlencoded',
    ...opts.headers,
  };
  if (opts.secret !== undefined || opts.signature !== undefined) {
    headers['x-slack-request-timestamp'] = String(timestamp);
    headers['x-slack-signature'] = opts.signature ?? slackSignature(opts.secret!, timestamp, body);
  }
  const res = await fetch(`${url}/slack/events`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}

/** A Slack user as it appears in payloads. */
export interface SlackUser {
  userId: string;
  teamId: string;
  name?: string;
}

/** A slash command, as Slack sends it (form fields). */
export function slashCommand(user: SlackUser, command: string, text: string, channelId = 'C0DESK0001'): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: user.teamId,
    team_domain: 'example',
    channel_id: channelId,
    channel_name: 'digital-desk',
    user_id: user.userId,
    user_name: user.name ?? 'user',
    command,
    text,
    api_app_id: 'A0BLUEDESK',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.invalid/commands/T0/1/abc',
    trigger_id: `${Date.now()}.1234.abcdef`,
  }).toString();
}

/** Wraps an interactivity payload the way Slack does: `payload=<JSON>`. */
export function interactive(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A block_actions payload for a button click on a message. */
export function buttonClick(user: SlackUser, actionId: string, value: string, channelId: string, messageTs: string) {
  return interactive({
    type: 'block_actions',
    user: { id: user.userId, username: user.name ?? 'user', name: user.name ?? 'user', team_id: user.teamId },
    api_app_id: 'A0BLUEDESK',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: false },
    trigger_id: `${Date.now()}.1234.abcdef`,
    team: { id: user.teamId, domain: 'example' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: 'escalations' },
    message: { type: 'message', ts: messageTs, text: 'alert' },
    response_url: 'https://hooks.slack.invalid/actions/T0/1/abc',
    actions: [{ action_id: actionId, block_id: `b-${actionId}`, text: { type: 'plain_text', text: 'Button' }, value, type: 'button', action_ts: `${Date.now() / 1000}` }],
  });
}

/** A view_submission (or view_closed) payload for a modal the bot opened. */
export function viewPayload(
  type: 'view_submission' | 'view_closed',
  user: SlackUser,
  view: { callback_id: string; private_metadata: string },
  values: Record<string, Record<string, unknown>> = {},
) {
  return interactive({
    type,
    team: { id: user.teamId, domain: 'example' },
    user: { id: user.userId, username: user.name ?? 'user', name: user.name ?? 'user', team_id: user.teamId },
    api_app_id: 'A0BLUEDESK',
    token: 'deprecated-verification-token',
    trigger_id: `${Date.now()}.1234.abcdef`,
    view: {
      id: 'V0MODAL01', team_id: user.teamId, type: 'modal', blocks: [], private_metadata: view.private_metadata, callback_id: view.callback_id,
      state: { values }, hash: '1700000000.abc', title: { type: 'plain_text', text: 'Form' }, app_id: 'A0BLUEDESK', bot_id: 'B0BLUEDESK',
    },
    ...(type === 'view_closed' ? { is_cleared: false } : { response_urls: [] }),
  });
}

/** Values for a modal: plain text inputs and single selects, keyed block → action as Slack does. */
export function modalValues(fields: Record<string, string>, choices: string[] = []): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(fields).map(([id, v]) => [id, {
    [id]: choices.includes(id)
      ? { type: 'static_select', selected_option: { text: { type: 'plain_text', text: v }, value: v } }
      : { type: 'plain_text_input', value: v },
  }]));
}

/** A message shortcut ("Escalate this message") on a message, as Slack sends it. */
export function messageShortcut(user: SlackUser, callbackId: string, message: { text: string; files?: unknown[] }, channelId = 'C0DESK0001') {
  return interactive({
    type: 'message_action',
    callback_id: callbackId,
    trigger_id: `${Date.now()}.1234.abcdef`,
    action_ts: `${Date.now() / 1000}`,
    team: { id: user.teamId, domain: 'example' },
    user: { id: user.userId, username: user.name ?? 'user', name: user.name ?? 'user', team_id: user.teamId },
    channel: { id: channelId, name: 'digital-desk' },
    enterprise: null,
    is_enterprise_install: false,
    message_ts: '1700000001.000200',
    response_url: 'https://hooks.slack.invalid/actions/T0/1/abc',
    token: 'deprecated-verification-token',
    message: { type: 'message', user: user.userId, ts: '1700000001.000200', text: message.text, ...(message.files ? { files: message.files } : {}) },
  });
}
