import type { Role } from './roles.ts';

/** The chat platforms (and the machine API) a request can come from. */
export type Platform = 'teams' | 'slack';

/** A platform's own key for a user: Teams AAD object id + tenant, Slack user id + team, or an authenticated intake source. */
export type PlatformIdentity =
  | { platform: 'teams'; aadObjectId: string; tenantId: string; name?: string }
  | { platform: 'slack'; userId: string; teamId: string; enterpriseId?: string; name?: string }
  | { platform: 'api'; sourceId: string; name?: string }
  | { platform: 'system'; name?: string };

/** A member of staff as listed in the force config. */
export interface Person {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  /** Areas for area-scoped roles (neighbourhood teams). Empty means force-wide. */
  areas: string[];
  teams?: { aadObjectId: string; tenantId: string };
  slack?: { userId: string; teamId: string };
}

/** Who did something: the person, and the platform identity they used. */
export interface Actor {
  person: Person;
  via: PlatformIdentity;
}

/** A short, stable string for an identity, used in the decision log. */
export function identityKey(id: PlatformIdentity): string {
  switch (id.platform) {
    case 'teams': return `teams:${id.tenantId}/${id.aadObjectId}`;
    case 'slack': return `slack:${id.enterpriseId ? `${id.enterpriseId}/` : ''}${id.teamId}/${id.userId}`;
    case 'api': return `api:${id.sourceId}`;
    case 'system': return 'system:bluedesk';
  }
}

/** Why an identity could not be resolved to a person. */
export type UnresolvedReason = 'tenant-not-allowed' | 'unknown-person' | 'missing-identity';

/** Resolves platform identities to people, honouring the allowed tenants and workspaces. */
export class Directory {
  private readonly byKey = new Map<string, Person>();
  private readonly byId = new Map<string, Person>();

  constructor(
    people: readonly Person[],
    private readonly allowedTeamsTenants: readonly string[],
    private readonly allowedSlackTeams: readonly string[],
  ) {
    for (const p of people) {
      this.byId.set(p.id, p);
      if (p.teams) this.byKey.set(`teams:${p.teams.tenantId.toLowerCase()}/${p.teams.aadObjectId.toLowerCase()}`, p);
      if (p.slack) this.byKey.set(`slack:${p.slack.teamId}/${p.slack.userId}`, p);
    }
  }

  /** Finds the person behind a platform identity, or says why not. */
  resolve(id: PlatformIdentity): { ok: true; person: Person } | { ok: false; reason: UnresolvedReason } {
    if (id.platform === 'api' || id.platform === 'system') return { ok: false, reason: 'missing-identity' };
    if (id.platform === 'teams') {
      if (!id.aadObjectId || !id.tenantId) return { ok: false, reason: 'missing-identity' };
      const tenant = id.tenantId.toLowerCase();
      if (!this.allowedTeamsTenants.some((t) => t.toLowerCase() === tenant)) return { ok: false, reason: 'tenant-not-allowed' };
      const p = this.byKey.get(`teams:${tenant}/${id.aadObjectId.toLowerCase()}`);
      return p ? { ok: true, person: p } : { ok: false, reason: 'unknown-person' };
    }
    if (!id.userId || !id.teamId) return { ok: false, reason: 'missing-identity' };
    if (!this.allowedSlackTeams.includes(id.teamId)) return { ok: false, reason: 'tenant-not-allowed' };
    const p = this.byKey.get(`slack:${id.teamId}/${id.userId}`);
    return p ? { ok: true, person: p } : { ok: false, reason: 'unknown-person' };
  }

  /** Looks a person up by their config id. */
  get(personId: string): Person | undefined {
    return this.byId.get(personId);
  }

  /** Everyone, in config order. */
  all(): Person[] {
    return [...this.byId.values()];
  }

  /** People holding a role; for area-scoped roles only those covering the area (or force-wide). */
  withRole(role: Role, area?: string): Person[] {
    return this.all().filter((p) => p.roles.includes(role) && (role !== 'neighbourhood' || !area || p.areas.length === 0 || p.areas.includes(area)));
  }
}
