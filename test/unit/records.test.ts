import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../bot/app/records/export-formats.ts';
import { subjectAccess, THIRD_PARTY } from '../../bot/app/records/subject-access.ts';
import type { Appeal } from '../../bot/domain/appeal-types.ts';
import { dailyDue } from '../../bot/domain/clock.ts';
import type { DecisionRecord } from '../../bot/domain/decision-log.ts';
import { classOf, planRetention } from '../../bot/domain/retention.ts';
import { appealCard } from '../../cards/appeal/model.ts';
import { toAdaptiveCard, toSlackMessage } from '../../cards/index.ts';
import { adaptiveCardProblems } from '../helpers/adaptive-cards.ts';
import { blockKitProblems } from '../helpers/block-kit.ts';
import { person } from '../helpers/people.ts';

const stamp = (personId: string, at: string) => ({ personId, name: personId.toUpperCase(), via: { platform: 'system' as const }, at });
const rec = (seq: number, over: Partial<DecisionRecord>): DecisionRecord => ({ v: 2, seq, at: '2026-01-01T00:00:00.000Z', prev: '', hash: '', action: 'escalation.noted', outcome: 'done', actor: { personId: 'dana', name: 'Dana Desk', identity: 'slack:T/U1' }, ...over });
const cfg = {
  setBy: 'test', runAtUtc: '03:00', default: 'general',
  classes: {
    escalation: { description: 'e', subjects: ['escalation' as const], actions: [], afterDays: 30, onExpiry: 'dispose' as const },
    access: { description: 'a', subjects: [], actions: ['records.consulted', 'access.'], afterDays: 10, onExpiry: 'dispose' as const },
    general: { description: 'g', subjects: ['surge' as const], actions: [], afterDays: 30, onExpiry: 'review' as const },
  },
};

describe('retention planning', () => {
  const state = {
    escalations: { 'ESC-00001': { status: 'closed', closed: { at: '2026-01-10T00:00:00.000Z' } }, 'ESC-00002': { status: 'open' }, 'ESC-00003': { status: 'closed', closed: { at: '2026-01-10T00:00:00.000Z' } } },
    surges: { 'SRG-00001': { status: 'stood_down', standDown: { at: '2026-01-05T00:00:00.000Z' } } },
  };
  const records = [
    rec(1, { subject: { type: 'escalation', id: 'ESC-00001' } }), rec(2, { subject: { type: 'escalation', id: 'ESC-00002' } }),
    rec(3, { subject: { type: 'escalation', id: 'ESC-00003' } }), rec(4, { action: 'records.consulted' }), rec(5, { action: 'access.refused', outcome: 'refused' }),
    rec(6, { subject: { type: 'surge', id: 'SRG-00001' } }), rec(7, { action: 'records.disposed', subject: { type: 'disposal', id: 'DSP-00001' } }),
    rec(8, { subject: { type: 'escalation', id: 'ESC-00001' }, redacted: { fields: {}, by: 7 } }),
  ];

  it('classes a record by its subject, else by its action, else the default', () => {
    expect(records.map((r) => classOf(r, cfg))).toEqual(['escalation', 'escalation', 'escalation', 'access', 'access', 'general', 'general', 'escalation']);
  });

  it('starts a subject’s clock when it is finished; holds keep it; review classes are listed once; disposal reports are kept for good', () => {
    const now = new Date('2026-02-10T04:00:00Z');
    const plan = planRetention({ state, records, cfg, held: new Set(['escalation:ESC-00003']), now });
    expect(plan.subjects.map((s) => [s.id, s.seqs])).toEqual([['ESC-00001', [1]]]);
    expect(plan.loose.map((l) => l.seq)).toEqual([4, 5]);
    expect(plan.held).toEqual([{ type: 'escalation', id: 'ESC-00003' }]);
    expect(plan.review.map((r) => r.ref)).toEqual(['SRG-00001']);
    // A later run does not list the same review again.
    expect(planRetention({ state, records, cfg, held: new Set(), now, lastRunAt: '2026-02-09T03:00:00Z' }).review).toEqual([]);
    // Before the period ends, nothing about a subject is due.
    expect(planRetention({ state, records, cfg, held: new Set(), now: new Date('2026-02-08T00:00:00Z') }).subjects).toEqual([]);
  });

  it('runs a daily job once per day at its time, catching up after downtime', () => {
    expect(dailyDue(new Date('2026-02-10T02:59:00Z'), '03:00', undefined)).toBe(false);
    expect(dailyDue(new Date('2026-02-10T03:00:00Z'), '03:00', '2026-02-09T03:00:10Z')).toBe(true);
    expect(dailyDue(new Date('2026-02-10T15:00:00Z'), '03:00', '2026-02-10T03:00:10Z')).toBe(false);
  });
});

