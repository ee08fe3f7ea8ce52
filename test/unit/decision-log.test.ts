import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../bot/domain/clock.ts';
import type { DecisionEntry } from '../../bot/domain/decision-log.ts';
import { JsonlDecisionLog, readRecords } from '../../data/jsonl-decision-log.ts';
import { verifyLog } from '../../data/verify-log.ts';

const entry = (n: number): DecisionEntry => ({
  action: 'escalation.raised', outcome: 'done', actor: { personId: 'p', name: 'P', identity: 'teams:t/p' }, subject: { type: 'escalation', id: `ESC-${n}` },
});

describe('JSON Lines decision log with a SHA-256 chain', () => {
  let path: string;
  const clock = new ManualClock(new Date('2026-11-25T09:00:00Z'));
  beforeEach(async () => {
    path = join(await mkdtemp(join(tmpdir(), 'log-')), 'decisions.jsonl');
  });

  async function write(n: number) {
    const log = await JsonlDecisionLog.open(path, clock);
    for (let i = 1; i <= n; i++) await log.append(entry(i));
    await log.close();
  }

  it('chains each record to the one before and verifies', async () => {
    await write(3);
    const records = await readRecords(path);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(records[0]!.prev).toBe('0'.repeat(64));
    expect(records[1]!.prev).toBe(records[0]!.hash);
    expect(records[0]!.at).toBe('2026-11-25T09:00:00.000Z');
    expect(await verifyLog(path)).toMatchObject({ ok: true, records: 3 });
  });

  it('carries on the chain after reopening', async () => {
    await write(2);
    await write(1);
    expect((await readRecords(path)).map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(await verifyLog(path)).toMatchObject({ ok: true, records: 3 });
  });

  it('keeps order under concurrent appends', async () => {
    const log = await JsonlDecisionLog.open(path, clock);
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(entry(i))));
    await log.close();
    expect(await verifyLog(path)).toMatchObject({ ok: true, records: 50 });
  });

  it('names an edited record', async () => {
    await write(3);
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines[1] = lines[1]!.replace('ESC-2', 'ESC-9');
    await writeFile(path, lines.join('\n'));
    expect(await verifyLog(path)).toMatchObject({ ok: false, line: 2, seq: 2, problem: expect.stringContaining('edited') });
  });

  it('names the gap where a record was removed', async () => {
    await write(3);
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines.splice(1, 1);
    await writeFile(path, lines.join('\n'));
    expect(await verifyLog(path)).toMatchObject({ ok: false, line: 2, seq: 3, problem: expect.stringContaining('removed') });
  });

  it('catches a record re-hashed after editing, by the next record’s prev', async () => {
    await write(3);
    const records = await readRecords(path);
    const { recordHash } = await import('../../data/jsonl-decision-log.ts');
    const forged = { ...records[1]!, reason: 'forged' };
    forged.hash = recordHash(forged);
    const lines = [records[0], forged, records[2]].map((r) => JSON.stringify(r));
    await writeFile(path, lines.join('\n') + '\n');
    expect(await verifyLog(path)).toMatchObject({ ok: false, line: 3, problem: expect.stringContaining('prev') });
  });

  it('cuts off a torn final line left by a crash, and carries on', async () => {
    await write(2);
    await appendFile(path, '{"action":"half-writ');
    const warnings: string[] = [];
    const log = await JsonlDecisionLog.open(path, clock, (m) => warnings.push(m));
    await log.append(entry(3));
    await log.close();
    expect(warnings).toHaveLength(1);
    expect(await verifyLog(path)).toMatchObject({ ok: true, records: 3 });
  });

  it('npm run verify-log reports intact and broken logs with exit codes', async () => {
    await write(2);
    const run = promisify(execFile);
    const ok = await run('node', ['--import', 'tsx', 'bot/cli/verify-log.ts', path]);
    expect(ok.stdout).toContain('Decision log intact: 2 record(s)');
    await writeFile(path, (await readFile(path, 'utf8')).replace('ESC-1', 'ESC-7'));
    const broken = await run('node', ['--import', 'tsx', 'bot/cli/verify-log.ts', path]).catch((e) => e);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('BROKEN at line 1 (seq 1)');
  });
});
