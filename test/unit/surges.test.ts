import { describe, expect, it } from 'vitest';
import type { Escalation } from '../../bot/domain/escalation.ts';
import { summarise } from '../../bot/domain/surge-summary.ts';
import type { Surge } from '../../bot/domain/surge-types.ts';
import { DEFAULT_PLAYBOOK, incidentKey, playbookActions } from '../../bot/domain/surges.ts';
import { renderSurgeChart } from '../../bot/app/surge-chart.ts';
import { toAdaptiveCard, toSlackMessage, type CardView } from '../../cards/index.ts';
import { surgeCard } from '../../cards/surge/model.ts';
import { surgeDigestCard } from '../../cards/surge-digest/model.ts';
import { surgeSummaryCard } from '../../cards/surge-summary/model.ts';
import { adaptiveCardProblems } from '../helpers/adaptive-cards.ts';
import { blockKitProblems } from '../helpers/block-kit.ts';
import { escalationFixture } from '../helpers/escalation.ts';

const HOSTILE = '${1+1} <!channel> *bold* {{DATE(2017-02-14T06:08:39Z,SHORT)}}';
const stamp = (at: string) => ({ personId: 'cara.comms', name: 'Cara Comms', via: { platform: 'system' as const }, at });

const surge: Surge = {
  id: 'SRG-00001', status: 'active', trigger: 'platform_outage', level: 2, incidentName: `Outage ${HOSTILE}`, incidentRef: 'PO-1', accountIds: [], areas: ['north'],
  expectedDuration: '3 hours', inChargeId: 'insp.jones', activated: stamp('2026-11-25T14:00:00.000Z'),
  levels: [{ level: 1, at: '2026-11-25T14:00:00.000Z', by: 'Cara Comms' }, { level: 2, at: '2026-11-25T14:20:00.000Z', by: 'Insp. Jones' }],
  tasks: [{ id: 'a1', kind: 'action', text: 'Move communication to the other platforms', done: stamp('2026-11-25T14:05:00.000Z') }, { id: 'c1', kind: 'continuity', text: `Tell the contact centre ${HOSTILE}` }],
  called: ['dana.desk', 'pc.north'], answers: { 'dana.desk': { answer: 'from', from: '18:30', at: '2026-11-25T14:02:00.000Z' } }, copies: [],
};
const names = { person: (id: string) => id, area: (id: string) => id, account: (id: string) => id };
const escalations: Escalation[] = [
  escalationFixture({ id: 'ESC-00001', severity: 'medium', category: 'misinformation', summary: HOSTILE, raised: { ...stamp('2026-11-25T14:10:00.000Z') }, surge: { id: 'SRG-00001', level: 1, digest: true } }),
  escalationFixture({ id: 'ESC-00002', severity: 'critical', raised: { ...stamp('2026-11-25T14:40:00.000Z') }, acknowledged: stamp('2026-11-25T14:43:00.000Z'), surge: { id: 'SRG-00001', level: 2, digest: false } }),
  escalationFixture({ id: 'ESC-00003', severity: 'low', raised: { ...stamp('2026-11-25T13:00:00.000Z') } }),
];

describe('the playbook', () => {
  it('pre-selects actions by trigger and level', () => {
    expect(playbookActions(DEFAULT_PLAYBOOK, 'platform_outage', 1)).toEqual(['extend_desk_cover', 'move_to_other_platforms', 'update_force_website']);
    expect(playbookActions(DEFAULT_PLAYBOOK, 'planned_event', 2)).toEqual(['extend_desk_cover', 'call_surge_rota']);
  });

  it('knows one incident by its reference, or its name', () => {
    expect(incidentKey({ incidentRef: ' MI-1 ', incidentName: 'x' })).toBe('mi-1');
    expect(incidentKey({ incidentRef: '', incidentName: 'Operation  Castle' })).toBe('operation castle');
  });
});

