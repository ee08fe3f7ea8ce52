import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../bot/domain/clock.ts';
import { slackUser, teamsUser, TEAMS_COMMS_CHANNEL, TEAMS_ESCALATION_CHANNEL, withRecords } from '../helpers/config.ts';
import { ackInSlack, clickInSlack, clickInTeams, closeInSlack, decideInSlack, raiseInTeams, slashInSlack, submitModal } from '../helpers/flows.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { requestInSlack } from '../helpers/account-flows.ts';

const HOUR = 3_600_000;

/**
 * Closed escalations leave hot state for the append-only archive a day after
 * closing, so what each change rewrites does not grow with history; they
 * are still read by id, come back when reopened, and go for good under the
 * retention schedule.
 */
describe('the archive of closed escalations', () => {
  let h: Harness;
  const clock = new ManualClock(new Date('2026-11-25T14:00:00Z'));
  const state = async () => ({ escalations: await h.stored('escalations') as Record<string, { status: string }> });
  const raiseAndClose = async (summary: string) => {
    const id = await raiseInTeams(h, teamsUser('north'), { summary });
    await ackInSlack(h, slackUser('desk'), id);
    await decideInSlack(h, slackUser('desk'), id, 'no_further_action', { reason: 'Nothing to do' });
    await closeInSlack(h, slackUser('desk'), id, 'Done');
    await h.bot.idle();
    return id;
  };
  let first: string;
  let open: string;

  beforeAll(async () => {
    h = await startHarness({ clock, config: withRecords(), installIn: [TEAMS_ESCALATION_CHANNEL] });
    first = await raiseAndClose('The first one');
    for (let i = 0; i < 5; i++) await raiseAndClose(`Another ${i}`);
    open = await raiseInTeams(h, teamsUser('north'), { summary: 'Still open' });
    await h.bot.idle();
  }, 60_000);
  afterAll(async () => h?.stop());

  it('keeps closed escalations in hot state for a day, then moves them to the archive, leaving open work', async () => {
    clock.set(new Date(clock.now().getTime() + 2 * HOUR));
    await h.bot.tick();
    expect(Object.keys((await state()).escalations)).toHaveLength(7);
    clock.set(new Date(clock.now().getTime() + 23 * HOUR));
    await h.bot.tick();
    expect(Object.keys((await state()).escalations)).toEqual([open]);
    const lines = await h.archived();
    expect(lines).toHaveLength(6);
    expect(lines).toContain(first);
  });

  it('still shows an archived escalation’s card and timeline by id, across a restart', async () => {
    await h.restart();
    const timeline = JSON.stringify(await slashInSlack(h, slackUser('desk'), '/escalation', first));
    expect(timeline).toContain(`${first} timeline`);
    expect(timeline).toContain('The first one');
  });

  it('brings an archived escalation back into hot state when it is reopened', async () => {
    const reopen = await (await clickInSlack(h, slackUser('jones'), 'escalation.reopen', first)).modal();
    await submitModal(h, slackUser('jones'), reopen, { reason: 'New replies to the post' });
    await h.bot.idle();
    // Reopened, it is back in hot state (acknowledged: it keeps its owner).
    expect((await state()).escalations[first]?.status).toBe('acknowledged');
    expect(JSON.stringify(await slashInSlack(h, slackUser('jones'), '/escalations'))).toContain(first);
  });

  it('removes an archived escalation from the archive when the retention schedule disposes of it', async () => {
    const second = (await h.archived()).find((id) => id !== first)!;
    clock.set(new Date(clock.now().getTime() + 31 * 24 * HOUR));
    await h.bot.tick();
    const disposed = (await h.decisions()).filter((r) => r.action === 'records.disposed').flatMap((r) => (r.details as { subjects: string[] }).subjects);
    expect(disposed).toContain(second);
    expect(await h.archived()).not.toContain(second);
    expect(JSON.stringify(await slashInSlack(h, slackUser('desk'), '/escalation', second))).toContain(`There is no escalation ${second}`);
  });
});

/**
 * Decided account requests (rejected, or approved and in the register) leave
 * hot state the same way a day after the decision; one still waiting stays,
 * and a late click on an archived request is answered from the archive.
 */
describe('the archive of decided account requests', () => {
  let h: Harness;
  const clock = new ManualClock(new Date('2026-11-25T09:00:00Z'));
  const requests = async () => Object.keys(await h.stored('accountRequests')).sort();

  beforeAll(async () => {
    h = await startHarness({ clock, config: withRecords(), installIn: [TEAMS_COMMS_CHANNEL] });
  }, 60_000);
  afterAll(async () => h?.stop());

  it('moves decided requests to the archive a day after the decision, leaving those still waiting, across a restart', async () => {
    const approved = (await requestInSlack(h, slackUser('north'), { account: { handle: '@TestPolNorth' } })).id!;
    await clickInSlack(h, slackUser('comms'), 'account.approve', approved);
    await clickInSlack(h, slackUser('sec'), 'account.approve', approved);
    const rejected = (await requestInSlack(h, slackUser('north'), { account: { handle: '@TestPolSouth', area: 'south' } })).id!;
    const reject = await (await clickInSlack(h, slackUser('comms'), 'account.reject', rejected)).modal();
    await submitModal(h, slackUser('comms'), reject, { reason: 'We already have an account for the south' });
    const waiting = (await requestInSlack(h, slackUser('north'), { account: { handle: '@TestPolEast' } })).id!;
    await h.bot.idle();
    expect(await requests()).toEqual([approved, rejected, waiting].sort());

    clock.set(new Date(clock.now().getTime() + 2 * HOUR));
    await h.bot.tick();
    expect(await requests()).toHaveLength(3);
    clock.set(new Date(clock.now().getTime() + 23 * HOUR));
    await h.bot.tick();
    expect(await requests()).toEqual([waiting]);
    expect(await h.archived('account-request')).toEqual([approved, rejected].sort());
    // Decided before, the decisions are still the log's: nothing was recorded by moving them.
    const log = await h.decisions();
    expect(log.filter((r) => r.subject?.id === rejected).map((r) => r.action)).toEqual(['account.requested', 'account.rejected']);

    await h.restart();
    // A late press of Approve on the rejected request's card: read from the archive, it has nothing left to decide.
    const late = JSON.stringify(await clickInTeams(h, teamsUser('comms'), TEAMS_COMMS_CHANNEL, 'account.approve', { subjectId: rejected }));
    expect(late).toContain(`${rejected} is rejected: there is nothing to decide`);
    expect(await requests()).toEqual([waiting]);
    expect(await h.verify()).toMatchObject({ ok: true });
  }, 60_000);
});
