import { readFile } from 'node:fs/promises';
import type { ChainHead, DecisionRecord } from '../bot/domain/decision-log.ts';
import { BODY_FIELDS, GENESIS, recordHash } from './record-hash.ts';

import { DISPOSAL_ACTION } from '../bot/domain/retention.ts';

export { DISPOSAL_ACTION };

/** A disposal as the verifier reports it. */
export interface DisposalSeen {
  seq: number;
  at: string;
  /** Retention classes applied. */
  rules: string[];
  /** Records it redacted (and still to redact, if a crash cut the rewrite short). */
  redacted: number;
  pending: number;
}

/** The outcome of checking a decision log's chain. */
export type VerifyResult =
  | { ok: true; records: number; head: ChainHead; redacted: number; disposals: DisposalSeen[]; against?: ChainHead }
  | { ok: false; records: number; line: number; seq?: number; problem: string };

/**
 * Walks the chain from the first line and names the first record that breaks it:
 * bad JSON, a wrong sequence number, a `prev` that is not the previous hash,
 * or a `hash` that does not match the record's content. A redacted record
 * verifies through the hashes its redaction kept, but only if a later
 * disposal record lists it: a redaction nobody recorded is tampering.
 * With `against`, the log must also contain that published head.
 */
export async function verifyLog(path: string, opts: { against?: ChainHead } = {}): Promise<VerifyResult> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return verifyLines(lines, opts);
}

/** The same check over lines from anywhere (the PostgreSQL log streams them a page at a time). */
export async function verifyLines(source: Iterable<string> | AsyncIterable<string>, opts: { against?: ChainHead } = {}): Promise<VerifyResult> {
  let prev = GENESIS;
  let head: ChainHead = { seq: 0, hash: GENESIS };
  const redactions: Array<{ line: number; seq: number; by: number }> = [];
  const disposals = new Map<number, { record: DecisionRecord; listed: Set<number> }>();
  let anchored: ChainHead | undefined;
  let i = -1;
  for await (const text of source) {
    i += 1;
    const line = i + 1;
    let record: DecisionRecord;
    try {
      record = JSON.parse(text) as DecisionRecord;
    } catch {
      return { ok: false, records: i, line, problem: 'not valid JSON' };
    }
    if (record.seq !== line) return { ok: false, records: i, line, seq: record.seq, problem: `sequence number ${record.seq} where ${line} was expected (a record was removed or reordered)` };
    if (record.prev !== prev) return { ok: false, records: i, line, seq: record.seq, problem: 'prev does not match the hash of the record before it' };
    if (recordHash(record) !== record.hash) return { ok: false, records: i, line, seq: record.seq, problem: 'content does not match its hash (the record was edited)' };
    if (record.redacted) {
      const present = BODY_FIELDS.filter((f) => record[f] !== undefined && record.redacted!.fields[f] !== undefined);
      if (present.length) return { ok: false, records: i, line, seq: record.seq, problem: `marked redacted but still holds ${present.join(', ')}` };
      redactions.push({ line, seq: record.seq, by: record.redacted.by });
    }
    if (record.action === DISPOSAL_ACTION && !record.redacted) {
      const seqs = (record.details as { seqs?: unknown } | undefined)?.seqs;
      disposals.set(record.seq, { record, listed: new Set(Array.isArray(seqs) ? seqs.filter((s): s is number => typeof s === 'number') : []) });
    }
    if (opts.against && record.seq === opts.against.seq) {
      if (record.hash !== opts.against.hash) return { ok: false, records: i, line, seq: record.seq, problem: `record ${record.seq} has hash ${record.hash}, not the published ${opts.against.hash}: the log was rewritten after that head was published` };
      anchored = { seq: record.seq, hash: record.hash, at: record.at };
    }
    prev = record.hash;
    head = { seq: record.seq, hash: record.hash, at: record.at };
  }
  const count = i + 1;
  for (const r of redactions) {
    const d = disposals.get(r.by);
    if (!d || r.by <= r.seq || !d.listed.has(r.seq)) {
      return { ok: false, records: r.line - 1, line: r.line, seq: r.seq, problem: `redacted, but no later disposal record (seq ${r.by}) lists it: the redaction was not made by Bluedesk's retention job` };
    }
  }
  if (opts.against && !anchored) {
    return { ok: false, records: count, line: count, problem: `the published head (seq ${opts.against.seq}) is beyond the end of this log (${head.seq} records): records were removed from the end` };
  }
  const redactedBy = new Map<number, number>();
  for (const r of redactions) redactedBy.set(r.by, (redactedBy.get(r.by) ?? 0) + 1);
  const seen: DisposalSeen[] = [...disposals.values()].map(({ record, listed }) => {
    const rules = (record.details as { rules?: unknown } | undefined)?.rules;
    const redacted = redactedBy.get(record.seq) ?? 0;
    return { seq: record.seq, at: record.at, rules: Array.isArray(rules) ? rules.map(String) : [], redacted, pending: listed.size - redacted };
  });
  return { ok: true, records: count, head, redacted: redactions.length, disposals: seen, ...(anchored ? { against: anchored } : {}) };
}
