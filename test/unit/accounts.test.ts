import { beforeEach, describe, expect, it } from 'vitest';
import { addMonths } from '../../bot/domain/accounts.ts';
import { handleProblem, suggestHandle } from '../../bot/domain/naming.ts';
import { readRecords } from '../../data/jsonl-decision-log.ts';
import { actor, details, testAccountDomain } from '../helpers/accounts.ts';

const requester = actor('req', ['neighbourhood']);
const comms = actor('comms', ['corporate_comms']);
const comms2 = actor('comms2', ['corporate_comms']);
const infosec = actor('sec', ['information_security']);
const both = actor('both', ['corporate_comms', 'information_security']);
const owner = actor('owner', ['neighbourhood']);
const desk = actor('desk', ['digital_desk']);
const RULE = { pattern: 'ExamplePol[A-Z][A-Za-z0-9]{1,10}', description: 'ExamplePol followed by the team or area, e.g. ExamplePolNorth', prefix: 'ExamplePol' };

describe('naming rule', () => {
  it.each([
    ['ExamplePolNorth', undefined],
    ['@ExamplePolNorth', undefined],
    ['northcops', 'The handle must follow the force’s naming rule: ExamplePol followed by the team or area, e.g. ExamplePolNorth. For example: @ExamplePolNorthCops'],
    ['ExamplePol', 'The handle must follow the force’s naming rule: ExamplePol followed by the team or area, e.g. ExamplePolNorth. For example: @ExamplePolNorthCops'],
  ])('%s', (handle, problem) => {
    expect(handleProblem(RULE, handle, 'north cops')).toBe(problem);
  });
  it('suggests from words', () => {
    expect(suggestHandle(RULE, 'city centre')).toBe('ExamplePolCityCentre');
    // The suggestion never breaks the rule's length, and never cuts a word part-way ("@ExamplePolNeighbourh"):
    // it abbreviates as forces do, or suggests nothing.
    const short = { ...RULE, pattern: 'ExamplePol[A-Z][A-Za-z0-9]{1,9}' };
    expect(suggestHandle(short, 'Example Police Neighbourhood')).toBe('ExamplePolNbhd');
    expect(suggestHandle(short, 'North Neighbourhood')).toBe('ExamplePolNorthNbhd');
    expect(suggestHandle(short, 'Huddersfield')).toBe('ExamplePolHddrsfld');
    expect(suggestHandle(short, 'neighbourhoodpolicingteam')).toBe('');
    expect(handleProblem(short, 'x', 'neighbourhoodpolicingteam')).toBe('The handle must follow the force’s naming rule: ExamplePol followed by the team or area, e.g. ExamplePolNorth.');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-11-25', 12)).toBe('2027-11-25');
  });
});

describe('account requests: two-stage approval with separation of duties', () => {
  let d: Awaited<ReturnType<typeof testAccountDomain>>;
  beforeEach(async () => {
    d = await testAccountDomain();
  });
  const log = async () => (await readRecords(d.logPath)).map((r) => `${r.action}:${r.outcome}`);

  it('comms then infosec approve; the stages cannot be skipped or done by the wrong role', async () => {
    const r = await d.requests.submit(requester, details());
    expect((await d.requests.approve(infosec, r.id)).kind).toBe('refused'); // infosec cannot approve the comms stage
    expect((await d.requests.approve(comms, r.id)).kind).toBe('done');
    expect((await d.requests.approve(comms2, r.id)).kind).toBe('refused'); // comms cannot approve the infosec stage
    const done = await d.requests.approve(infosec, r.id);
    expect(done.kind === 'done' && done.record.status).toBe('approved');
    expect((await d.requests.approve(infosec, r.id)).kind).toBe('conflict');
    expect(await log()).toEqual(['account.requested:done', 'account.approve_comms:refused', 'account.approved_comms:done', 'account.approve_infosec:refused', 'account.approved_infosec:done']);
  });

  it('the requester cannot approve, and one person cannot approve both stages (recorded)', async () => {
    const own = await d.requests.submit(comms, details());
    expect(await d.requests.approve(comms, own.id)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('your own request') });
    const r = await d.requests.submit(requester, details());
    expect((await d.requests.approve(both, r.id)).kind).toBe('done');
    expect(await d.requests.approve(both, r.id)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('both stages') });
    expect((await log()).filter((l) => l.endsWith(':refused'))).toHaveLength(2);
  });

  it('reject needs a reason; request changes needs a comment; the requester amends and resubmits', async () => {
    const r = await d.requests.submit(requester, details());
    expect((await d.requests.reject(comms, r.id, ' ')).kind).toBe('invalid');
    expect((await d.requests.requestChanges(comms, r.id, '')).kind).toBe('invalid');
    const changes = await d.requests.requestChanges(comms, r.id, 'Use the area in the handle');
    expect(changes.kind === 'done' && changes.record.status).toBe('changes_requested');
    expect((await d.requests.resubmit(desk, r.id, details())).kind).toBe('refused');
    const again = await d.requests.resubmit(requester, r.id, details({ handle: 'ExamplePolNorthTeam' }));
    expect(again.kind === 'done' && [again.record.status, again.record.details.handle]).toEqual(['awaiting_comms', 'ExamplePolNorthTeam']);
    const rejected = await d.requests.reject(comms, r.id, 'Duplicate of an existing account');
    expect(rejected.kind === 'done' && rejected.record.status).toBe('rejected');
    expect((await d.requests.approve(comms, r.id)).kind).toBe('conflict');
  });
});

