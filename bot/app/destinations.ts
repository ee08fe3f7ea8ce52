import type { ForceConfig } from '../config/schema.ts';
import type { RouteTarget } from '../config/schema-operations.ts';
import type { Directory, Person } from '../domain/people.ts';
import { ROLE_LABELS } from '../domain/roles.ts';
import { targetKey, type ChannelTarget } from './gateway.ts';

/**
 * Turns route targets (channel groups and roles) into concrete places on
 * each platform: a channel group's channels, or the direct messages of
 * everyone holding a role (neighbourhood only in the escalation's area).
 */
export class Destinations {
  constructor(
    private readonly channels: ForceConfig['channels'],
    private readonly directory: Directory,
  ) {}

  resolve(targets: RouteTarget[], area: string): ChannelTarget[] {
    const out = new Map<string, ChannelTarget>();
    for (const t of targets) {
      const places = 'channel' in t ? this.channel(t.channel) : this.directory.withRole(t.role, area).flatMap((p) => this.person(p));
      for (const place of places) out.set(targetKey(place), place);
    }
    return [...out.values()];
  }

  /** A person's direct messages on every platform they are known on. */
  person(p: Person): ChannelTarget[] {
    return [
      ...(p.teams ? [{ platform: 'teams' as const, user: { aadObjectId: p.teams.aadObjectId, tenantId: p.teams.tenantId }, name: p.name }] : []),
      ...(p.slack ? [{ platform: 'slack' as const, channelId: p.slack.userId, name: p.name }] : []),
    ];
  }

  /** A target in words, for cards: the channel group's name, or the role's label. */
  describe(t: RouteTarget): string {
    if ('role' in t) return ROLE_LABELS[t.role];
    const group = this.channels[t.channel];
    const names = [...(group?.teams ?? []), ...(group?.slack ?? [])].map((c) => c.name).filter(Boolean);
    return names.length ? names.join(' / ') : t.channel;
  }

  private channel(name: string): ChannelTarget[] {
    const group = this.channels[name];
    if (!group) return [];
    return [
      ...group.teams.map((t) => ({ platform: 'teams' as const, ...t })),
      ...group.slack.map((t) => ({ platform: 'slack' as const, ...t })),
    ];
  }
}
