import type { DecisionRecord } from '../../domain/decision-log.ts';
import type { Person } from '../../domain/people.ts';

/** Whose data a subject access request is for: a member of staff, or a member of the public by their social media handle. */
export type SarTarget = { kind: 'staff'; person: Person } | { kind: 'public'; handle: string };

/** One record as disclosed: what happened, with third parties' personal data replaced by a marker. */
export interface SarEntry {
  seq: number;
  at: string;
  action: string;
  outcome: string;
  subject?: { type: string; id: string };
  content: unknown;
  thirdPartyRedactions: number;
}

export const THIRD_PARTY = '[REDACTED: third party]';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const UK_PHONE = /(?:\+44\s?|\b0)(?:\d[\s-]?){9,10}\b/g;
const HANDLE = /(^|[^A-Za-z0-9_@/])@([A-Za-z0-9_.]{2,30})/g;
const URL = /\bhttps?:\/\/[^\s"'<>]+/g;

/** The handle as written anywhere: without "@", lower case. */
export function normaliseHandle(handle: string): string {
  return handle.trim().replace(/^@/, '').toLowerCase();
}

const escapeRegExp = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A name, id or handle as a whole word, in any case: "DANA DESK" is Dana Desk, "Danaher" is not Dana. */
function wordPattern(token: string, flags = 'iu'): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(token)}(?![\\p{L}\\p{N}_])`, flags);
}

function mentionsHandle(text: string, handle: string): boolean {
  return wordPattern(handle).test(text);
}

/**
 * Everything held about one person, ready for a disclosure officer: each
 * record that names them (as actor, by id, email or platform id; or, for the
 * public, by handle), with every other person's name, ids, emails, phone
 * numbers, handles and links replaced by a marker, counted per record.
 */
export function subjectAccess(records: readonly DecisionRecord[], target: SarTarget, directory: readonly Person[]): { entries: SarEntry[]; redactions: number } {
  const own = target.kind === 'staff' ? ownTokens(target.person) : [normaliseHandle(target.handle)];
  const others = directory.filter((p) => target.kind !== 'staff' || p.id !== target.person.id).flatMap(ownTokens).filter((t) => t.length >= 3)
    .sort((a, b) => b.length - a.length);
  const entries: SarEntry[] = [];
  let redactions = 0;
  for (const r of records) {
    const content = { actor: r.actor, reason: r.reason, rationale: r.rationale, details: r.details, record: stripCopies((r.wal as { value?: unknown } | undefined)?.value) };
    const text = JSON.stringify(content);
    const about = target.kind === 'staff' ? r.actor?.personId === target.person.id || own.some((t) => wordPattern(t).test(text)) : mentionsHandle(text, own[0]!);
    if (!about) continue;
    const counter = { n: 0 };
    const redacted = walk(content, (s) => redactText(s, own, others, target, counter));
    entries.push({ seq: r.seq, at: r.at, action: r.action, outcome: r.outcome, ...(r.subject ? { subject: r.subject } : {}), content: redacted, thirdPartyRedactions: counter.n });
    redactions += counter.n;
  }
  return { entries, redactions };
}

function ownTokens(p: Person): string[] {
  return [p.id, p.name, p.email, p.teams?.aadObjectId, p.slack?.userId].filter((t): t is string => !!t);
}

function stripCopies(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const { copies: _c, ...rest } = value as Record<string, unknown>;
  return rest;
}

function walk(value: unknown, fix: (s: string) => string): unknown {
  if (typeof value === 'string') return fix(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, fix));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, fix)]));
  return value;
}

function redactText(s: string, own: string[], others: string[], target: SarTarget, counter: { n: number }): string {
  const keep = (m: string) => own.some((t) => m.toLowerCase().includes(t.toLowerCase()));
  const mark = (m: string) => {
    if (keep(m)) return m;
    counter.n += 1;
    return THIRD_PARTY;
  };
  let out = s;
  for (const t of others) {
    out = out.replace(wordPattern(t, 'giu'), () => {
      counter.n += 1;
      return '\u0000';
    });
  }
  out = out.replace(/\u0000+/g, THIRD_PARTY);
  out = out.replace(EMAIL, mark).replace(URL, mark).replace(UK_PHONE, mark);
  out = out.replace(HANDLE, (m, pre: string, h: string) => (target.kind === 'public' && h.toLowerCase() === own[0] ? m : `${pre}${mark(`@${h}`)}`));
  return out;
}
