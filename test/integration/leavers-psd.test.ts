import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../fakes/http.ts';
import { personalMessage, postActivity } from '../fakes/teams-activities.ts';
import { activeAccountInSlack } from '../helpers/account-flows.ts';
import { slackUser, teamsUser, TEAMS_COMMS_CHANNEL, TEAMS_ESCALATION_CHANNEL, USERS, type UserKey } from '../helpers/config.ts';
import { ackInSlack, clickInSlack, clickInTeams, raiseInTeams, slashInSlack } from '../helpers/flows.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { leaverInTeams, outgoing } from '../helpers/leavers.ts';

/** PSD's reason: only PSD and information security may ever see it. */
const SECRET = 'Gross misconduct investigation OP-KESTREL-19';
/** Words that would tell someone a case is PSD-related. Role names in refusals ("Professional standards") are not among them. */
const MARKERS = [SECRET, 'PSD-related', 'PSD review', 'Restricted', 'sensitive'];
const AUTHORISED: UserKey[] = ['psd', 'sec'];

const conv = (k: UserKey) => `a:personal-${USERS[k].aad}`;
const textOf = (x: unknown) => JSON.stringify(x);
const leaks = (text: string) => MARKERS.filter((m) => text.includes(m));

/**
 * One PSD-related leaver, end to end across both platforms: started by PSD in
 * Teams, ticked by the account owner in Slack, finished and closed by
 * information security in Teams. Every payload the bot sends, and every view
 * an unauthorised person can open, is checked for restricted details.
 */
