import type { Role } from './roles.ts';

/** The chat platforms (and the machine API) a request can come from. */
export type Platform = 'teams' | 'slack';

/** A platform's own key for a user: Teams AAD object id + tenant, Slack user id + team, or an authenticated intake source. */
export type PlatformIdentity =
  | { platform: 'teams'; aadObjectId: string; tenantId: string; name?: string }
  | { platform: 'slack'; userId: string; teamId: string; enterpriseId?: string; name?: string }
  | { platform: 'api'; sourceId: string; name?: string }
  | { platform: 'system'; name?: string }
  /** Someone at the server's command line (`npm run export -- --as <id>`): the operating-system account and machine, as the log records them. */
  | { platform: 'cli'; osUser: string; host: string; name?: string };

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
  /** Their line manager's directory id: a manager may start a leaver or mover case for their reports. */
  managerId?: string;
}

/** A person's roles as they stand now: the config's, less any a leaver case suspended or removed. */
export type RoleOverlay = (person: Person) => Role[];

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
    case 'cli': return `cli:${id.osUser}@${id.host}`;
  }
}

/** Why an identity could not be resolved to a person. */
export type UnresolvedReason = 'tenant-not-allowed' | 'unknown-person' | 'missing-identity';

/** Resolves platform identities to people, honouring the allowed tenants and workspaces. */
export class Directory {
  private readonly byKey = new Map<string, Person>();
  private readonly byId = new Map<string, Person>();
  private overlay: RoleOverlay = (p) => p.roles;

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

  /**
   * Applies role changes kept in state over the config: every lookup then
   * answers with the roles a person holds now, so policy, routing and views
   * all see a suspension the moment it is written.
   */
  applyOverlay(overlay: RoleOverlay): void {
    this.overlay = overlay;
  }

  /** A person as configured, before any suspension or removal. */
  configured(personId: string): Person | undefined {
    return this.byId.get(personId);
  }

  private effective(p: Person): Person {
    const roles = this.overlay(p);
    return roles.length === p.roles.length ? p : { ...p, roles };
  }

  /** Finds the person behind a platform identity, or says why not. */
  resolve(id: PlatformIdentity): { ok: true; person: Person } | { ok: false; reason: UnresolvedReason } {
    if (id.platform === 'api' || id.platform === 'system' || id.platform === 'cli') return { ok: false, reason: 'missing-identity' };
    if (id.platform === 'teams') {
      if (!id.aadObjectId || !id.tenantId) return { ok: false, reason: 'missing-identity' };
      const tenant = id.tenantId.toLowerCase();
      if (!this.allowedTeamsTenants.some((t) => t.toLowerCase() === tenant)) return { ok: false, reason: 'tenant-not-allowed' };
      const p = this.byKey.get(`teams:${tenant}/${id.aadObjectId.toLowerCase()}`);
      return p ? { ok: true, person: this.effective(p) } : { ok: false, reason: 'unknown-person' };
    }
    if (!id.userId || !id.teamId) return { ok: false, reason: 'missing-identity' };
    if (!this.allowedSlackTeams.includes(id.teamId)) return { ok: false, reason: 'tenant-not-allowed' };
    const p = this.byKey.get(`slack:${id.teamId}/${id.userId}`);
    return p ? { ok: true, person: this.effective(p) } : { ok: false, reason: 'unknown-person' };
  }

  /** Looks a person up by their config id, with the roles they hold now. */
  get(personId: string): Person | undefined {
    const p = this.byId.get(personId);
    return p ? this.effective(p) : undefined;
  }

  /** Everyone, in config order, with the roles they hold now. */
  all(): Person[] {
    return [...this.byId.values()].map((p) => this.effective(p));
  }

  /** People a typed name, id or email names: an exact id or email, else every name containing it. */
  match(text: string): Person[] {
    const wanted = text.trim().toLowerCase();
    if (!wanted) return [];
    const all = this.all();
    const exact = all.filter((p) => p.id === wanted || p.email.toLowerCase() === wanted);
    return exact.length ? exact : all.filter((p) => p.name.toLowerCase().includes(wanted));
  }

  /** The person behind a Slack user id in an allowed workspace, if any (for platform events about a user). */
  bySlackUser(teamId: string, userId: string): Person | undefined {
    const p = this.byKey.get(`slack:${teamId}/${userId}`);
    return p ? this.effective(p) : undefined;
  }

  /** The person behind a Teams AAD object id in a tenant, if any. */
  byTeamsUser(tenantId: string, aadObjectId: string): Person | undefined {
    const p = this.byKey.get(`teams:${tenantId.toLowerCase()}/${aadObjectId.toLowerCase()}`);
    return p ? this.effective(p) : undefined;
  }

  /**
   * Whether someone may be called in or messaged now: not a person whose
   * every role a leaver case has taken (suspended by a PSD-related case, or
   * gone on their effective date). Every recipient Bluedesk chooses passes
   * through here, so a suspension applies wherever people are picked.
   */
  reachable(personId: string): Person | undefined {
    const p = this.byId.get(personId);
    if (!p) return undefined;
    const now = this.effective(p);
    return p.roles.length > 0 && now.roles.length === 0 ? undefined : now;
  }

  /** The people to send to, from a list of ids: unknown ids, repeats and anyone `reachable` leaves out are dropped. */
  recipients(personIds: Iterable<string>): Person[] {
    return [...new Set(personIds)].flatMap((id) => this.reachable(id) ?? []);
  }

  /** People holding a role; for area-scoped roles only those covering the area (or force-wide). */
  withRole(role: Role, area?: string): Person[] {
    return this.all().filter((p) => p.roles.includes(role) && (role !== 'neighbourhood' || !area || p.areas.length === 0 || p.areas.includes(area)));
  }
}