describe('the stand-down summary', () => {
  const sum = summarise({ ...surge, status: 'stood_down' }, escalations, '2026-11-25T14:50:00.000Z');

  it('counts only the surge’s escalations, by severity, category and quarter hour, with the level changes', () => {
    expect(sum).toMatchObject({ minutes: 50, peakLevel: 2, raised: 2, acknowledged: 1, ackMedianMinutes: 3, ackWorstMinutes: 3, responders: ['dana.desk'] });
    expect(sum.bySeverity).toEqual({ critical: 1, high: 0, medium: 1, low: 0 });
    expect(sum.buckets.bySeverity.medium).toEqual([1, 0, 0, 0]);
    expect(sum.buckets.bySeverity.critical).toEqual([0, 0, 1, 0]);
    expect(sum.buckets.levels).toEqual([{ bucket: 0, level: 1 }, { bucket: 1, level: 2 }]);
    expect([sum.actionsDone, sum.actionsNotDone]).toEqual([['Move communication to the other platforms'], [`Tell the contact centre ${HOSTILE}`]]);
  });

  it('starts its buckets on the quarter hour, whatever minute the surge began', () => {
    const late = summarise({ ...surge, status: 'stood_down', activated: stamp('2026-11-25T21:07:00.000Z'), levels: [{ level: 1, at: '2026-11-25T21:07:00.000Z', by: 'x' }] },
      [escalationFixture({ id: 'ESC-00009', severity: 'high', raised: { ...stamp('2026-11-25T21:14:00.000Z') }, surge: { id: 'SRG-00001', level: 1, digest: false } })], '2026-11-25T21:40:00.000Z');
    expect(late.buckets.starts).toEqual(['2026-11-25T21:00:00.000Z', '2026-11-25T21:15:00.000Z', '2026-11-25T21:30:00.000Z']);
    expect(late.buckets.bySeverity.high).toEqual([1, 0, 0]);
    expect(late.minutes).toBe(33);
  });

  it('renders a chart PNG laid out for a card’s width, at twice that for sharp screens and at that for inside a Teams card', async () => {
    const data = { title: 'Test', labels: ['14:00', '14:15', '14:30', '14:45'], bySeverity: sum.buckets.bySeverity, levels: sum.buckets.levels };
    const { png, sha256 } = await renderSurgeChart(data);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([960, 540]);
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    const small = await renderSurgeChart(data, 1);
    expect([small.png.readUInt32BE(16), small.png.readUInt32BE(20)]).toEqual([480, 270]);
    // Small enough to travel inside a Teams card as base64 with room for the summary's text.
    expect(Math.ceil(small.png.length / 3) * 4).toBeLessThan(20 * 1024);
  });
});

describe('surge cards render the same model on both platforms, within limits, with user text as data', () => {
  const sum = summarise({ ...surge, status: 'stood_down' }, escalations, '2026-11-25T14:50:00.000Z');
  const views: Array<[string, CardView]> = [
    ['surge alert', { kind: 'checklist', model: surgeCard(surge, names, '2026-11-25T14:30:00.000Z') }],
    ['digest', { kind: 'record-list', model: surgeDigestCard(surge, escalations.slice(0, 1), { newest: 5, from: 'medium' }) }],
    ['summary', { kind: 'case', model: surgeSummaryCard({ ...surge, status: 'stood_down', standDown: { ...stamp('2026-11-25T14:50:00.000Z'), debrief: HOSTILE } }, sum, names, { sha256: 'a'.repeat(64), url: `https://bluedesk.example/surge-charts/${'a'.repeat(64)}.png` }) }],
    ['summary, no picture anywhere', { kind: 'case', model: surgeSummaryCard({ ...surge, status: 'stood_down', standDown: { ...stamp('2026-11-25T14:50:00.000Z'), debrief: HOSTILE } }, sum, names, { sha256: 'a'.repeat(64) }) }],
  ];
  it.each(views)('%s', (_n, view) => {
    const card = toAdaptiveCard(view);
    expect(adaptiveCardProblems(card)).toEqual([]);
    if (view.kind !== 'dialog-form') expect(blockKitProblems(toSlackMessage(view), 'message')).toEqual([]);
    expect(JSON.stringify(card)).toContain('${1+1}');
  });

  it('shows the rota tally, the continuity steps, and the level history on the alert', () => {
    const model = surgeCard(surge, names, '2026-11-25T14:30:00.000Z');
    expect(model.groups.map((g) => g.title)).toEqual(['Surge rota: 1 coming, 1 not answered', 'Actions', 'Continuity plan']);
    expect(model.facts.find((f) => f.label === 'Level')!.value).toMatch(/^2; changed: level 2 at 14:20 GMT \(Insp. Jones\)$/);
    expect(model.actions.map((a) => a.verb)).toEqual(['surge.available_now', 'surge.available_from', 'surge.unavailable', 'surge.level', 'surge.stand_down']);
  });
});
