import { Checkpoint, CheckpointedLog } from '../../bot/domain/checkpoint.ts';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../bot/domain/clock.ts';
import type { DecisionInput } from '../../bot/domain/decisions.ts';
import type { EscalationInput } from '../../bot/domain/escalation.ts';
import { Escalations, SYSTEM_ACTOR } from '../../bot/domain/escalations.ts';
import type { Actor } from '../../bot/domain/people.ts';
import type { Role } from '../../bot/domain/roles.ts';
import { emptyState } from '../../bot/state.ts';
import { JsonlDecisionLog, readRecords } from '../../data/jsonl-decision-log.ts';
import { JournaledStateStore } from '../../data/journal-store.ts';
import { person } from '../helpers/people.ts';

const actor = (id: string, roles: Role[], areas: string[] = []): Actor => ({ person: person(id, roles, areas), via: { platform: 'teams', aadObjectId: `aad-${id}`, tenantId: 't' } });
const desk = actor('desk', ['digital_desk']);
const jones = actor('jones', ['command']);
const infoman = actor('im', ['information_management']);
const north = actor('north', ['neighbourhood'], ['north']);
const NDM = { information: 'i', threatRisk: 't', powersPolicy: 'p', options: 'o', action: 'a', reviewAt: '2026-11-26T09:00:00.000Z' };
const route = { targets: [{ channel: 'escalations' }], rules: [], defaulted: true, outOfHours: false };
const input = (over: Partial<EscalationInput> = {}): EscalationInput => ({
  contentUrl: 'https://x.com/a/1', platform: 'X', category: 'misinformation', summary: 's', area: 'south', authorIsVictimOrWitness: 'no', ...over,
});

