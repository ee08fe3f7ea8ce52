import type { DecisionRecord } from '../bot/domain/decision-log.ts';
import { canonicalJson, sha256 } from './canonical-json.ts';

/** The `prev` of the first record. */
export const GENESIS = '0'.repeat(64);

/** The record format written now: its hash covers each body field's own hash, so a field can be redacted and the chain still verify. */
export const FORMAT = 2;

/**
 * The parts of a record that can hold personal data, and so can be redacted
 * when the record's retention period ends. Everything else (sequence, time,
 * action, outcome, subject) is kept for good, so the log still shows what
 * happened to what, and when, after disposal.
 */
export const BODY_FIELDS = ['actor', 'reason', 'rationale', 'details', 'wal'] as const;
export type BodyField = (typeof BODY_FIELDS)[number];

/** The SHA-256 of one body field's canonical JSON. */
export function fieldHash(value: unknown): string {
  return sha256(canonicalJson(value));
}

/**
 * The hash a record must carry.
 * - Format 2: SHA-256 of its envelope with each body field replaced by that
 *   field's own hash. A redacted field is absent and its hash is kept in
 *   `redacted.fields`, so the record's hash, and the chain, do not change.
 * - Format 1 (records written before redaction existed): SHA-256 of the whole
 *   record without `hash`. They verify as before but cannot be redacted in place.
 */
export function recordHash(record: Omit<DecisionRecord, 'hash'> & { hash?: string }): string {
  if (record.v !== FORMAT) {
    const { hash: _ignored, ...rest } = record;
    return sha256(canonicalJson(rest));
  }
  const { hash: _h, redacted, ...rest } = record;
  const envelope: Record<string, unknown> = { ...rest };
  const body: Record<string, string> = {};
  for (const f of BODY_FIELDS) {
    delete envelope[f];
    const kept = redacted?.fields[f];
    if (kept !== undefined) body[f] = kept;
    else if (record[f] !== undefined) body[f] = fieldHash(record[f]);
  }
  return sha256(canonicalJson({ ...envelope, body }));
}

/**
 * A record with its personal data removed under a disposal record (`by`):
 * each body field goes, and its hash stays, so the chain verifies and the
 * verifier reports a redaction rather than an edit. Format 1 records are
 * returned unchanged: their hash covers every byte.
 */
export function redactRecord(record: DecisionRecord, by: number): DecisionRecord {
  if (record.v !== FORMAT || record.redacted) return record;
  const fields: Partial<Record<BodyField, string>> = {};
  const out: DecisionRecord = { ...record };
  for (const f of BODY_FIELDS) {
    if (record[f] === undefined) continue;
    fields[f] = fieldHash(record[f]);
    delete out[f];
  }
  return { ...out, redacted: { fields, by } };
}
