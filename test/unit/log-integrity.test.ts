import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../bot/domain/clock.ts';
import type { DecisionEntry } from '../../bot/domain/decision-log.ts';
import { JsonlDecisionLog, readRecords } from '../../data/jsonl-decision-log.ts';
import { canonicalJson } from '../../data/canonical-json.ts';
import { verifyLog, DISPOSAL_ACTION } from '../../data/verify-log.ts';

const raised = (n: number): DecisionEntry => ({
  action: 'escalation.raised', outcome: 'done', actor: { personId: 'dana', name: 'Dana Desk', identity: 'slack:T1/U1' },
  subject: { type: 'escalation', id: `ESC-${String(n).padStart(5, '0')}` },
  details: { summary: `Post naming a private person, number ${n}`, contentUrl: `https://x.com/someone/status/${n}` },
});

describe('the decision log proves what was edited, removed, redacted and published', () => {
  const clock = new ManualClock(new Date('2026-11-25T09:00:00Z'));
  let big: string;
  let bigText: string;
  let path: string;

  beforeAll(async () => {
    big = join(await mkdtemp(join(tmpdir(), 'log10k-')), 'decisions.jsonl');
    const log = await JsonlDecisionLog.open(big, clock);
    await Promise.all(Array.from({ length: 10_000 }, (_, i) => log.append(raised(i + 1))));
    await log.close();
    bigText = await readFile(big, 'utf8');
  });
  beforeEach(async () => {
    path = join(await mkdtemp(join(tmpdir(), 'log-')), 'decisions.jsonl');
    await writeFile(path, bigText);
  });

  it('verifies 10,000 intact records and reports the head', async () => {
    const result = await verifyLog(path);
    expect(result).toMatchObject({ ok: true, records: 10_000, redacted: 0, head: { seq: 10_000 } });
  });

  it('names the record when one byte in the middle of 10,000 is changed', async () => {
    const lines = bigText.split('\n');
    const target = lines[5_000]!; // seq 5001
    const at = target.indexOf('number 5001') + 'number '.length;
    lines[5_000] = target.slice(0, at) + '6' + target.slice(at + 1);
    await writeFile(path, lines.join('\n'));
    expect(await verifyLog(path)).toMatchObject({ ok: false, line: 5_001, seq: 5_001, records: 5_000, problem: expect.stringContaining('edited') });
  });

  it('detects a deleted line', async () => {
    const lines = bigText.split('\n');
    lines.splice(7_321, 1);
    await writeFile(path, lines.join('\n'));
    expect(await verifyLog(path)).toMatchObject({ ok: false, line: 7_322, seq: 7_323, problem: expect.stringContaining('removed') });
  });

  it('a redaction by a disposal record keeps the chain valid and shows as redaction, when and under which rule', async () => {
    const log = await JsonlDecisionLog.open(path, clock);
    clock.set(new Date('2033-01-01T00:00:00Z'));
    const disposal = await log.append({
      action: DISPOSAL_ACTION, outcome: 'done', actor: { identity: 'system:retention' }, subject: { type: 'disposal', id: 'DSP-00001' },
      details: { rules: ['escalation'], seqs: [10, 11, 12] },
    });
    expect(await log.redact([10, 11, 12], disposal.seq)).toBe(3);
    expect(await log.redact([10, 11, 12], disposal.seq)).toBe(0);
    const after = await log.append(raised(10_002));
    await log.close();
    const records = await readRecords(path);
    const r = records[10]!;
    expect(r).toMatchObject({ seq: 11, action: 'escalation.raised', subject: { id: 'ESC-00011' }, redacted: { by: 10_001 } });
    expect(r.details).toBeUndefined();
    expect(r.actor).toBeUndefined();
    const line11 = (await readFile(path, 'utf8')).split('\n')[10]!;
    expect(line11).not.toContain('Post naming');
    expect(line11).not.toContain('Dana');
    const result = await verifyLog(path);
    expect(result).toMatchObject({ ok: true, records: 10_002, redacted: 3, head: { seq: after.seq } });
    expect(result.ok && result.disposals).toEqual([{ seq: 10_001, at: '2033-01-01T00:00:00.000Z', rules: ['escalation'], redacted: 3, pending: 0 }]);
  });

  it('a redaction no disposal record lists is tampering, even with the hashes kept', async () => {
    const lines = bigText.split('\n');
    const record = JSON.parse(lines[41]!);
    const { redactRecord } = await import('../../data/record-hash.ts');
    lines[41] = canonicalJson(redactRecord(record, 9_999));
    await writeFile(path, lines.join('\n'));
    // The records before the forged one are intact, and only those: 41, not the whole log.
    expect(await verifyLog(path)).toMatchObject({ ok: false, line: 42, seq: 42, records: 41, problem: expect.stringContaining('no later disposal record') });
  });

  it('a published head is proved present, and a rewritten or truncated log is caught', async () => {
    const head = { seq: 6_000, hash: JSON.parse(bigText.split('\n')[5_999]!).hash as string };
    expect(await verifyLog(path, { against: head })).toMatchObject({ ok: true, against: head });
    expect(await verifyLog(path, { against: { ...head, hash: 'f'.repeat(64) } })).toMatchObject({ ok: false, seq: 6_000, problem: expect.stringContaining('rewritten') });
    expect(await verifyLog(path, { against: { seq: 10_500, hash: head.hash } })).toMatchObject({ ok: false, problem: expect.stringContaining('beyond the end') });
  });
});