describe('escalation transitions: allowed and refused', () => {
  let esc: Escalations;
  let logPath: string;
  const records = async () => (await readRecords(logPath)).map((r) => `${r.action}:${r.outcome}`);

  beforeEach(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'esc-'));
    logPath = join(dir, 'decisions.jsonl');
    const clock = new ManualClock(new Date('2026-11-25T10:00:00Z'));
    esc = new Escalations(await JournaledStateStore.open(join(dir, 'state.json'), emptyState), new CheckpointedLog(await JsonlDecisionLog.open(logPath, clock), new Checkpoint()), clock);
  });

  async function raise(over: Partial<EscalationInput> = {}) {
    const r = await esc.raise(desk, input(over), route);
    if (r.kind !== 'raised') throw new Error('not raised');
    return r.escalation.id;
  }

  it('acknowledge: one winner, who becomes owner; the second is told who, and nothing is recorded for them', async () => {
    const id = await raise();
    const [a, b] = await Promise.all([esc.acknowledge(jones, id), esc.acknowledge(desk, id)]);
    expect([a.kind, b.kind]).toEqual(['done', 'conflict']);
    expect(b.kind === 'conflict' && b.reason).toBe(`jones acknowledged ${id} first.`);
    expect(esc.get(id)!.owner?.personId).toBe('jones');
    expect(await records()).toEqual(['escalation.raised:done', 'escalation.acknowledged:done']);
  });

  it('refusals by role and by area are recorded', async () => {
    const id = await raise({ area: 'south' });
    expect((await esc.acknowledge(infoman, id)).kind).toBe('refused');
    expect((await esc.acknowledge(north, id)).kind).toBe('refused');
    const inNorth = await raise({ area: 'north' });
    expect((await esc.acknowledge(north, inNorth)).kind).toBe('done');
    expect(await records()).toEqual(['escalation.raised:done', 'escalation.acknowledge:refused', 'escalation.acknowledge:refused', 'escalation.raised:done', 'escalation.acknowledged:done']);
  });

  it('assign: only desk leads, only to someone who may act there, not to the current owner', async () => {
    const id = await raise({ area: 'south' });
    expect((await esc.assign(jones, id, north.person)).kind).toBe('invalid');
    expect((await esc.assign(north, id, jones.person)).kind).toBe('refused');
    expect((await esc.assign(desk, id, jones.person)).kind).toBe('done');
    expect((await esc.assign(desk, id, jones.person)).kind).toBe('conflict');
    expect(esc.get(id)!.owner?.personId).toBe('jones');
  });

  it('notes: empty and oversized are refused as bad input and not recorded', async () => {
    const id = await raise();
    expect((await esc.addNote(infoman, id, '  ')).kind).toBe('invalid');
    expect((await esc.addNote(infoman, id, 'x'.repeat(2001)))).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('2000') });
    expect((await esc.addNote(infoman, id, 'Seen elsewhere too')).kind).toBe('done');
    expect(await records()).toEqual(['escalation.raised:done', 'escalation.noted:done']);
  });

  it.each<[string, Partial<EscalationInput>, DecisionInput, string]>([
    ['critical without NDM', { category: 'threat_to_life' }, { type: 'no_further_action', reason: 'fine' }, 'invalid'],
    ['critical with NDM', { category: 'threat_to_life' }, { type: 'referral.contact_management', incidentRef: 'INC-1', rationale: NDM }, 'done'],
    ['medium without reason', {}, { type: 'no_further_action' }, 'invalid'],
    ['medium with reason', {}, { type: 'no_further_action', reason: 'satire' }, 'done'],
    ['moderation without guideline', {}, { type: 'moderation.hide', reason: 'r' }, 'invalid'],
    ['moderation with guideline', {}, { type: 'moderation.hide', reason: 'r', guidelineReason: 'No abuse of individuals' }, 'done'],
    ['call for service without incident', {}, { type: 'referral.contact_management', reason: 'r' }, 'invalid'],
    ['reply to a victim who has not engaged', { authorIsVictimOrWitness: 'yes', authorAlreadyEngaged: false }, { type: 'engagement.reply_public', reason: 'r' }, 'refused'],
    ['message a victim who has not engaged (even without a reason)', { authorIsVictimOrWitness: 'yes', authorAlreadyEngaged: false }, { type: 'engagement.message_private' }, 'refused'],
    ['reply to a victim who has engaged here', { authorIsVictimOrWitness: 'yes', authorAlreadyEngaged: true }, { type: 'engagement.reply_public', reason: 'r' }, 'done'],
    ['refer a victim who has not engaged', { authorIsVictimOrWitness: 'yes', authorAlreadyEngaged: false }, { type: 'referral.contact_management', incidentRef: 'INC-2', reason: 'r' }, 'done'],
  ])('decision: %s → %s', async (_n, over, decision, expected) => {
    const id = await raise(over);
    const outcome = await esc.decide(jones, id, decision);
    expect(outcome.kind).toBe(expected);
    const log = await records();
    expect(log.at(-1)).toBe(expected === 'done' ? 'escalation.decided:done' : expected === 'refused' ? 'escalation.decide:refused' : 'escalation.raised:done');
    if (expected === 'refused') expect(outcome.kind === 'refused' && outcome.reason).toContain('contact management');
  });

  it('escalates up the ladder and stops at the top', async () => {
    const id = await raise();
    const name = (t: number) => `T${t}`;
    expect((await esc.escalateTier(SYSTEM_ACTOR, id, 2, name, () => [])).kind).toBe('done');
    expect((await esc.escalateTier(desk, id, 2, name, () => [])).kind).toBe('done');
    expect(await esc.escalateTier(desk, id, 2, name, () => [])).toMatchObject({ kind: 'conflict', reason: expect.stringContaining('top of the escalation ladder (T2)') });
    expect((await esc.escalateTier(infoman, id, 2, name, () => [])).kind).toBe('refused');
  });

  it('close needs a decision; reopen needs a reason and a closed escalation', async () => {
    const id = await raise();
    await esc.acknowledge(jones, id);
    expect((await esc.close(jones, id, 'done')).kind).toBe('invalid');
    await esc.decide(jones, id, { type: 'no_further_action', reason: 'satire' });
    expect((await esc.reopen(desk, id, 'why')).kind).toBe('conflict');
    expect((await esc.close(jones, id, 'Satire account, no action')).kind).toBe('done');
    expect((await esc.close(jones, id)).kind).toBe('conflict');
    expect((await esc.decide(jones, id, { type: 'no_further_action', reason: 'x' })).kind).toBe('conflict');
    expect((await esc.reopen(desk, id, ' ')).kind).toBe('invalid');
    expect((await esc.reopen(north, id, 'new info')).kind).toBe('refused');
    const reopened = await esc.reopen(desk, id, 'New replies are threatening');
    expect(reopened.kind === 'done' && reopened.escalation.status).toBe('acknowledged');
  });

  it('unknown escalations are not found', async () => {
    expect(await esc.acknowledge(jones, 'ESC-99999')).toEqual({ kind: 'not-found' });
  });
});
