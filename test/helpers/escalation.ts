import type { AlertNames } from '../../cards/escalation-alert/model.ts';
import type { Escalation } from '../../bot/domain/escalation.ts';

/** A stored escalation for card and domain unit tests. */
export function escalationFixture(over: Partial<Escalation> = {}): Escalation {
  return {
    id: 'ESC-00042', contentUrl: 'https://x.com/a/status/1', platform: 'X', category: 'threat_to_life', summary: 'summary', area: 'north',
    authorIsVictimOrWitness: 'no', severity: 'critical', status: 'open', copies: [], tier: 0, notes: [], decisions: [],
    route: { targets: [{ channel: 'escalations' }], rules: [], defaulted: true, outOfHours: false },
    evidence: { normalisedUrl: 'https://x.com/a/status/1', capturedAt: '2026-07-01T13:03:00.000Z', attachments: [] },
    raised: { personId: 'd', name: 'Dana Desk', via: { platform: 'teams', aadObjectId: 'a', tenantId: 't' }, at: '2026-07-01T13:03:00Z' },
    ...over,
  };
}

/** Names for alert cards in unit tests. */
export const testNames: AlertNames = {
  area: (id) => ({ north: 'North Division' })[id] ?? id,
  delivery: (e) => ({ delivered: e.copies.map((c) => c.name ?? c.platform), pending: [], failed: [] }),
  tier: (t) => `Tier ${t}`,
};
