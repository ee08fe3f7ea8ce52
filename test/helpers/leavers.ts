import { randomUUID } from 'node:crypto';
import { eventually } from '../fakes/http.ts';
import { postToSlack, viewPayload, type SlackUser } from '../fakes/slack-requests.ts';
import { cardAction, personalMessage, postActivity, type TeamsUser } from '../fakes/teams-activities.ts';
import { SLACK_TEAM, TENANT, TEAMS_TEAM, USERS, type UserKey } from './config.ts';
import { slashInSlack } from './flows.ts';
import { SIGNING_SECRET, type Harness } from './harness.ts';

/** Answers for each step of the leaver dialog, by step id. */
export type LeaverSteps = Partial<Record<'who' | 'accounts' | 'mover' | 'devices', Record<string, string>>>;

const CHOICE = ['kind', 'personId', 'psd', 'sensitive', 'newOwnerId', 'outcome', 'trigger', 'level', 'inChargeId', 'type', 'accountId', 'area'];
const MULTI = ['accountIds', 'keepRoles', 'keepAccountIds', 'areas', 'actions'];

/** A modal's values as Slack sends them: text inputs, selects and multi-selects. */
export function slackValues(fields: Record<string, string>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(fields).map(([id, v]) => [id, {
    [id]: MULTI.includes(id)
      ? { type: 'multi_static_select', selected_options: v.split(',').filter(Boolean).map((x) => ({ text: { type: 'plain_text', text: x }, value: x })) }
      : CHOICE.includes(id) ? { type: 'static_select', selected_option: { text: { type: 'plain_text', text: v }, value: v } } : { type: 'plain_text_input', value: v },
  }]));
}

/** Submits a Slack modal step with leaver field types, and returns the ack. */
export async function submitSlackStep(h: Harness, user: SlackUser, view: { callback_id: string; private_metadata: string }, fields: Record<string, string>): Promise<any> {
  const res = await postToSlack(h.url, viewPayload('view_submission', user, view, slackValues(fields)), { secret: SIGNING_SECRET });
  return res.json();
}

/**
 * `/leaver` (or `/mover`) in Slack, step by step as the modal asks; returns
 * the last ack (the closing notice, inline errors, or a refusal).
 */
export function leaverInSlack(h: Harness, user: SlackUser, steps: LeaverSteps, command = '/leaver', text = ''): Promise<any> {
  return modalInSlack(h, user, command, text, steps);
}

/**
 * A slash command that opens a modal, answered step by step as the modal
 * asks (`steps` by step id); a field not given keeps the value the modal
 * shows, as Slack sends it back. Returns the last ack.
 */
export async function modalInSlack(h: Harness, user: SlackUser, command: string, text: string, steps: Record<string, Record<string, string>>): Promise<any> {
  const before = h.slack.of('views.open').length;
  const answer = await slashInSlack(h, user, command, text);
  if (answer) return answer;
  let view = await eventually(() => h.slack.of('views.open')[before]?.args.view as any, 3000, 'modal');
  for (;;) {
    const step = JSON.parse(view.private_metadata).stepId as string;
    const ack = await submitSlackStep(h, user, view, { ...shownValues(view), ...(steps[step] ?? {}) });
    if (ack.response_action !== 'update' || !ack.view.private_metadata) return ack;
    view = ack.view;
  }
}

/** The values a modal shows before anyone types: its initial values and selections. */
export function shownValues(view: { blocks?: any[] }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const b of view.blocks ?? []) {
    const e = b.element;
    if (b.type !== 'input' || !e) continue;
    const v = e.initial_value ?? e.initial_option?.value ?? (e.initial_options as Array<{ value: string }> | undefined)?.map((o) => o.value).join(',');
    if (typeof v === 'string' && v) out[b.block_id] = v;
  }
  return out;
}

