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
