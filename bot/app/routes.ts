import type { RecordListModel } from '../../cards/record-list/model.ts';
import type { ForceConfig } from '../config/schema.ts';
import type { RouteTarget } from '../config/schema-operations.ts';
import type { Directory } from '../domain/people.ts';
import { ROLE_LABELS } from '../domain/roles.ts';
import type { Logger } from '../log.ts';
import type { Destinations } from './destinations.ts';
import { targetName, type ChannelGateway, type ChannelTarget } from './gateway.ts';

/** One configured route (a routing rule, a ladder tier, an approver list, the fallback) and its places. */
export interface RouteLine {
  route: string;
  places: Array<{ place: string; reachable: boolean; reason?: string }>;
  /** Route-level problems in words: a channel group only on a platform that is off, a role nobody holds. */
  problems: string[];
}

/**
 * Checks every place the force config routes to, on the platforms as they
 * are now: at start-up (warnings in the log) and on demand (`/routes`).
 */
export class RouteReport {
  constructor(
    private readonly deps: {
      config: ForceConfig;
      destinations: Destinations;
      directory: Directory;
      gateway: (platform: string) => ChannelGateway | undefined;
    },
  ) {}

  /** Every route in the config, with its targets. */
  routes(): Array<{ route: string; targets: RouteTarget[] }> {
    const { routing, sla, accounts, delivery, channels } = this.deps.config;
    return [
      ...(routing?.rules ?? []).map((r) => ({ route: `routing rule '${r.name}'`, targets: r.targets })),
      ...(routing ? [{ route: 'default route', targets: routing.default.targets }] : [{ route: 'default route', targets: channels.escalations ? [{ channel: 'escalations' }] : [] }]),
      ...(routing?.outOfHours ? [{ route: 'out-of-hours route', targets: routing.outOfHours.targets }] : []),
      ...(sla?.ladder ?? []).map((t, i) => ({ route: `SLA tier ${i + 1} '${t.name}'`, targets: t.targets })),
      ...(accounts ? [{ route: 'account approvals (comms)', targets: accounts.approvers.comms }, { route: 'account approvals (infosec)', targets: accounts.approvers.infosec }] : []),
      ...(delivery.fallback.targets.length ? [{ route: 'delivery fallback', targets: delivery.fallback.targets }] : []),
    ];
  }

  async check(): Promise<RouteLine[]> {
    const cache = new Map<string, Promise<{ ok: boolean; reason?: string }>>();
    const reach = (t: ChannelTarget) => {
      const key = JSON.stringify(t);
      if (!cache.has(key)) {
        const gw = this.deps.gateway(t.platform);
        cache.set(key, gw ? gw.reachable(t) : Promise.resolve({ ok: false, reason: `${t.platform === 'slack' ? 'Slack' : 'Teams'} is off` }));
      }
      return cache.get(key)!;
    };
    return Promise.all(this.routes().map(async ({ route, targets }) => {
      const problems = targets.flatMap((t) => this.problems(t));
      const places = await Promise.all(this.deps.destinations.resolve(targets, '').map(async (t) => {
        const r = await reach(t);
        return { place: `${targetName(t)} (${t.platform === 'slack' ? 'Slack' : 'Teams'})`, reachable: r.ok, ...(r.reason ? { reason: r.reason } : {}) };
      }));
      return { route, places, problems };
    }));
  }

  /** `/routes`: each route, its places and whether each is reachable now. */
  async card(): Promise<RecordListModel> {
    const lines = await this.check();
    return {
      title: 'Routes and places',
      subtitle: 'Where each route sends alerts and cards, and whether Bluedesk can reach each place now.',
      items: lines.map((l) => ({
        heading: `${l.route}: ${l.places.filter((p) => p.reachable).length} of ${l.places.length} reachable`,
        lines: [...l.problems.map((p) => `⚠️ ${p}`), ...l.places.map((p) => (p.reachable ? `✅ ${p.place}` : `❌ ${p.place}: ${p.reason ?? 'unreachable'}`))],
      })),
      empty: 'The force config has no routes.',
    };
  }

  private problems(t: RouteTarget): string[] {
    if ('role' in t) return this.deps.directory.withRole(t.role).length ? [] : [`nobody holds the role ${ROLE_LABELS[t.role]}`];
    const group = this.deps.config.channels[t.channel];
    if (!group) return [];
    const on = (p: string) => !!this.deps.gateway(p);
    if (group.slack.length && !group.teams.length && !on('slack')) return [`routing group '${t.channel}' has only Slack channels, and Slack is off`];
    if (group.teams.length && !group.slack.length && !on('teams')) return [`routing group '${t.channel}' has only Teams channels, and Teams is off`];
    return [];
  }
}

/**
 * Logs what the route check found: one warning that sums it up (so a fresh
 * install, where no channel has the bot yet, is not a screenful of
 * warnings), then a line for each route-level problem and each place that
 * cannot be reached now, once each, with the routes it affects. Places on a
 * platform that is off are summed up in one line per platform.
 */
export async function logUnreachableRoutes(report: RouteReport, log: Logger): Promise<void> {
  const lines = await report.check();
  const places = new Map<string, { reason: string; routes: string[] }>();
  const off = new Map<string, Set<string>>();
  const problems = new Map<string, string[]>();
  for (const line of lines) {
    for (const p of line.problems) problems.set(p, [...(problems.get(p) ?? []), line.route]);
    if (!line.places.length && !line.problems.length) log.warn(`route check: ${line.route} resolves to no place on a connected platform`, { route: line.route });
    for (const p of line.places.filter((x) => !x.reachable)) {
      const platformOff = / is off$/.exec(p.reason ?? '');
      if (platformOff) {
        off.set(p.reason!, (off.get(p.reason!) ?? new Set()).add(p.place));
        continue;
      }
      const seen = places.get(p.place) ?? { reason: p.reason ?? 'unreachable', routes: [] };
      seen.routes.push(line.route);
      places.set(p.place, seen);
    }
  }
  const unused = [...off.values()].reduce((n, s) => n + s.size, 0);
  if (!problems.size && !places.size && !unused) return;
  log.warn(`route check: ${[
    ...(problems.size ? [`${problems.size} route problem(s)`] : []),
    ...(places.size ? [`${places.size} place(s) Bluedesk cannot reach yet (messages for them wait until it can)`] : []),
    ...(unused ? [`${unused} place(s) on a platform that is off`] : []),
  ].join(', ')}; each is logged below, and /routes shows them in chat`);
  for (const [problem, routes] of problems) log.info(`route check: ${problem}`, { routes });
  for (const [place, { reason, routes }] of places) log.info(`route check: cannot reach ${place}: ${reason}`, { routes });
  for (const [reason, set] of off) log.info(`route check: ${reason}, so ${set.size} configured place${set.size === 1 ? '' : 's'} on it will not be used`);
}
