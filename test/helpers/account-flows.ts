import { eventually } from '../fakes/http.ts';
import type { SlackUser } from '../fakes/slack-requests.ts';
import { slackUser, type UserKey } from './config.ts';
import { clickInSlack, slashInSlack, submitModal } from './flows.ts';
import type { Harness } from './harness.ts';

export const ACCOUNT = { accountType: 'engagement', platform: 'X', displayName: 'Test Police North', handle: '@TestPolNorth', area: 'north' };
export const PURPOSE = { purpose: 'Neighbourhood news and appeals', audience: 'North residents', verificationPlan: 'Apply for government verification' };
export const PEOPLE = { owner: 'pc.north', admins: 'dana.desk', businessEmail: 'north.social@test.police.uk' };
export const SECURITY = { twoFactor: 'sms', loginAlerts: 'yes', credentials: 'yes', smmp: 'yes', thirdPartyApps: 'Canva: designing appeal posters', reviewDate: '2027-11-25' };

/** `/account request` through the Slack modal; returns the request id, or the inline errors of the first step that had some. */
export async function requestInSlack(h: Harness, user: SlackUser = slackUser('north'), over: Record<string, Record<string, string>> = {}): Promise<{ id?: string; errors?: Record<string, string> }> {
  const before = h.slack.of('views.open').length;
  await slashInSlack(h, user, '/account', 'request');
  let view = await eventually(() => h.slack.of('views.open')[before]?.args.view as any, 3000, 'modal');
  for (const values of [{ ...ACCOUNT, ...over.account }, { ...PURPOSE, ...over.purpose }, { ...PEOPLE, ...over.people }, { ...SECURITY, ...over.security }]) {
    const ack = await submitModal(h, user, view, values);
    if (ack.response_action === 'errors') return { errors: ack.errors as Record<string, string> };
    view = ack.view;
  }
  return { id: JSON.stringify(view.blocks).match(/REQ-\d{5}/)?.[0] ?? '' };
}

/** A request approved by both stages and set up by its owner, all in Slack: returns the account id. */
export async function activeAccountInSlack(h: Harness, over: Record<string, Record<string, string>> = {}, owner: UserKey = 'north'): Promise<string> {
  const { id } = await requestInSlack(h, slackUser('north'), over);
  await clickInSlack(h, slackUser('comms'), 'account.approve', id!);
  await h.bot.idle();
  await clickInSlack(h, slackUser('sec'), 'account.approve', id!);
  await h.bot.idle();
  const accountId = await eventually(async () => (await h.decisions()).find((r) => r.action === 'account.created' && (r.details as { requestId?: string }).requestId === id)?.subject?.id, 3000, 'account');
  const setup = await (await clickInSlack(h, slackUser(owner), 'account.setup', accountId)).modal();
  await submitModal(h, slackUser(owner), setup, { createdWithBusinessEmail: 'yes', twoFactorOn: 'yes', loginAlertsOn: 'yes', inSmmp: 'yes', verification: 'granted' });
  return accountId;
}