describe('a PSD-related leaver case', () => {
  let h: Harness;
  let ownedByDesk: string;
  let adminOf: string;
  let escalation: string;
  /** What the bot answered each person directly (invoke and command responses). */
  const answers: Array<{ to: UserKey; text: string }> = [];
  const teamsClick = async (k: UserKey, verb: string, subjectId: string) => {
    const body = await clickInTeams(h, teamsUser(k), conv(k), verb, { subjectId });
    answers.push({ to: k, text: textOf(body) });
    return body;
  };
  const slackClick = async (k: UserKey, verb: string, target: string) => {
    await clickInSlack(h, slackUser(k), verb, target, USERS[k].slack);
    await h.bot.idle();
  };
  const slash = async (k: UserKey, command: string, text = '') => {
    const ack = await slashInSlack(h, slackUser(k), command, text);
    answers.push({ to: k, text: textOf(ack) });
    return textOf(ack);
  };
  const leaver = () => h.decisions().then((all) => all.filter((r) => r.subject?.type === 'leaver'));

  beforeAll(async () => {
    h = await startHarness({ installIn: [TEAMS_ESCALATION_CHANNEL, TEAMS_COMMS_CHANNEL] });
    // Everyone has a personal chat with the bot, so each direct message can be told apart by its conversation.
    for (const k of Object.keys(USERS) as UserKey[]) await postActivity(h.url, personalMessage(h.connector.url, teamsUser(k), 'help'));
    adminOf = await activeAccountInSlack(h);
    ownedByDesk = await activeAccountInSlack(h, { account: { handle: '@TestPolDesk', displayName: 'Test Police Desk', area: 'south' }, people: { owner: 'dana.desk', admins: '' } }, 'desk');
    escalation = await raiseInTeams(h, teamsUser('north'), { area: 'north' });
    await ackInSlack(h, slackUser('desk'), escalation);
    await h.bot.idle();
  }, 60_000);
  afterAll(async () => h?.stop());

  it('is started by PSD in Teams: restricted, due now, and the person’s roles are suspended at once', async () => {
    const last = await leaverInTeams(h, teamsUser('psd'), {
      who: { kind: 'leaver', personId: 'dana.desk', effectiveDate: '2026-11-27', psd: 'yes', psdReason: SECRET },
      accounts: { accountIds: `${adminOf},${ownedByDesk}` },
      devices: { devices: 'Personal iPhone', apps: 'Hootsuite mobile' },
    });
    expect(textOf(last)).toContain('Leaver case LVR-00001 started');
    await h.bot.idle();
    const opened = (await leaver()).find((r) => r.action === 'leaver.opened')!;
    expect(opened.details).toMatchObject({ psd: 'yes', restricted: true, personId: 'dana.desk' });
    // Suspended: Dana can no longer see or act on escalations.
    expect(await slash('desk', '/escalations')).toContain('Not permitted');
    // Her escalation went back to the holders of her role (none left), so to the desk leads, who were told.
    const released = (await h.decisions()).find((r) => r.action === 'escalation.owner_unavailable' && r.subject?.id === escalation)!;
    expect(released.reason).toBe('The owner is no longer available: it needs a new owner.');
    expect((released.details as { to: string[] }).to.sort()).toEqual(['cara.comms', 'insp.jones']);
    expect(outgoing(h).some((o) => 'person' in o.to && o.to.person === 'jones' && o.text.includes(`${escalation} needs a new owner`))).toBe(true);
    // Someone who may not see the case is told what she can do now, and nothing that names or marks the case:
    // a suspension before the effective date would itself say it is PSD-related.
    const forComms = await slash('comms', '/person', 'dana.desk');
    expect(forComms).toContain('Effective roles now');
    expect(forComms).toContain('Their roles have been changed from the configured ones.');
    expect(forComms).not.toMatch(/LVR-|suspend|offboarding|PSD|restricted/i);
    const forPsd = await slash('psd', '/person', 'dana.desk');
    expect(forPsd).toContain('pending offboarding case LVR-00001');
    expect(forPsd).toContain(SECRET);
  });

  it('gives the account owner a task card with only their items and what to do', async () => {
    const north = outgoing(h).filter((o) => 'person' in o.to && o.to.person === 'north' && o.text.includes('LVR-00001'));
    expect(north.length).toBeGreaterThanOrEqual(2); // Teams and Slack
    for (const o of north) {
      expect(o.text).toContain('Remove Dana Desk');
      expect(o.text).toContain('@TestPolNorth');
      expect(o.text).not.toContain('@TestPolDesk');
    }
    const sec = outgoing(h).filter((o) => 'person' in o.to && o.to.person === 'sec' && o.text.includes('LVR-00001'));
    expect(sec.some((o) => o.text.includes(SECRET))).toBe(true);
  });

  it('is ticked by the owner in Slack, and every copy updates in place showing who ticked what', async () => {
    for (const item of ['1', '2', '3', '4', '5']) await slackClick('north', `leaver.tick:${item}`, `LVR-00001:${item}`);
    await eventually(() => h.connector.calls.some((c) => c.method === 'PUT' && c.conversationId === conv('sec') && textOf(c.body).includes('Done by PC North')) || undefined, 5000, 'sec copy updated');
    expect(h.connector.calls.some((c) => c.method === 'PUT' && c.conversationId === conv('psd') && textOf(c.body).includes('Done by PC North'))).toBe(true);
    expect(h.slack.of('chat.update').some((c) => c.args.channel === USERS.north.slack && textOf(c.args).includes('Done by PC North'))).toBe(true);
    // Removing her admin role updated the register.
    expect((await h.decisions()).some((r) => r.action === 'account.admin_removed' && r.subject?.id === adminOf)).toBe(true);
  });

  it('resumes after a restart: the checklist, its copies and the suspension are as they were', async () => {
    await h.restart();
    expect(await slash('desk', '/escalations')).toContain('Not permitted');
    expect(await slash('north', '/leaver', 'LVR-00001')).toContain('5 of 5 of your items done');
  });

  it('refuses, and records, a tick by anyone the item is not assigned to', async () => {
    const before = (await h.decisions()).length;
    const body = await teamsClick('comms', 'leaver.tick', 'LVR-00001:6');
    expect(textOf(body)).toContain('Not permitted');
    await slackClick('north', 'leaver.tick:6', 'LVR-00001:6');
    const after = (await h.decisions()).slice(before);
    expect(after.map((r) => [r.action, r.outcome, r.actor!.personId])).toEqual([['leaver.tick', 'refused', 'cara.comms'], ['leaver.tick', 'refused', 'pc.north']]);
  });

  it('cannot close while an account still has its departing owner; information security transfers it and closes the case in Teams', async () => {
    for (const item of ['6', '7', '8', '9', '10', '12', '13']) await teamsClick('sec', 'leaver.tick', `LVR-00001:${item}`);
    const removeRoles = await teamsClick('sec', 'leaver.tick', 'LVR-00001:14');
    expect(textOf(removeRoles)).toContain('Ticked.');
    expect((await leaver()).some((r) => r.action === 'leaver.completed')).toBe(false);
    // The transfer names a new owner in a form; the register changes with it, and that last tick closes the case.
    const form = await teamsClick('sec', 'leaver.transfer', 'LVR-00001:11');
    const submit = form.value.actions.find((a: any) => a.verb === 'dialog.submit');
    const done = await clickInTeams(h, teamsUser('sec'), conv('sec'), 'dialog.submit', { ...submit.data, newOwnerId: 'cara.comms' });
    answers.push({ to: 'sec', text: textOf(done) });
    expect(textOf(done)).toContain('the case is complete');
    await h.bot.idle();
    const completed = (await leaver()).find((r) => r.action === 'leaver.completed')!;
    expect((completed.details as { items: unknown[] }).items).toHaveLength(14);
    expect((completed.details as { items: Array<{ byName: string }> }).items[0]!.byName).toBe('PC North');
    const changed = (await h.decisions()).find((r) => r.action === 'account.owner_changed' && r.subject?.id === ownedByDesk)!;
    expect(changed.details).toEqual({ from: 'dana.desk', to: 'cara.comms' });
    expect(outgoing(h).some((o) => 'person' in o.to && o.to.person === 'psd' && o.text.includes('Offboarding complete'))).toBe(true);
  });

  it('shows the unauthorised only what they may see: no case for comms, tasks for the owner, no reason anywhere', async () => {
    expect(await slash('comms', '/leaver', 'LVR-00001')).toContain('There is no case LVR-00001 that you can see');
    expect(await slash('comms', '/leavers')).not.toContain('LVR-00001');
    expect(await slash('comms', '/person', 'dana.desk')).not.toContain('LVR-00001');
    expect(await slash('sec', '/person', 'dana.desk')).toContain('Removed on 25 Nov 2026, 14:00 GMT by leaver case LVR-00001: Contact / digital desk.');
    expect(await slash('north', '/leaver', 'LVR-00001')).toContain('Offboarding tasks: Dana Desk');
    await slash('north', '/leavers');
    await slash('comms', '/account', 'TestPolDesk');
    expect(await slash('jones', '/escalation', escalation)).toContain('released it: the owner is no longer available');
  });

  it('leaks nothing restricted to a channel or an unauthorised person, in any payload on either platform', async () => {
    const all = outgoing(h);
    for (const o of all) {
      const who = 'person' in o.to ? o.to.person : `channel ${o.to.channel}`;
      if ('channel' in o.to) {
        expect({ who, via: o.via, found: [...leaks(o.text), ...(o.text.includes('LVR-') ? ['LVR-'] : [])] }).toEqual({ who, via: o.via, found: [] });
      } else if (!AUTHORISED.includes(o.to.person)) {
        expect({ who, via: o.via, found: leaks(o.text) }).toEqual({ who, via: o.via, found: [] });
      }
    }
    for (const a of answers.filter((x) => !AUTHORISED.includes(x.to))) expect({ to: a.to, found: leaks(a.text) }).toEqual({ to: a.to, found: [] });
    for (const c of h.slack.calls.filter((x) => x.method.startsWith('views.'))) expect(leaks(textOf(c.args))).toEqual([]);
    // The person leaving was never sent anything about the case.
    expect(all.filter((o) => 'person' in o.to && o.to.person === 'desk' && o.text.includes('LVR-'))).toEqual([]);
    // And authorised copies did carry it, so the check above could have failed.
    expect(all.some((o) => 'person' in o.to && o.to.person === 'sec' && o.text.includes(SECRET))).toBe(true);
  });
});