describe('the register: set-up, review, closure', () => {
  let d: Awaited<ReturnType<typeof testAccountDomain>>;
  beforeEach(async () => {
    d = await testAccountDomain();
  });

  async function registered() {
    const r = await d.requests.submit(requester, details());
    await d.requests.approve(comms, r.id);
    const done = await d.requests.approve(infosec, r.id);
    if (done.kind !== 'done') throw new Error('not approved');
    return d.accounts.register(infosec, done.record);
  }
  const CHECK = { createdWithBusinessEmail: true, twoFactorOn: true, loginAlertsOn: true, inSmmp: true, verification: 'applied' as const };

  it('only the owner or an admin completes set-up, and only with every security item done', async () => {
    const a = await registered();
    expect(a.state).toBe('awaiting_setup');
    expect((await d.accounts.completeSetup(desk, a.id, CHECK)).kind).toBe('refused');
    expect(await d.accounts.completeSetup(owner, a.id, { ...CHECK, twoFactorOn: false })).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('two-factor') });
    const live = await d.accounts.completeSetup(actor('admin', ['neighbourhood']), a.id, CHECK);
    expect(live.kind === 'done' && [live.record.state, live.record.verified]).toEqual(['active', 'applied']);
    expect((await d.accounts.completeSetup(owner, a.id, CHECK)).kind).toBe('conflict');
  });

  it('closure: asked by the owner, approved by someone else in comms, closed on its effective date', async () => {
    const a = await registered();
    await d.accounts.completeSetup(owner, a.id, CHECK);
    expect((await d.accounts.requestClosure(desk, a.id, { reason: 'x', content: 'archive', effectiveDate: '2026-12-01' })).kind).toBe('refused');
    expect((await d.accounts.requestClosure(owner, a.id, { reason: 'Team merged', content: 'archive', effectiveDate: '2026-12-01' })).kind).toBe('done');
    expect((await d.accounts.requestClosure(owner, a.id, { reason: 'again', content: 'archive', effectiveDate: '2026-12-01' })).kind).toBe('conflict');
    expect((await d.accounts.decideClosure(owner, a.id, true)).kind).toBe('refused');
    expect((await d.accounts.decideClosure(comms, a.id, false)).kind).toBe('invalid');
    const approved = await d.accounts.decideClosure(comms, a.id, true);
    expect(approved.kind === 'done' && approved.record.state).toBe('closing');
    expect(await d.accounts.closeDue({ person: { id: 'bluedesk', name: 'Bluedesk', email: '', roles: [], areas: [] }, via: { platform: 'system' } })).toEqual([]);
    d.clock.set(new Date('2026-12-01T00:30:00Z'));
    const closed = await d.accounts.closeDue({ person: { id: 'bluedesk', name: 'Bluedesk', email: '', roles: [], areas: [] }, via: { platform: 'system' } });
    expect(closed.map((c) => c.state)).toEqual(['closed']);
    expect(d.accounts.byHandle('ExamplePolNorth')).toBeUndefined();
  });

  it('review: the owner confirms, pushing the next review twelve months on', async () => {
    const a = await registered();
    expect((await d.accounts.confirmReview(desk, a.id)).kind).toBe('refused');
    const r = await d.accounts.confirmReview(owner, a.id);
    expect(r.kind === 'done' && r.record.reviewDate).toBe('2027-11-25');
  });
});

describe('impersonation cases', () => {
  it('moves through reported (with the platform reference) to taken down; only comms and infosec update it', async () => {
    const d = await testAccountDomain();
    const c = await d.impersonations.report(desk, { platform: 'X', target: '@ExamplePo1North', imitates: 'ExamplePolNorth', notes: 'Copying our posts' });
    expect((await d.impersonations.move(desk, c.id, 'reported', 'X-1')).kind).toBe('refused');
    expect((await d.impersonations.move(comms, c.id, 'reported', '')).kind).toBe('invalid');
    expect((await d.impersonations.move(comms, c.id, 'reported', 'X-CASE-991')).kind).toBe('done');
    expect((await d.impersonations.move(infosec, c.id, 'taken_down')).kind).toBe('done');
    expect((await d.impersonations.move(infosec, c.id, 'declined')).kind).toBe('conflict');
    expect(d.impersonations.get(c.id)).toMatchObject({ status: 'taken_down', platformRef: 'X-CASE-991' });
  });
});
