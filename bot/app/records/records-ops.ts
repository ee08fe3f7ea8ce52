import type { Clock } from '../../domain/clock.ts';
import type { DecisionLog, DecisionRecord } from '../../domain/decision-log.ts';
import type { Actor, Directory, PlatformIdentity } from '../../domain/people.ts';
import { authorise, type Action } from '../../domain/policy.ts';
import { recordConsultation } from './consultation.ts';
import { recordRefusal } from '../../domain/refusals.ts';
import { subjectOfId } from '../../domain/retention.ts';
import type { ChainAnchor } from './anchor.ts';
import type { DeadLetterOps } from './dead-letter-ops.ts';
import { matches, SUBJECT_WORDS } from './decision-history.ts';
import { toCsv, toJsonl } from './export-formats.ts';
import { recordsHtml } from './report-html.ts';
import type { RetentionJob } from './retention-job.ts';
import { normaliseHandle, subjectAccess, type SarTarget } from './subject-access.ts';
import type { RecordVisibility } from './visibility.ts';

/** What the records command line asks for (`npm run export|report|sar|retention|log-head`). */
export interface RecordsRequest {
  op: 'export' | 'report' | 'sar' | 'retention' | 'log-head' | 'dead-letters';
  /** For dead letters: `replay` with ids (or all); otherwise they are listed. */
  replay?: string[] | 'all';
  /** The directory id of the person asking: their roles decide what they may see, and the log records them. */
  as?: string;
  from?: string;
  to?: string;
  subject?: string;
  format?: 'csv' | 'jsonl' | 'html';
  person?: string;
}

/** The answer: a message for the terminal, and the document itself when there is one. */
export type RecordsResult = { ok: true; message: string; output?: string } | { ok: false; message: string };

const NEEDS: Record<Exclude<RecordsRequest['op'], 'dead-letters'>, Action> = { export: 'records.export', report: 'records.export', sar: 'records.export', retention: 'records.retention', 'log-head': 'records.export' };

/**
 * The records operations behind the command line, run by the server (when
 * it is up, through the requests folder) or by the command itself (when it
 * is not): one implementation, one writer to the log either way. Each
 * names who asked, checks the policy table, withholds restricted records
 * from those it does not name, and records the consultation.
 */
export class RecordsOps {
  constructor(private readonly deps: { log: DecisionLog; directory: Directory; visibility: RecordVisibility; retention?: RetentionJob; anchor: ChainAnchor; clock: Clock; deadLetters: DeadLetterOps }) {}

  async execute(req: RecordsRequest, via: PlatformIdentity): Promise<RecordsResult> {
    const person = req.as ? this.deps.directory.get(req.as) : undefined;
    if (!person) return { ok: false, message: req.as ? `There is no person "${req.as}" in the directory.` : 'Say who is asking with --as <directory id>: what they may see depends on their roles, and the log records them.' };
    const actor: Actor = { person, via: { ...via, name: person.name } as PlatformIdentity };
    if (req.op === 'dead-letters') return this.deps.deadLetters.run(actor, req.replay);
    const verdict = authorise(person, NEEDS[req.op]);
    if (!verdict.allowed) {
      await recordRefusal(this.deps.log, actor, NEEDS[req.op], verdict.reason);
      return { ok: false, message: `${verdict.reason} The attempt has been recorded.` };
    }
    switch (req.op) {
      case 'export': return this.export(actor, req);
      case 'report': return this.report(actor, req);
      case 'sar': return this.sar(actor, req);
      case 'retention': return this.retention(actor);
      case 'log-head': return this.logHead(actor);
    }
  }

  private async export(actor: Actor, req: RecordsRequest): Promise<RecordsResult> {
    const all = await this.deps.log.query({});
    const subject = req.subject?.toUpperCase();
    const types = req.subject && !subject?.includes('-') ? SUBJECT_WORDS[req.subject.toLowerCase().replace(/s$/, '')] : undefined;
    const wanted = all.filter((r) => matches(r, { query: { ...(req.from ? { from: req.from } : {}), ...(req.to ? { to: req.to } : {}) }, ...(types ? { types } : {}) }) && (!subject || !subject.includes('-') || r.subject?.id === subject));
    const { shown } = this.deps.visibility.filter(actor.person, wanted, all);
    await this.consulted(actor, 'records.exported', { format: req.format ?? 'csv', from: req.from, to: req.to, subject: req.subject, results: shown.length }, shown, all);
    // Said the same whether or not anything was withheld: otherwise the answer would tell that a restricted subject exists.
    const scope = this.deps.visibility.mayViewRestricted(actor.person) ? 'Restricted records are included.' : 'Only records you may see are ever exported.';
    return { ok: true, message: `${shown.length} record(s) exported. ${scope} The export is recorded.`, output: req.format === 'jsonl' ? toJsonl(shown) : toCsv(shown) };
  }

