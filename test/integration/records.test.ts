import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../bot/domain/clock.ts';
import { eventually } from '../fakes/http.ts';
import { personalMessage, postActivity } from '../fakes/teams-activities.ts';
import { activeAccountInSlack } from '../helpers/account-flows.ts';
import { slackUser, SLACK_RECORDS_CHANNEL, teamsUser, TEAMS_COMMS_CHANNEL, TEAMS_ESCALATION_CHANNEL, USERS, withRecords, type UserKey } from '../helpers/config.ts';
import { ackInSlack, closeInSlack, decideInSlack, raiseInTeams, slashInSlack } from '../helpers/flows.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { ensureBuilt, runBluedesk } from '../helpers/processes.ts';
import { leaverInTeams } from '../helpers/leavers.ts';

const SECRET = 'Misconduct enquiry OP-HERON-7';
const SUMMARY = 'Post by @wrongdoer naming @bystander, "call 07700 900123", <script>alert(1)</script>, =HYPERLINK("x")';
const NDM = { information: 'Threat posted publicly', threatRisk: 'Moderate', powersPolicy: 'Community guidelines', options: 'Hide, report', action: 'Reported to X', reviewAt: '2026-11-26T09:00' };
const DAY = 86_400_000;

/** Parses RFC 4180 CSV: the export must open correctly in anything that reads CSV. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += c;
  }
  return rows;
}

/**
 * The records office, end to end: decision history with consultation
 * logging, exports and reports from the command line while the server runs,
 * a subject access request, anchoring, legal holds and retention under the
 * fake clock, with a PSD-related case withheld from everyone not entitled.
 */
