import { eventually } from '../fakes/http.ts';
import { buttonClick, modalValues, postToSlack, slashCommand, viewPayload, type SlackUser } from '../fakes/slack-requests.ts';
import { cardAction, personalMessage, postActivity, type TeamsUser } from '../fakes/teams-activities.ts';
import { SIGNING_SECRET, type Harness } from './harness.ts';

/** Choice fields, answered in Slack as selects. */
export const CHOICES = ['platform', 'category', 'area', 'authorIsVictimOrWitness', 'authorAlreadyEngaged', 'decisionType', 'assignee'];

export interface RaiseFields {
  category?: string;
  area?: string;
  summary?: string;
  victim?: 'yes' | 'no' | 'unknown';
  engaged?: 'yes' | 'no';
  /** Runs just before the last step is submitted (e.g. to arm a connector failure for the alert post). */
  beforeLastStep?: () => void;
}

/**
 * Sends a message in the user's personal chat and returns the form card the
 * bot replied with, its session id, and a function to submit a step of it.
 */
export async function openTeamsForm(h: Harness, user: TeamsUser, text: string, extra: Record<string, unknown> = {}) {
  const conv = `a:personal-${user.aadObjectId}`;
  await postActivity(h.url, personalMessage(h.connector.url, user, text, extra));
  const form = h.connector.calls.filter((c) => c.conversationId === conv && c.method === 'POST').at(-1)!.body.attachments![0]!.content as any;
  const sessionId: string = form.actions[0].data.sessionId;
  const submit = async (stepId: string, values: Record<string, unknown>) => (await postActivity(h.url, cardAction(h.connector.url, user, conv, 'dialog.submit', { sessionId, stepId, ...values }))).body;
  return { conv, form, sessionId, submit };
}

/** Raises an escalation through the Teams intake dialog, over HTTP, and returns its id. */
export async function raiseInTeams(h: Harness, user: TeamsUser, f: RaiseFields = {}): Promise<string> {
  const { submit } = await openTeamsForm(h, user, 'escalate https://x.com/z/status/5');
  await submit('content', { contentUrl: 'https://x.com/z/status/5', platform: 'X', category: f.category ?? 'intelligence', summary: f.summary ?? 'summary', area: f.area ?? 'north' });
  if (f.victim !== 'yes') f.beforeLastStep?.();
  let done = await submit('author', { authorIsVictimOrWitness: f.victim ?? 'no' });
  if (f.victim === 'yes') {
    f.beforeLastStep?.();
    done = await submit('engagement', { authorAlreadyEngaged: f.engaged ?? 'no' });
  }
  const id = JSON.stringify(done).match(/ESC-\d{5}/)?.[0];
  if (!id) throw new Error(`not raised: ${JSON.stringify(done)}`);
  return id;
}

/** Clicks an alert button in Slack and returns the modal it opened, if any. */
export async function clickInSlack(h: Harness, user: SlackUser, verb: string, id: string, channel = 'C0ESCALATE') {
  const before = h.slack.of('views.open').length;
  const res = await postToSlack(h.url, buttonClick(user, verb, id, channel, '1700000000.000100'), { secret: SIGNING_SECRET });
  if (res.status !== 200) throw new Error(`click answered ${res.status}`);
  return { modal: () => eventually(() => h.slack.of('views.open')[before]?.args.view as any, 3000, 'views.open') };
}

/** Submits a Slack modal step and returns Slack's ack body (response_action …). */
export async function submitModal(h: Harness, user: SlackUser, view: { callback_id: string; private_metadata: string }, fields: Record<string, string>): Promise<any> {
  const res = await postToSlack(h.url, viewPayload('view_submission', user, view, modalValues(fields, CHOICES)), { secret: SIGNING_SECRET });
  return res.json();
}

/** Runs a slash command and returns its (ephemeral) answer. */
export async function slashInSlack(h: Harness, user: SlackUser, command: string, text = ''): Promise<any> {
  const res = await postToSlack(h.url, slashCommand(user, command, text), { secret: SIGNING_SECRET });
  return res.text ? res.json() : undefined;
}

/** Clicks an alert button in Teams (Action.Execute) and returns the invoke response body. */
export async function clickInTeams(h: Harness, user: TeamsUser, conversationId: string, verb: string, data: Record<string, unknown>): Promise<any> {
  return (await postActivity(h.url, cardAction(h.connector.url, user, conversationId, verb, data))).body;
}

/** Acknowledges from the Slack copy of the alert. */
export async function ackInSlack(h: Harness, user: SlackUser, id: string): Promise<void> {
  await clickInSlack(h, user, 'escalation.acknowledge', id);
  await h.bot.idle();
}

/** Records a decision through the Slack modal; NDM answers are needed for high and critical severity. */
export async function decideInSlack(h: Harness, user: SlackUser, id: string, decisionType: string, answers: { reason?: string; ndm?: Record<string, string>; incidentRef?: string }): Promise<any> {
  const modal = await (await clickInSlack(h, user, 'escalation.decide', id)).modal();
  let step = await submitModal(h, user, modal, { decisionType });
  if (answers.incidentRef) step = await submitModal(h, user, step.view, { incidentRef: answers.incidentRef });
  return submitModal(h, user, step.view, answers.ndm ?? { reason: answers.reason ?? 'reason' });
}

/** Closes through the Slack modal. */
export async function closeInSlack(h: Harness, user: SlackUser, id: string, reason = 'Dealt with'): Promise<any> {
  const modal = await (await clickInSlack(h, user, 'escalation.close', id)).modal();
  return submitModal(h, user, modal, { reason });
}
