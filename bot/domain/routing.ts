import type { RouteTarget, RoutingConfig } from '../config/schema-operations.ts';
import type { Category, Severity } from './escalation.ts';

/** Where an escalation was sent and why, kept on the escalation and shown on its card. */
export interface RouteDecision {
  targets: RouteTarget[];
  /** Names of the rules that matched. */
  rules: string[];
  /** No rule matched: the default route was used. Flagged so the rules can be fixed. */
  defaulted: boolean;
  /** Raised while the desk was not staffed: the out-of-hours route was added. */
  outOfHours: boolean;
}

/** Without routing in the config, everything goes to the "escalations" channel group. */
export const DEFAULT_ROUTING: RoutingConfig = { rules: [], default: { targets: [{ channel: 'escalations' }] } };

/**
 * Routes on category × area × severity. Every matching rule contributes its
 * targets; none matching falls back to the default route. Out of hours, the
 * out-of-hours targets are added. Targets are de-duplicated, order kept.
 */
export function route(e: { category: Category; area: string; severity: Severity }, routing: RoutingConfig, outOfHours: boolean): RouteDecision {
  const matched = routing.rules.filter((r) =>
    (!r.match.categories || r.match.categories.includes(e.category)) &&
    (!r.match.areas || r.match.areas.includes(e.area)) &&
    (!r.match.severities || r.match.severities.includes(e.severity)));
  const targets = matched.length ? matched.flatMap((r) => r.targets) : [...routing.default.targets];
  if (outOfHours && routing.outOfHours) targets.push(...routing.outOfHours.targets);
  return { targets: dedupe(targets), rules: matched.map((r) => r.name), defaulted: matched.length === 0, outOfHours };
}

function dedupe(targets: RouteTarget[]): RouteTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = 'channel' in t ? `channel:${t.channel}` : `role:${t.role}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