  private async report(actor: Actor, req: RecordsRequest): Promise<RecordsResult> {
    const id = req.subject?.toUpperCase() ?? '';
    const subject = subjectOfId(id);
    if (!subject) return { ok: false, message: 'Give the subject with --subject <id>, e.g. --subject ESC-00012.' };
    const all = await this.deps.log.query({});
    const { shown } = this.deps.visibility.filter(actor.person, all.filter((r) => r.subject?.type === subject.type && r.subject.id === id), all);
    if (!shown.length) return { ok: false, message: `There are no decision records about ${id} that you can see.` };
    await this.consulted(actor, 'records.consulted', { view: 'report', of: id, results: shown.length }, shown, all, subject);
    const html = recordsHtml({
      title: `${id}: decision trail`,
      intro: [`Every recorded decision about ${id}, oldest first, with the rationale in National Decision Model form where it was given.`, `Produced for ${actor.person.name} on ${this.deps.clock.now().toISOString()}. This report is itself recorded in the decision log.`],
      records: shown,
      footer: [`Each record's SHA-256 is part of the decision log's hash chain; npm run verify-log proves the log they came from is intact.`],
    });
    return { ok: true, message: `Report of ${shown.length} record(s) about ${id}. The report is recorded.`, output: html };
  }

  private async sar(actor: Actor, req: RecordsRequest): Promise<RecordsResult> {
    const who = req.person?.trim() ?? '';
    if (!who) return { ok: false, message: 'Give the person with --person <directory id | @handle>.' };
    const staff = this.deps.directory.get(who) ?? this.deps.directory.all().find((p) => p.slack?.userId === who || p.teams?.aadObjectId === who || p.email.toLowerCase() === who.toLowerCase());
    const target: SarTarget = staff ? { kind: 'staff', person: staff } : { kind: 'public', handle: who };
    if (target.kind === 'public' && normaliseHandle(who).length < 2) return { ok: false, message: `"${who}" is neither a directory id nor a social media handle.` };
    const all = await this.deps.log.query({});
    const { shown } = this.deps.visibility.filter(actor.person, all, all);
    const { entries, redactions } = subjectAccess(shown, target, this.deps.directory.all());
    await this.consulted(actor, 'records.exported', { view: 'subject access', person: staff ? staff.id : normaliseHandle(who), results: entries.length, redactions }, shown.filter((r) => entries.some((e) => e.seq === r.seq)), all);
    const name = staff ? `${staff.name} (${staff.id})` : `@${normaliseHandle(who)}`;
    const notes = [
      `Subject access: everything the decision records hold about ${name}. Produced for ${actor.person.name} on ${this.deps.clock.now().toISOString()}; recorded in the decision log.`,
      `Third parties' personal data (other people's names, ids, emails, phone numbers, handles and links) is replaced by "[REDACTED: third party]": ${redactions} redaction(s). Free text was scanned, not read: a disclosure officer must review every entry, and any exemption, before disclosure.`,
      ...(this.deps.visibility.mayViewRestricted(actor.person) ? ['Restricted (PSD-related) records are included: consider the exemptions that apply before disclosing them.'] : ['Restricted records are not in this export: professional standards must run it for those.']),
      'Records redacted under the retention schedule hold no personal data and are not listed.',
    ];
    if (req.format === 'jsonl') return { ok: true, message: `${entries.length} record(s) about ${name}; ${redactions} third-party redaction(s).`, output: [JSON.stringify({ notes }), ...entries.map((e) => JSON.stringify(e))].join('\n') + '\n' };
    const html = recordsHtml({
      title: `Subject access: ${name}`, intro: notes,
      records: entries.map((e) => ({ seq: e.seq, at: e.at, action: e.action, outcome: e.outcome as DecisionRecord['outcome'], ...(e.subject ? { subject: e.subject } : {}), details: { disclosed: JSON.stringify(e.content, null, 1), third_party_redactions: e.thirdPartyRedactions }, prev: '', hash: '(see the decision log)' })),
      footer: ['Prepared by Bluedesk for review by a disclosure officer. Not for release without review.'],
    });
    return { ok: true, message: `${entries.length} record(s) about ${name}; ${redactions} third-party redaction(s). Review before disclosure.`, output: html };
  }

  private async retention(actor: Actor): Promise<RecordsResult> {
    if (!this.deps.retention) return { ok: false, message: 'No retention schedule is configured (records.retention in the force config): nothing is disposed of.' };
    const r = await this.deps.retention.run(actor, 'command line');
    const subjects = r.disposals.reduce((n, d) => n + d.subjects.length, 0);
    return { ok: true, message: [
      `Retention run at ${r.at}: ${subjects} subject(s) disposed of, ${r.redacted} log record(s) redacted${r.disposals.length ? ` (${r.disposals.map((d) => d.id).join(', ')})` : ''}.`,
      ...(r.held.length ? [`Kept by legal hold: ${r.held.join(', ')}.`] : []),
      ...(r.review.length ? [`Due for review: ${r.review.map((v) => `${v.ref} (${v.cls})`).join(', ')}.`] : []),
      'The disposal report is recorded in the decision log.',
    ].join('\n') };
  }

  private async logHead(actor: Actor): Promise<RecordsResult> {
    const p = await this.deps.anchor.publish(actor, 'command line');
    return { ok: true, message: [
      `Chain head: seq ${p.head.seq}, SHA-256 ${p.head.hash}`,
      `Records channel: ${p.queued ? `queued for ${p.queued} place(s)` : 'not posted (no records channel configured, or the server is not running to send it)'}; syslog: ${p.syslog}.`,
      `Prove it later with: npm run verify-log -- --against ${p.head.seq}:${p.head.hash}`,
    ].join('\n') };
  }

  private consulted(actor: Actor, action: 'records.consulted' | 'records.exported', details: Record<string, unknown>, shown: readonly DecisionRecord[], all: readonly DecisionRecord[], subject?: { type: string; id: string }): Promise<void> {
    return recordConsultation(this.deps, actor, { action, details, ...(subject ? { subject } : {}) }, shown, all);
  }
}
