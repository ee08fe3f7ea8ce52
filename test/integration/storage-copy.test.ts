import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../fakes/http.ts';
import { ManualClock } from '../../bot/domain/clock.ts';
import { requestInSlack } from '../helpers/account-flows.ts';
import { slackUser, TEAMS_COMMS_CHANNEL, TEAMS_ESCALATION_CHANNEL, testConfig } from '../helpers/config.ts';
import { ackInSlack, clickInSlack, closeInSlack, decideInSlack, slashInSlack, submitModal } from '../helpers/flows.ts';
import { INTAKE_SECRET, startHarness } from '../helpers/harness.ts';
import { raiseViaIntake } from '../helpers/intake.ts';
import { ensureBuilt, runBluedesk } from '../helpers/processes.ts';
import { describePg, freshSchema } from '../helpers/postgres.ts';

const GOOD = { contentUrl: 'https://www.tiktok.com/@someone/video/1', platform: 'TikTok', category: 'threat_to_life', summary: 'Video threatens a named PCSO', area: 'north', authorIsVictimOrWitness: 'no' };

/** Runs one of the npm scripts' programs as an operator would, with this environment; never throws, so exit codes can be checked. */
async function cli(script: string, env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; out: string }> {
  await ensureBuilt();
  const { code, stdout, stderr } = await runBluedesk([script === 'storage-copy' ? 'storage:copy' : script, ...args], { ...env, BLUEDESK_TEST_STORAGE: '' });
  return { code, out: stdout + stderr };
}

await describePg('npm run storage:copy: from lowdb into PostgreSQL', () => {
  let dataDir: string;
  let target: Awaited<ReturnType<typeof freshSchema>>;
  let env: Record<string, string>;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bluedesk-copy-'));
    target = await freshSchema('copy');
    env = { DATA_DIR: dataDir, DATABASE_URL: target.url, DATABASE_SCHEMA: target.schema };
  });
  afterAll(async () => { await rm(dataDir, { recursive: true, force: true }); await target.drop(); });

  it('copies state and the decision log, verifies the chain on the database, and the bot carries on there', async () => {
    const clock = new ManualClock(new Date());
    const lowdb = await startHarness({ dataDir, clock, installIn: [TEAMS_ESCALATION_CHANNEL, TEAMS_COMMS_CHANNEL] });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const raised = await raiseViaIntake(lowdb.url, INTAKE_SECRET, `copy-${i}`, { ...GOOD, summary: `copy ${i}`, ...(i === 0 ? { category: 'intelligence' } : {}) });
      expect(raised.status).toBe(201);
      ids.push(raised.json.id as string);
    }
    // A closed escalation and a rejected account request, archived a day later: the copy keeps them archived.
    await ackInSlack(lowdb, slackUser('desk'), ids[0]!);
    await decideInSlack(lowdb, slackUser('desk'), ids[0]!, 'no_further_action', { reason: 'Nothing to do' });
    await closeInSlack(lowdb, slackUser('desk'), ids[0]!, 'Done');
    const request = (await requestInSlack(lowdb)).id!;
    await submitModal(lowdb, slackUser('comms'), await (await clickInSlack(lowdb, slackUser('comms'), 'account.reject', request)).modal(), { reason: 'Not needed' });
    await lowdb.bot.idle();
    clock.advance(25 * 3_600_000);
    await lowdb.bot.tick();
    expect([await lowdb.archived('escalation'), await lowdb.archived('account-request')]).toEqual([[ids[0]], [request]]);
    const before = await lowdb.decisions();
    await lowdb.stop();

    expect(await cli('migrate', env)).toMatchObject({ code: 0, out: expect.stringMatching(/applied 001_init/) });
    const copied = await cli('storage-copy', env);
    expect(copied.out).toMatch(new RegExp(`${before.length} record\\(s\\) verified, head seq ${before.length} ${before.at(-1)!.hash}`));
    expect(copied.code).toBe(0);
    const verified = await cli('verify-log', env);
    expect(verified).toMatchObject({ code: 0, out: expect.stringContaining(`intact: ${before.length} record(s)`) });
    // A second copy would mix two forces' data: refused, and nothing changes.
    expect(await cli('storage-copy', env)).toMatchObject({ code: 78, out: expect.stringContaining('already holds data') });
    expect(await cli('migrate', env)).toMatchObject({ code: 0, out: expect.stringContaining('already up to date') });

    const pg = await startHarness({ env: { DATABASE_URL: target.url, DATABASE_SCHEMA: target.schema } });
    try {
      // The same key again is answered from the copied idempotency index; a new one takes the next id.
      const again = await raiseViaIntake(pg.url, INTAKE_SECRET, 'copy-1', { ...GOOD, summary: 'copy 1' });
      expect(again.json.id).toBe(ids[1]);
      const next = await raiseViaIntake(pg.url, INTAKE_SECRET, 'copy-new', { ...GOOD, summary: 'after the move' });
      expect(next.status).toBe(201);
      expect(next.json.id).toBe('ESC-00004');
      const after = await pg.decisions();
      expect(after.slice(0, before.length)).toEqual(before);
      expect(await pg.verify()).toMatchObject({ ok: true, records: after.length });
      expect([await pg.archived('escalation'), await pg.archived('account-request')]).toEqual([[ids[0]], [request]]);
      expect(Object.keys(await pg.stored('escalations'))).not.toContain(ids[0]);
      expect(JSON.stringify(await slashInSlack(pg, slackUser('desk'), '/escalation', ids[0]))).toContain(`${ids[0]} timeline`);
      // The records command line works on the database directly, beside the running instance, and its export is recorded there.
      await writeFile(join(dataDir, 'force.json'), JSON.stringify(testConfig()));
      const exported = await cli('export', { ...env, BOT_CONFIG: join(dataDir, 'force.json') }, ['--as', 'ian.im']);
      expect(exported.code).toBe(0);
      expect(exported.out).toContain('after the move');
      await eventually(async () => (await pg.decisions()).some((r) => r.action === 'records.exported' && r.actor?.identity.startsWith('cli:')), 3000, 'the export recorded');
    } finally {
      await pg.stop();
    }
  });
});
