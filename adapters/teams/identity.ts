import type { Activity } from 'botbuilder';
import type { PlatformIdentity } from '../../bot/domain/people.ts';

/** The Teams user behind an activity: AAD object id + tenant (from.id differs per bot). */
export function teamsIdentity(activity: Activity): PlatformIdentity {
  const channelData = (activity.channelData ?? {}) as { tenant?: { id?: string } };
  return {
    platform: 'teams',
    aadObjectId: activity.from?.aadObjectId ?? '',
    tenantId: channelData.tenant?.id ?? activity.conversation?.tenantId ?? '',
    ...(activity.from?.name ? { name: activity.from.name } : {}),
  };
}

/** A conversation id without the `;messageid=` thread suffix: the channel or chat itself. */
export function baseConversationId(id: string): string {
  return id.split(';')[0]!;
}

/**
 * The text of a message with the bot's own @mention taken out (Teams puts
 * `<at>Bluedesk</at>` in channel messages). Reads only fields the edge
 * schema validated; a message with no text is an empty command.
 */
export function commandText(activity: Activity): string {
  let text = typeof activity.text === 'string' ? activity.text : '';
  for (const e of activity.entities ?? []) {
    const m = e as { type: string; mentioned?: { id?: string }; text?: string };
    if (m.type.toLowerCase() === 'mention' && m.mentioned?.id === activity.recipient?.id && m.text) text = text.replace(m.text, '');
  }
  return text.trim();
}
