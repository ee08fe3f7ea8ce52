import type { PlatformIdentity } from '../../bot/domain/people.ts';

/** The Slack user behind a payload: team (workspace) + user, with the Grid enterprise when present. */
export function slackIdentity(userId: string | undefined, teamId: string | undefined | null, enterpriseId?: string | null, name?: string): PlatformIdentity {
  return {
    platform: 'slack',
    userId: userId ?? '',
    teamId: teamId ?? '',
    ...(enterpriseId ? { enterpriseId } : {}),
    ...(name ? { name } : {}),
  };
}
