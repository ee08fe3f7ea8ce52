import type { WritableArchive } from '../../domain/record-keeper.ts';
import { notice, type NoticeModel } from '../../../cards/notice/model.ts';
import type { StateStore } from '../../../data/state-store.ts';
import type { RetentionConfig } from '../../config/schema-records.ts';
import type { CheckpointedLog } from '../../domain/checkpoint.ts';
import { dailyDue, type Clock } from '../../domain/clock.ts';
import type { LegalHolds } from '../../domain/legal-holds.ts';
import type { Actor } from '../../domain/people.ts';
import { actorRef, type RecordKeeper } from '../../domain/record-keeper.ts';
import type { Disposal, RecordsState } from '../../domain/records-types.ts';
import { DISPOSAL_ACTION, planRetention, SUBJECT_KINDS, type RetentionPlan } from '../../domain/retention.ts';
import type { Logger } from '../../log.ts';

/** What one run of the retention job did. */
export interface RetentionReport {
  at: string;
  disposals: Array<{ id: string; subjects: string[]; records: number }>;
  /** Records redacted in the log, across the run's disposals. */
  redacted: number;
  held: string[];
  review: RetentionPlan['review'];
  byClass: Record<string, number>;
}

/** At most this many log records per disposal record, so each stays a readable size. */
const CHUNK = 500;

/**
 * The disposal job. Each disposal is one decision-log record carrying what it
 * removes from state (so a crash cannot half-apply it); the log's copies of
 * the subjects' records are then redacted, keeping their hashes, and
 * start-up finishes any redaction a crash cut short. Every run records a
 * report, and posts it to the records channel when there is one.
 */
export class RetentionJob {
  constructor(
    private readonly deps: {
      cfg: RetentionConfig;
      store: StateStore<RecordsState>;
      log: CheckpointedLog;
      keeper: RecordKeeper<Disposal, RecordsState>;
      holds: LegalHolds;
      clock: Clock;
      logger: Logger;
      announce?: (message: NoticeModel) => Promise<number>;
      /** Archives of finished subjects out of hot state, by subject type: a disposal removes its subjects from them too. */
      archives?: Record<string, WritableArchive<unknown>>;
    },
  ) {}

  async run(actor: Actor, trigger: 'daily timer' | 'command line' | 'chat'): Promise<RetentionReport> {
    const { cfg, store, log, clock } = this.deps;
    const now = clock.now();
    const records = await log.query({});
    // Archives that read from a database are asked once, up front, for every subject planning may need.
    for (const [type, archive] of Object.entries(this.deps.archives ?? {})) {
      const hot = (store.read() as unknown as Record<string, Record<string, unknown>>)[SUBJECT_KINDS[type]?.collection ?? ''] ?? {};
      const ids = [...new Set(records.filter((r) => r.subject?.type === type && !Object.hasOwn(hot, r.subject.id)).map((r) => r.subject!.id))];
      if (ids.length) await archive.prefetch?.(ids);
    }
    const plan = planRetention({
      state: store.read() as unknown as Record<string, Record<string, unknown>>, records, cfg,
      held: this.deps.holds.heldSubjects(), now, ...(store.read().recordsJobs.retention ? { lastRunAt: store.read().recordsJobs.retention } : {}),
      archived: (type, id) => this.deps.archives?.[type]?.get(id),
    });
    const report: RetentionReport = { at: now.toISOString(), disposals: [], redacted: 0, held: plan.held.map((h) => h.id), review: plan.review, byClass: {} };
    for (const part of chunks(plan)) {
      const rules = [...new Set(part.subjects.map((s) => s.cls).concat(part.loose))].sort();
      const disposal = await this.deps.keeper.create(actor, DISPOSAL_ACTION, (id, stamp) => ({
        id, at: stamp.at, subjects: part.subjects.map((s) => s.id), records: part.seqs.length, rules, logRedacted: false, copies: [],
      }), (d) => ({ rules, subjects: d.subjects, seqs: part.seqs, trigger }), undefined, undefined, () => part.subjects.flatMap((s) => {
        const collection = SUBJECT_KINDS[s.type]!.collection;
        // A surge's digest copies go with it.
        const digests = s.type === 'surge' ? Object.values((store.read() as unknown as { surgeDigests: Record<string, { id: string; surgeId: string }> }).surgeDigests ?? {}).filter((g) => g.surgeId === s.id).map((g) => ({ collection: 'surgeDigests', id: g.id, value: null })) : [];
        return [{ collection, id: s.id, value: null }, ...digests];
      }));
      report.redacted += await this.redactFor(disposal);
      report.disposals.push({ id: disposal.id, subjects: disposal.subjects, records: disposal.records });
      for (const s of part.subjects) report.byClass[s.cls] = (report.byClass[s.cls] ?? 0) + 1;
      for (const c of part.loose) report.byClass[c] ??= 0;
    }
    await log.append({
      action: 'records.disposal_report', outcome: 'done', actor: actorRef(actor),
      details: { trigger, setBy: cfg.setBy, disposals: report.disposals.map((d) => d.id), subjects: report.byClass, redacted: report.redacted, held: report.held, review: report.review },
    });
    await store.update((s) => { s.recordsJobs.retention = report.at; });
    await this.deps.announce?.(describeReport(report)).catch((err: unknown) => this.deps.logger.warn('could not queue the disposal report for the records channel', { error: String(err) }));
    return report;
  }