describe('exports', () => {
  it('quotes CSV cells per RFC 4180 and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('-1')).toBe("'-1");
    expect(toCsv([]).split('\r\n')[0]).toMatch(/^seq,at,action/);
  });

  it('subject access keeps the subject and marks every third party it removes', () => {
    const dana = person('dana', ['digital_desk']);
    const north = { ...person('pc.north', ['neighbourhood']), name: 'PC North', email: 'north@x.police.uk' };
    const r = rec(1, { actor: { personId: 'pc.north', name: 'PC North', identity: 'slack:T/U2' }, details: { summary: 'Dana Desk spoke to @someone; call 07700 900123 or north@x.police.uk' } });
    const { entries, redactions } = subjectAccess([r], { kind: 'staff', person: { ...dana, name: 'Dana Desk' } }, [{ ...dana, name: 'Dana Desk' }, north]);
    const text = JSON.stringify(entries);
    expect(text).toContain('Dana Desk');
    for (const gone of ['PC North', 'pc.north', '@someone', '07700 900123', 'north@x.police.uk']) expect(text).not.toContain(gone);
    expect(text).toContain(THIRD_PARTY);
    expect(redactions).toBeGreaterThanOrEqual(5);
  });

  it('subject access finds third parties in any case and on word boundaries only', () => {
    const dana = { ...person('dana', ['digital_desk']), name: 'Dana Desk' };
    const north = { ...person('pc.north', ['neighbourhood']), name: 'PC North', email: 'north@x.police.uk' };
    const r = rec(1, { actor: { personId: 'dana', name: 'Dana Desk', identity: 'slack:T/U1' }, details: { summary: 'DANA DESK asked PC NORTH and pc north; Danaher and PC Northgate are not them' } });
    const { entries } = subjectAccess([r], { kind: 'staff', person: north }, [dana, north]);
    const text = JSON.stringify(entries);
    for (const gone of ['DANA DESK', 'Dana Desk']) expect(text).not.toContain(gone);
    expect(text).toContain('PC NORTH and pc north');
    expect(text).toContain('Danaher and PC Northgate');
  });
});

describe('the appeal card', () => {
  const base: Appeal = {
    id: 'APL-00001', status: 'live', type: 'missing_person', accountId: 'ACC-00001', area: 'north', reviewDate: '2026-12-02', reference: 'MISPER 26/1 <b>x</b>',
    posts: [{ id: '1', url: 'https://x.com/a/status/1', state: 'live' }, { id: '2', url: 'https://x.com/a/status/2', state: 'live' }],
    registered: stamp('cara', '2026-11-25T14:00:00.000Z'), reviews: [], reminders: 0, copies: [],
  };
  const names = { person: (id: string) => id, account: () => 'X @TestPolNorth', area: () => 'North' };
  const closing: Appeal = { ...base, status: 'closing', closing: { ...stamp('jones', '2026-12-03T10:00:00.000Z'), reason: 'Found safe', urgent: true }, posts: [{ ...base.posts[0]!, state: 'removed', done: stamp('north', '2026-12-03T10:05:00.000Z') }, base.posts[1]!] };

  it('renders valid cards on both platforms in every state, with the right buttons', () => {
    for (const a of [base, closing, { ...closing, status: 'finished' as const, finishedAt: '2026-12-03T11:00:00.000Z' }]) {
      const view = { kind: 'checklist' as const, model: appealCard(a, names, '2026-12-02') };
      expect(adaptiveCardProblems(toAdaptiveCard(view))).toEqual([]);
      expect(blockKitProblems(toSlackMessage(view), 'message')).toEqual([]);
    }
    const live = appealCard(base, names, '2026-12-02');
    expect(live.actions.map((x) => x.verb)).toEqual(['appeal.keep', 'appeal.remove', 'appeal.archive', 'appeal.close']);
    expect(live.flags.join(' ')).toContain('review date has come');
    const urgent = appealCard(closing, names, '2026-12-03');
    expect(urgent.heading).toContain('Take down now');
    expect(urgent.groups[0]!.lines.map((l) => l.action?.verb)).toEqual([undefined, 'appeal.post']);
    expect(JSON.stringify(toAdaptiveCard({ kind: 'checklist', model: urgent }))).toContain('MISPER 26/1 <b>x</b>');
  });
});
