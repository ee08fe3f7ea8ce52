import { randomUUID } from 'node:crypto';

/** A Teams user as activities carry them. */
export interface TeamsUser {
  aadObjectId: string;
  tenantId: string;
  name?: string;
}

export const BOT = { id: '28:bluedesk-app-id', name: 'Bluedesk' };

function from(user: TeamsUser) {
  return { id: `29:${user.aadObjectId}`, name: user.name ?? 'User', aadObjectId: user.aadObjectId };
}

/** A message in a personal (1:1) chat, as Teams sends it. */
export function personalMessage(serviceUrl: string, user: TeamsUser, text: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'message',
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: from(user),
    conversation: { conversationType: 'personal', tenantId: user.tenantId, id: `a:personal-${user.aadObjectId}` },
    recipient: BOT,
    textFormat: 'plain',
    locale: 'en-GB',
    text,
    entities: [{ type: 'clientInfo', locale: 'en-GB', country: 'GB', platform: 'Web', timezone: 'Europe/London' }],
    channelData: { tenant: { id: user.tenantId } },
    ...extra,
  };
}

/** A channel message that @mentions the bot (the only kind a bot receives in channels). */
export function channelMention(serviceUrl: string, user: TeamsUser, team: { id: string; channelId: string }, text: string) {
  const mention = `<at>${BOT.name}</at>`;
  return {
    ...personalMessage(serviceUrl, user, `${mention} ${text}`),
    conversation: { conversationType: 'channel', isGroup: true, tenantId: user.tenantId, id: `${team.channelId};messageid=${Date.now()}` },
    entities: [{ type: 'mention', text: mention, mentioned: BOT }],
    channelData: { tenant: { id: user.tenantId }, team: { id: team.id, name: 'Digital Desk' }, channel: { id: team.channelId, name: 'Escalations' } },
  };
}

/** The bot being added to a team: conversationUpdate with the bot in membersAdded. */
export function botAddedToTeam(serviceUrl: string, tenantId: string, team: { id: string; channelId: string; name?: string }) {
  return {
    type: 'conversationUpdate',
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: { id: '29:installer', aadObjectId: 'installer-aad' },
    conversation: { conversationType: 'channel', isGroup: true, tenantId, id: team.channelId },
    recipient: BOT,
    membersAdded: [{ id: BOT.id }],
    channelData: { tenant: { id: tenantId }, team: { id: team.id, name: team.name ?? 'Digital Desk' }, channel: { id: team.channelId, name: 'General' }, eventType: 'teamMemberAdded' },
  };
}

/** The bot installed in a person's personal chat: conversationUpdate with the bot in membersAdded. */
export function botAddedToPersonal(serviceUrl: string, user: TeamsUser) {
  const { text: _t, textFormat: _f, entities: _e, ...rest } = personalMessage(serviceUrl, user, '');
  return { ...rest, type: 'conversationUpdate', membersAdded: [{ id: BOT.id }, { id: `29:${user.aadObjectId}`, aadObjectId: user.aadObjectId }] };
}

/** The bot being removed from a team. */
export function botRemovedFromTeam(serviceUrl: string, tenantId: string, team: { id: string; channelId: string }) {
  const added = botAddedToTeam(serviceUrl, tenantId, team);
  const { membersAdded: _m, ...rest } = added;
  return { ...rest, membersRemoved: [{ id: BOT.id }], channelData: { ...added.channelData, eventType: 'teamMemberRemoved' } };
}

/** An Action.Execute click: invoke `adaptiveCard/action` with verb and data. */
export function cardAction(serviceUrl: string, user: TeamsUser, conversationId: string, verb: string | undefined, data: Record<string, unknown>, replyToId = 'act-1') {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: from(user),
    conversation: { conversationType: conversationId.startsWith('a:') ? 'personal' : 'channel', tenantId: user.tenantId, id: conversationId },
    recipient: BOT,
    replyToId,
    value: { action: { type: 'Action.Execute', id: randomUUID(), ...(verb ? { verb } : {}), data }, trigger: 'manual' },
    channelData: { tenant: { id: user.tenantId }, source: { name: 'message' } },
  };
}

/** Posts an activity to the bot's /api/messages. */
export async function postActivity(botUrl: string, activity: unknown, authorization?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: typeof activity === 'string' ? activity : JSON.stringify(activity),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body };
}