  /** Runs once a day at the configured time (UTC), catching up if the server was down then. */
  async tick(actor: Actor): Promise<number> {
    if (!dailyDue(this.deps.clock.now(), this.deps.cfg.runAtUtc, this.deps.store.read().recordsJobs.retention)) return 0;
    await this.run(actor, 'daily timer');
    return 1;
  }

  /** Finishes the log redaction of any disposal a crash cut short. */
  async reconcile(): Promise<number> {
    let done = 0;
    for (const d of Object.values(this.deps.store.read().disposals)) if (!d.logRedacted) done += await this.redactFor(d);
    return done;
  }

  private async redactFor(d: Disposal): Promise<number> {
    const [record] = await this.deps.log.forSubject('disposal', d.id);
    // Subjects already archived out of hot state go from the archive too (idempotent, so start-up can finish it).
    for (const archive of Object.values(this.deps.archives ?? {})) await archive.remove(d.subjects);
    const seqs = (record?.details as { seqs?: number[] } | undefined)?.seqs ?? [];
    const n = record ? await this.deps.log.redact(seqs, record.seq) : 0;
    await this.deps.store.update((s) => { if (Object.hasOwn(s.disposals, d.id)) s.disposals[d.id]!.logRedacted = true; });
    return n;
  }
}

/** The plan in disposal-sized parts: whole subjects (never split), then records about no subject. */
function* chunks(plan: RetentionPlan): Generator<{ subjects: RetentionPlan['subjects']; seqs: number[]; loose: string[] }> {
  let part = { subjects: [] as RetentionPlan['subjects'], seqs: [] as number[], loose: [] as string[] };
  for (const s of plan.subjects) {
    part.subjects.push(s);
    part.seqs.push(...s.seqs);
    if (part.seqs.length >= CHUNK) {
      yield part;
      part = { subjects: [], seqs: [], loose: [] };
    }
  }
  for (const r of plan.loose) {
    part.seqs.push(r.seq);
    if (!part.loose.includes(r.cls)) part.loose.push(r.cls);
    if (part.seqs.length >= CHUNK) {
      yield part;
      part = { subjects: [], seqs: [], loose: [] };
    }
  }
  if (part.seqs.length) yield part;
}

function describeReport(r: RetentionReport): NoticeModel {
  const classes = Object.entries(r.byClass).map(([c, n]) => `${c}: ${n}`).join(', ');
  return notice(r.disposals.length || r.review.length ? 'info' : 'success', 'Retention: disposal report',
    r.disposals.length ? `Disposed of ${r.disposals.reduce((n, d) => n + d.subjects.length, 0)} record(s) (${classes || 'records about no subject'}); ${r.redacted} log record(s) redacted under ${r.disposals.map((d) => d.id).join(', ')}.` : 'Nothing was past its disposal period.',
    ...(r.held.length ? [`Kept by a legal hold: ${r.held.join(', ')}.`] : []),
    ...(r.review.length ? [`Due for review by information management: ${r.review.map((v) => `${v.ref} (${v.cls})`).join(', ')}.`] : []),
    'The decision log still verifies: redacted records keep their hashes (npm run verify-log).');
}
