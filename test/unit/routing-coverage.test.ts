import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG, loadForceConfig } from '../../bot/config/load-config.ts';
import { isStaffed, unstaffedPeriods } from '../../bot/domain/coverage.ts';
import { CATEGORY_SEVERITY, type Category } from '../../bot/domain/escalation.ts';
import { captureEvidence, normaliseUrl } from '../../bot/domain/evidence.ts';
import { DEFAULT_ROUTING, route } from '../../bot/domain/routing.ts';
import { ukLocalToIso } from '../../dialogs/dates.ts';

const cfg = loadForceConfig(EXAMPLE_CONFIG);
const routing = cfg.routing!;
const key = (t: { channel: string } | { role: string }) => ('channel' in t ? `#${t.channel}` : `@${t.role}`);

describe('routing rules, as a table (the example config)', () => {
  const cases: Array<[Category, string, boolean, string[], string[], boolean]> = [
    // category, area, out of hours → targets, rules, defaulted
    ['threat_to_life', 'south', false, ['#escalations', '#control-room', '@command', '#comms-oncall'], ['Threat to life'], false],
    ['threat_to_life', 'north', false, ['#escalations', '#control-room', '@command', '#comms-oncall'], ['Threat to life'], false],
    ['intelligence', 'city', false, ['#intelligence', '@investigations_intelligence'], ['Intelligence'], false],
    ['intelligence', 'north', false, ['#intelligence', '@investigations_intelligence', '#north-neighbourhood'], ['Intelligence', 'North neighbourhood'], false],
    ['complaint', 'south', false, ['@professional_standards'], ['Complaints to PSD'], false],
    ['safeguarding', 'north', false, ['#escalations', '#control-room'], ['Harm and calls for service'], false],
    ['other', 'north', false, ['#north-neighbourhood'], ['North neighbourhood'], false],
    ['other', 'south', false, ['#escalations'], [], true],
    ['other', 'south', true, ['#escalations', '#control-room'], [], true],
    ['misinformation', 'city', true, ['#escalations', '#comms-oncall', '#control-room'], ['Reputation'], false],
    ['threat_to_life', 'city', true, ['#escalations', '#control-room', '@command', '#comms-oncall'], ['Threat to life'], false],
  ];
  it.each(cases)('%s in %s (out of hours: %s)', (category, area, ooh, targets, rules, defaulted) => {
    const r = route({ category, area, severity: CATEGORY_SEVERITY[category] }, routing, ooh);
    expect({ targets: r.targets.map(key), rules: r.rules, defaulted: r.defaulted, outOfHours: r.outOfHours }).toEqual({ targets, rules, defaulted, outOfHours: ooh });
  });

  it('every category reaches at least one target, in and out of hours', () => {
    for (const category of Object.keys(CATEGORY_SEVERITY) as Category[]) {
      for (const area of cfg.areas.map((a) => a.id)) {
        for (const ooh of [false, true]) expect(route({ category, area, severity: CATEGORY_SEVERITY[category] }, routing, ooh).targets.length).toBeGreaterThan(0);
      }
    }
  });

  it('without routing, everything goes to the escalations channel group, flagged as default', () => {
    expect(route({ category: 'other', area: 'x', severity: 'low' }, DEFAULT_ROUTING, false)).toEqual({ targets: [{ channel: 'escalations' }], rules: [], defaulted: true, outOfHours: false });
  });
});

describe('coverage hours (UK local time)', () => {
  const cov = cfg.coverage!;
  it.each([
    ['2026-11-25T06:59:00Z', false], // Wed 06:59 GMT
    ['2026-11-25T07:00:00Z', true],
    ['2026-11-25T21:59:00Z', true],
    ['2026-11-25T22:00:00Z', false],
    ['2026-11-28T07:30:00Z', false], // Sat 07:30
    ['2026-11-28T08:00:00Z', true],
    ['2026-07-01T06:30:00Z', true], // Wed 07:30 BST
    ['2026-07-01T21:30:00Z', false], // Wed 22:30 BST
  ])('%s staffed: %s', (at, staffed) => {
    expect(isStaffed(new Date(at), cov)).toBe(staffed);
  });

  it('lists the unstaffed periods of the week', () => {
    expect(unstaffedPeriods(cov)).toEqual([
      'Monday: 00:00–07:00, 22:00–24:00', 'Tuesday: 00:00–07:00, 22:00–24:00', 'Wednesday: 00:00–07:00, 22:00–24:00',
      'Thursday: 00:00–07:00, 22:00–24:00', 'Friday: 00:00–07:00, 22:00–24:00', 'Saturday: 00:00–08:00, 20:00–24:00', 'Sunday: 00:00–08:00, 20:00–24:00',
    ]);
    expect(unstaffedPeriods({ staffed: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '24:00' }] })).toEqual([]);
    expect(isStaffed(new Date(), undefined)).toBe(true);
  });
});

describe('evidence', () => {
  it('normalises links: host case, fragments, tracking parameters, trailing slashes', () => {
    expect(normaliseUrl('https://X.com/Someone/status/123/?s=20&t=abc&utm_source=tw#reply')).toBe('https://x.com/Someone/status/123');
    expect(normaliseUrl('https://www.facebook.com/post/1?fbclid=zzz&id=7')).toBe('https://www.facebook.com/post/1?id=7');
  });

  it('hashes the captured text and keeps attachments by hash and platform id only', () => {
    const e = captureEvidence('https://x.com/a/1', '2026-11-25T10:00:00.000Z', 'I will hurt PC Smith', [{ platform: 'slack', fileId: 'F123', sha256: 'ab'.repeat(32) }]);
    expect(e).toEqual({
      normalisedUrl: 'https://x.com/a/1', capturedAt: '2026-11-25T10:00:00.000Z',
      textSha256: createHash('sha256').update('I will hurt PC Smith', 'utf8').digest('hex'),
      attachments: [{ platform: 'slack', fileId: 'F123', sha256: 'ab'.repeat(32) }],
    });
    expect(JSON.stringify(e)).not.toContain('PC Smith');
  });
});

describe('UK local review times', () => {
  it('converts UK local to UTC across GMT and BST, and rejects nonsense', () => {
    expect(ukLocalToIso('2026-07-01 14:00')).toBe('2026-07-01T13:00:00.000Z');
    expect(ukLocalToIso('2026-11-26 09:00')).toBe('2026-11-26T09:00:00.000Z');
    expect(ukLocalToIso('2026-02-30 09:00')).toBeUndefined();
    expect(ukLocalToIso('tomorrow')).toBeUndefined();
  });
});

it('the example config file parses as JSON with a $schema for editors', () => {
  expect(JSON.parse(readFileSync(EXAMPLE_CONFIG, 'utf8')).$schema).toBe('./force-config.schema.json');
});
