import { readFile } from 'node:fs/promises';
import type { DecisionRecord } from '../bot/domain/decision-log.ts';
import { GENESIS, recordHash } from './jsonl-decision-log.ts';

/** The outcome of checking a decision log's chain. */
export type VerifyResult =
  | { ok: true; records: number }
  | { ok: false; records: number; line: number; seq?: number; problem: string };

/**
 * Walks the chain from the first line and names the first record that breaks it:
 * bad JSON, a wrong sequence number, a `prev` that is not the previous hash,
 * or a `hash` that does not match the record's content.
 */
export async function verifyLog(path: string): Promise<VerifyResult> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let prev = GENESIS;
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let record: DecisionRecord;
    try {
      record = JSON.parse(lines[i]!) as DecisionRecord;
    } catch {
      return { ok: false, records: i, line, problem: 'not valid JSON' };
    }
    if (record.seq !== line) return { ok: false, records: i, line, seq: record.seq, problem: `sequence number ${record.seq} where ${line} was expected (a record was removed or reordered)` };
    if (record.prev !== prev) return { ok: false, records: i, line, seq: record.seq, problem: 'prev does not match the hash of the record before it' };
    if (recordHash(record) !== record.hash) return { ok: false, records: i, line, seq: record.seq, problem: 'content does not match its hash (the record was edited)' };
    prev = record.hash;
  }
  return { ok: true, records: lines.length };
}