describe('decision records', () => {
  let h: Harness;
  let syslog: Socket;
  const heard: string[] = [];
  const clock = new ManualClock(new Date('2026-11-25T14:00:00Z'));
  /** The records commands as an operator runs them from the compiled build (`bluedesk export …`). */
  const cli = (args: string[], env: Record<string, string> = {}) => runBluedesk(args, { DATA_DIR: h.dataDir, ...env });
  const slash = async (k: UserKey, command: string, text = '') => JSON.stringify(await slashInSlack(h, slackUser(k), command, text));
  let closed: string;
  let held: string;
  let open: string;

  beforeAll(async () => {
    await ensureBuilt();
    syslog = createSocket('udp4');
    syslog.on('message', (m) => heard.push(m.toString()));
    await new Promise<void>((r) => syslog.bind(0, '127.0.0.1', () => r()));
    const config = withRecords();
    config.records.anchor.syslog = { host: '127.0.0.1', port: syslog.address().port, protocol: 'udp', appName: 'bluedesk' };
    h = await startHarness({ clock, config, dataDir: await mkdtemp(join(tmpdir(), 'records-')), installIn: [TEAMS_ESCALATION_CHANNEL, TEAMS_COMMS_CHANNEL] });
    for (const k of Object.keys(USERS) as UserKey[]) await postActivity(h.url, personalMessage(h.connector.url, teamsUser(k), 'help'));
    closed = await raiseInTeams(h, teamsUser('north'), { category: 'crime_report', summary: SUMMARY });
    await ackInSlack(h, slackUser('desk'), closed);
    await decideInSlack(h, slackUser('desk'), closed, 'referral.intelligence', { ndm: NDM });
    await closeInSlack(h, slackUser('desk'), closed, 'Reported; nothing further');
    held = await raiseInTeams(h, teamsUser('north'), { summary: 'Subject of a civil claim' });
    await ackInSlack(h, slackUser('desk'), held);
    await decideInSlack(h, slackUser('desk'), held, 'no_further_action', { reason: 'Nothing to do' });
    await closeInSlack(h, slackUser('desk'), held, 'Done');
    open = await raiseInTeams(h, teamsUser('north'), { summary: 'Still open' });
    const account = await activeAccountInSlack(h);
    await leaverInTeams(h, teamsUser('psd'), {
      who: { kind: 'leaver', personId: 'dana.desk', effectiveDate: '2026-11-27', psd: 'yes', psdReason: SECRET },
      accounts: { accountIds: account }, devices: { devices: 'none', apps: 'none' },
    });
    await h.bot.idle();
  }, 240_000);
  let stopped = false;
  afterAll(async () => {
    if (!stopped) await h?.stop();
    syslog?.close();
  });

  it('/decisions <id> shows the whole timeline with the NDM rationale, and records who looked', async () => {
    const shown = await slash('comms', '/decisions', closed);
    expect(shown).toContain(`${closed}: decision history`);
    expect(shown).toContain('Threat and risk: Moderate');
    expect(shown).toContain('has been recorded');
    const consulted = (await h.decisions()).filter((r) => r.action === 'records.consulted');
    expect(consulted.at(-1)).toMatchObject({ actor: { personId: 'cara.comms' }, subject: { type: 'escalation', id: closed }, details: { view: 'timeline', results: expect.any(Number) } });
  });

  it('/decisions searches by subject, person and date; a restricted case is not there at all for those not entitled', async () => {
    expect(await slash('comms', '/decisions', 'escalation by pc.north from 2026-11-25 to 2026-11-25')).toContain(`${closed} ·`);
    expect(await slash('comms', '/decisions', 'escalation from 2026-12-01')).toContain('No decision records match');
    for (const k of ['comms', 'jones', 'infoman'] as UserKey[]) {
      for (const text of ['', 'leaver', 'LVR-00001', 'by pat.psd']) {
        const answer = await slash(k, '/decisions', text);
        expect(answer).not.toContain('LVR-00001 ·');
        expect(answer).not.toContain(SECRET);
      }
      expect(await slash(k, '/decisions', 'LVR-00001')).toContain('no decision records about LVR-00001 that you can see');
    }
    expect(await slash('psd', '/decisions', 'LVR-00001')).toContain('LVR-00001: decision history');
    // PSD's look is itself restricted, so the access log does not give the case away.
    const last = (await h.decisions()).filter((r) => r.action === 'records.consulted').at(-1)!;
    expect(last).toMatchObject({ actor: { personId: 'pat.psd' }, restricted: true });
    expect(await slash('comms', '/decisions', 'by pat.psd')).not.toContain('LVR-00001');
    // A PSD search that finds nothing restricted is restricted all the same: its search words can say what they are looking into.
    expect(await slash('psd', '/decisions', 'escalation from 2026-12-01')).toContain('No decision records match');
    const nothingFound = (await h.decisions()).filter((r) => r.action === 'records.consulted').at(-1)!;
    expect(nothingFound).toMatchObject({ actor: { personId: 'pat.psd' }, restricted: true });
    expect(await slash('comms', '/decisions', 'by pat.psd')).not.toContain('2026-12-01');
  });

  it('refuses, and records, a search by someone the policy table does not name', async () => {
    expect(await slash('north', '/decisions')).toContain('Not permitted');
    expect((await h.decisions()).at(-1)).toMatchObject({ action: 'records.search', outcome: 'refused', actor: { personId: 'pc.north' } });
  });

  it('npm run export asks the running server; the CSV parses back, holds user text as data, and leaves the restricted case out', async () => {
    const out = await cli(['export', '--as', 'ian.im', '--format', 'csv']);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('The export is recorded');
    const rows = parseCsv(out.stdout);
    const header = rows[0]!;
    expect(header.slice(0, 6)).toEqual(['seq', 'at', 'action', 'outcome', 'subject_type', 'subject_id']);
    expect(rows.every((r) => r.length === header.length)).toBe(true);
    const raised = rows.find((r) => r[2] === 'escalation.raised' && r[5] === closed)!;
    expect(JSON.parse(raised[header.indexOf('details_json')]!).summary).toBe(SUMMARY);
    const ndm = rows.find((r) => r[2] === 'escalation.decided')!;
    expect(ndm[header.indexOf('ndm_threat_risk')]).toBe('Moderate');
    expect(out.stdout).not.toContain('LVR-00001');
    expect(out.stdout).not.toContain(SECRET);
    // PSD's export has it.
    // The answer is the same whether or not a restricted subject was left out: it is no oracle for one's existence.
    const mentions = await cli(['export', '--as', 'ian.im', '--subject', 'LVR-00001']);
    const nothing = await cli(['export', '--as', 'ian.im', '--subject', 'LVR-00099']);
    expect(mentions.stderr).toBe(nothing.stderr);
    expect(mentions.stderr).toContain('0 record(s) exported. Only records you may see are ever exported.');
    const psd = await cli(['export', '--as', 'pat.psd', '--format', 'jsonl', '--subject', 'leaver']);
    expect(psd.stdout.trim().split('\n').map((l) => JSON.parse(l).subject.id)).toContain('LVR-00001');
    expect(psd.stdout).toContain(SECRET);
    const exported = (await h.decisions()).filter((r) => r.action === 'records.exported');
    expect(exported.map((r) => [r.actor?.personId, r.restricted ?? false])).toEqual([['ian.im', false], ['ian.im', false], ['ian.im', false], ['pat.psd', true]]);
    // Someone not named in the table is refused, and that is recorded too.
    const refused = await cli(['export', '--as', 'cara.comms']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Only Information management, Professional standards may export');
    expect((await h.decisions()).at(-1)).toMatchObject({ action: 'records.export', outcome: 'refused', actor: { personId: 'cara.comms', identity: expect.stringMatching(/^cli:/) } });
  });

  it('npm run report writes a printable NDM decision trail, escaping every user value', async () => {
    const out = await cli(['report', '--as', 'ian.im', '--subject', closed]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('<table class="ndm">');
    expect(out.stdout).toContain('2. Assess threat and risk and develop a working strategy</th><td>Moderate');
    expect(out.stdout).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out.stdout).not.toContain('<script>');
    const restricted = await cli(['report', '--as', 'ian.im', '--subject', 'LVR-00001']);
    expect(restricted.code).toBe(1);
    expect(restricted.stdout).toBe('');
  });

  it('npm run sar exports what is held about a member of the public, with third parties redacted and marked', async () => {
    const out = await cli(['sar', '--as', 'ian.im', '--person', '@wrongdoer', '--format', 'jsonl']);
    expect(out.code).toBe(0);
    const [head, ...entries] = out.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(head.notes.join(' ')).toContain('disclosure officer');
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e: any) => e.subject.id === closed)).toBe(true);
    const text = JSON.stringify(entries);
    expect(text).toContain('@wrongdoer');
    for (const third of ['@bystander', '07700 900123', 'PC North', 'Dana Desk', 'pc.north', 'dana.desk', USERS.desk.slack, USERS.north.aad]) expect(text).not.toContain(third);
    expect(text).toContain('[REDACTED: third party]');
    expect(entries.some((e: any) => e.thirdPartyRedactions > 0)).toBe(true);
  });

  it('npm run sar for a member of staff: their own records, others redacted, the restricted case withheld from information management', async () => {
    const out = await cli(['sar', '--as', 'ian.im', '--person', 'dana.desk', '--format', 'jsonl']);
    const text = out.stdout;
    expect(text).toContain('Dana Desk');
    expect(text).not.toContain('PC North');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('LVR-00001');
    expect(text).toContain('Restricted records are not in this export');
  });

  it('npm run log-head publishes the head to the records channel and syslog, and verify-log proves a log still holds it', async () => {
    const out = await cli(['log-head', '--as', 'ian.im']);
    expect(out.code).toBe(0);
    const [, seq, hash] = out.stderr.match(/seq (\d+), SHA-256 ([0-9a-f]{64})/)!;
    await h.bot.idle();
    expect(h.slack.of('chat.postMessage').some((c) => c.args.channel === SLACK_RECORDS_CHANNEL && JSON.stringify(c.args).includes(hash!))).toBe(true);
    await eventually(() => heard.find((m) => m.includes(hash!)), 3000, 'syslog');
    expect(heard.find((m) => m.includes(hash!))).toMatch(new RegExp(`^<109>1 \\S+ \\S+ bluedesk \\d+ chain-head \\[bluedesk@32473 seq="${seq}" hash="${hash}"\\]`));
    const proved = await runBluedesk(['verify-log', h.bot.decisionLogPath, '--against', `${seq}:${hash}`], {});
    expect(proved.stdout).toContain(`Contains the published head seq ${seq}`);
  });

  it('a legal hold keeps a subject past its period; retention disposes of the rest under the fake clock and the chain still verifies', async () => {
    expect(await slash('north', '/hold', `${held} No reason`)).toContain('Not permitted');
    expect(await slash('infoman', '/hold', `${held} Civil claim CL-2026-114`)).toContain('Legal hold HLD-00001 placed');
    expect(await slash('infoman', '/hold', 'LVR-00001 Trying')).toContain('no records about LVR-00001 that you can see');
    // 31 days on, past the escalation class's 30 days: the daily job runs at 03:00.
    clock.set(new Date(clock.now().getTime() + 31 * DAY));
    await h.bot.tick();
    await h.bot.idle();
    const log = await h.decisions();
    const disposal = log.find((r) => r.action === 'records.disposed')!;
    expect(disposal).toMatchObject({ subject: { type: 'disposal' }, details: { rules: ['escalation'], subjects: [closed] } });
    const report = log.filter((r) => r.action === 'records.disposal_report').at(-1)!;
    expect(report.details).toMatchObject({ trigger: 'daily timer', held: [held], subjects: { escalation: 1 } });
    // The closed one is gone from working state, its log records redacted; the held and the open one are untouched.
    const state = { escalations: await h.stored('escalations'), leaverCases: await h.stored('leaverCases') };
    // The held one is kept: closed over a day ago, it has moved from hot state to the archive, where the disposal left it.
    expect(Object.keys(state.escalations)).toEqual([open]);
    const archive = await readFile(`${h.dataDir}/archive/escalations.jsonl`, 'utf8');
    expect(archive).toContain(`"id":"${held}"`);
    expect(archive).not.toContain(`"id":"${closed}"`);
    const about = log.filter((r) => r.subject?.id === closed && !r.action.startsWith('records.consulted'));
    expect(about.every((r) => r.redacted?.by === disposal.seq && r.details === undefined && r.actor === undefined)).toBe(true);
    expect(await readFile(h.bot.decisionLogPath, 'utf8')).not.toContain('@bystander');
    const verified = await h.verify();
    expect(verified).toMatchObject({ ok: true, redacted: expect.any(Number) });
    expect(verified.ok && verified.redacted).toBeGreaterThanOrEqual(about.length);
    // The report went to the records channel; the timeline says what happened.
    expect(h.slack.of('chat.postMessage').some((c) => c.args.channel === SLACK_RECORDS_CHANNEL && JSON.stringify(c.args).includes('disposal report'))).toBe(true);
    expect(await slash('comms', '/decisions', closed)).toContain('redacted under the retention schedule');
    // The restricted case is open, so it is not due.
    expect(state.leaverCases['LVR-00001']).toBeDefined();
    // Lifted, the held one goes at the next day's run.
    expect(await slash('infoman', '/hold', 'lift HLD-00001 Claim settled')).toContain('HLD-00001 lifted');
    clock.set(new Date(clock.now().getTime() + DAY));
    await h.bot.tick();
    const after = await h.decisions();
    expect(after.filter((r) => r.action === 'records.disposed').at(-1)!.details).toMatchObject({ subjects: [held] });
    expect(after.map((r) => r.action)).toEqual(expect.arrayContaining(['records.hold_placed', 'records.hold_lifted', 'records.head_published']));
    expect(await h.verify()).toMatchObject({ ok: true });
  });

  it('the command line works on its own when no server holds DATA_DIR, and records the export the same way', async () => {
    await h.stop();
    stopped = true;
    const configFile = join(h.dataDir, '..', `force-${Date.now()}.json`);
    await writeFile(configFile, JSON.stringify(withRecords()));
    const out = await cli(['export', '--as', 'ian.im', '--format', 'jsonl', '--subject', open], { BOT_CONFIG: configFile });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain('record(s) exported');
    expect(out.stdout.trim().split('\n').every((l) => JSON.parse(l).subject.id === open)).toBe(true);
    const log = (await readFile(h.bot.decisionLogPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(log.at(-1)).toMatchObject({ action: 'records.exported', actor: { personId: 'ian.im' } });
    expect(await h.verify()).toMatchObject({ ok: true });
  });
});