/** `leaver` (or `mover`) typed in the Teams personal chat, step by step; returns the last response. */
export async function leaverInTeams(h: Harness, user: TeamsUser, steps: LeaverSteps, command = 'leaver'): Promise<any> {
  const conv = `a:personal-${user.aadObjectId}`;
  await postActivity(h.url, personalMessage(h.connector.url, user, command));
  let form = h.connector.calls.filter((c) => c.conversationId === conv && c.method === 'POST').at(-1)!.body.attachments![0]!.content as any;
  for (;;) {
    const submit = form.actions?.find((a: any) => a.verb === 'dialog.submit');
    if (!submit) return form;
    const step = submit.data.stepId as keyof LeaverSteps;
    const res = await postActivity(h.url, cardAction(h.connector.url, user, conv, 'dialog.submit', { ...submit.data, ...(steps[step] ?? {}) }));
    form = res.body.value;
  }
}

/** Slack's Events API `user_change` for a deactivated user. */
export function userDeactivated(userId: string): string {
  return JSON.stringify({
    token: 'unused', team_id: SLACK_TEAM, api_app_id: 'A0BLUEDESK', type: 'event_callback', event_id: `Ev${randomUUID().slice(0, 8)}`, event_time: Math.floor(Date.now() / 1000),
    event: { type: 'user_change', user: { id: userId, team_id: SLACK_TEAM, name: 'someone', deleted: true, profile: { real_name: 'Someone' } }, cache_ts: Math.floor(Date.now() / 1000), event_ts: `${Date.now() / 1000}` },
  });
}

/** Teams' conversationUpdate when a member is removed from a team the bot is in. */
export function memberRemovedFromTeam(serviceUrl: string, aadObjectId: string, channelId: string) {
  return {
    type: 'conversationUpdate', id: randomUUID(), timestamp: new Date().toISOString(), serviceUrl, channelId: 'msteams',
    from: { id: '29:team-owner', aadObjectId: 'owner-aad' }, recipient: { id: '28:bluedesk-app-id', name: 'Bluedesk' },
    conversation: { conversationType: 'channel', isGroup: true, tenantId: TENANT, id: channelId },
    membersRemoved: [{ id: `29:${aadObjectId}`, aadObjectId }],
    channelData: { tenant: { id: TENANT }, team: { id: TEAMS_TEAM, name: 'Digital Desk' }, eventType: 'teamMemberRemoved' },
  };
}

/** Who a payload went to: a person (by directory key), or a channel. */
export type Recipient = { person: UserKey } | { channel: string };

/** Every card and message the bot sent on both platforms, with who it went to and its text. */
export function outgoing(h: Harness): Array<{ to: Recipient; via: string; text: string }> {
  const bySlack = new Map<string, UserKey>(Object.entries(USERS).map(([k, u]) => [u.slack, k as UserKey]));
  const byAad = new Map<string, UserKey>(Object.entries(USERS).map(([k, u]) => [u.aad, k as UserKey]));
  const out: Array<{ to: Recipient; via: string; text: string }> = [];
  // A chat the bot started (POST /v3/conversations) belongs to its one member.
  const started = new Map(h.connector.calls.filter((c) => c.conversationId === '' && c.result).map((c) => [c.result!.id, (c.body.members as Array<{ id: string }>)[0]!.id]));
  for (const c of h.connector.calls) {
    if (c.conversationId === '') continue;
    const aad = c.conversationId.match(/^a:personal-(.+)$/)?.[1] ?? started.get(c.conversationId);
    out.push({ to: aad && byAad.has(aad) ? { person: byAad.get(aad)! } : { channel: c.conversationId }, via: `teams ${c.method}`, text: JSON.stringify(c.body) });
  }
  for (const c of h.slack.calls) {
    if (!['chat.postMessage', 'chat.update', 'chat.postEphemeral'].includes(c.method)) continue;
    const target = String(c.method === 'chat.postEphemeral' ? c.args.user : c.args.channel);
    out.push({ to: bySlack.has(target) ? { person: bySlack.get(target)! } : { channel: target }, via: `slack ${c.method}`, text: JSON.stringify(c.args) });
  }
  return out;
}
