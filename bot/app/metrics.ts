import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ChainHead, DecisionEntry, DecisionLog, DecisionRecord, LogQuery } from '../domain/decision-log.ts';
import type { StateStore } from '../../data/state-store.ts';
import type { WriteTiming } from '../../data/pg/write-sql.ts';

/** Where the gauges read from at each scrape. */
export interface MetricSources {
  outbox: () => { depth: number; waiting: number; oldestAgeSeconds: number; deadLetters: number };
  /** Slack's connection as last checked: `ok`, `checking`, `unreachable` or `off`. */
  slackState: () => string;
  dialogsInProgress: () => number;
  stateBytes: () => number;
  /** Subscribes to each committed write transaction's timing, where storage is shared (PostgreSQL). */
  storageWrites?: (observe: (t: WriteTiming) => void) => void;
}

const SEVERITY = ['severity'] as const;
const LOCK_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * Bluedesk's Prometheus metrics, in a registry of its own (so two instances
 * in one process, as in tests, never share counters). Escalation counts are
 * read off the decision log as records are appended: the log is where every
 * change is, so nothing in the domain has to remember to count.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly raised = new Counter({ name: 'bluedesk_escalations_raised_total', help: 'Escalations raised, by severity', labelNames: SEVERITY, registers: [this.registry] });
  private readonly acknowledged = new Counter({ name: 'bluedesk_escalations_acknowledged_total', help: 'Escalations acknowledged, by severity', labelNames: SEVERITY, registers: [this.registry] });
  private readonly breached = new Counter({ name: 'bluedesk_escalations_sla_breached_total', help: 'SLA breaches recorded, by severity', labelNames: SEVERITY, registers: [this.registry] });
  private readonly timeToAck = new Histogram({
    name: 'bluedesk_escalation_time_to_acknowledge_seconds', help: 'From raised to acknowledged, by severity', labelNames: SEVERITY,
    buckets: [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400], registers: [this.registry],
  });
  private readonly deadTotal = new Counter({ name: 'bluedesk_dead_letters_total', help: 'Messages given up (dead-lettered), by platform: alert on any increase', labelNames: ['platform'] as const, registers: [this.registry] });
  private readonly apiErrors = new Counter({ name: 'bluedesk_platform_api_errors_total', help: 'Failed Teams and Slack calls by the outbox, by platform and HTTP status (or failure kind)', labelNames: ['platform', 'code'] as const, registers: [this.registry] });
  private readonly http = new Histogram({
    name: 'bluedesk_http_request_duration_seconds', help: 'HTTP request latency on the main port, by route, method and status', labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry],
  });
  private readonly append = new Histogram({ name: 'bluedesk_decision_log_append_seconds', help: 'Time to append (and fsync) one decision-log record', buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [this.registry] });

  private readonly lockWait = new Histogram({ name: 'bluedesk_storage_write_lock_wait_seconds', help: 'PostgreSQL: time a write transaction waited for the cluster-wide write lock (and read what other instances wrote)', buckets: LOCK_BUCKETS, registers: [this.registry] });
  private readonly lockHeld = new Histogram({ name: 'bluedesk_storage_write_lock_held_seconds', help: 'PostgreSQL: time a write transaction held the cluster-wide write lock, until its commit returned', buckets: LOCK_BUCKETS, registers: [this.registry] });
  private readonly changesWritten = new Counter({ name: 'bluedesk_storage_changes_written_total', help: 'PostgreSQL: changes and records committed (several share a transaction)', registers: [this.registry] });

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    new Gauge({ name: 'bluedesk_outbox_depth', help: 'Messages and card updates waiting to be delivered', registers, collect() { this.set(sources.outbox().depth); } });
    new Gauge({ name: 'bluedesk_outbox_waiting', help: 'Outbox items waiting for a place that cannot be reached yet', registers, collect() { this.set(sources.outbox().waiting); } });
    new Gauge({ name: 'bluedesk_outbox_oldest_age_seconds', help: 'Age of the oldest item in the outbox', registers, collect() { this.set(sources.outbox().oldestAgeSeconds); } });
    new Gauge({ name: 'bluedesk_outbox_dead_letters', help: 'Items on the dead-letter list', registers, collect() { this.set(sources.outbox().deadLetters); } });
    new Gauge({ name: 'bluedesk_slack_reachable', help: 'Slack answers (1), does not (0); absent while Slack is off or being checked', registers, collect() {
      const state = sources.slackState();
      if (state === 'ok' || state === 'unreachable') this.set(state === 'ok' ? 1 : 0);
      else this.reset();
    } });
    new Gauge({ name: 'bluedesk_dialogs_in_progress', help: 'Guided dialogs open now', registers, collect() { this.set(sources.dialogsInProgress()); } });
    new Gauge({ name: 'bluedesk_state_bytes', help: 'Size of the working state as last written', registers, collect() { this.set(sources.stateBytes()); } });
    collectDefaultMetrics({ register: this.registry, prefix: 'bluedesk_' });
    sources.storageWrites?.((t) => this.storageWrite(t));
  }

  /** Counts what a decision-log record says happened. */
  recorded(r: DecisionRecord): void {
    if (r.outcome !== 'done') return;
    const e = (r.wal?.value ?? {}) as { severity?: string; raised?: { at?: string }; acknowledged?: { at?: string } };
    // A change carries its record's after-image; a timer's record (an SLA breach) says the severity in its details.
    const severity = e.severity ?? (typeof r.details?.severity === 'string' ? r.details.severity : 'unknown');
    if (r.action === 'escalation.raised') this.raised.inc({ severity });
    else if (r.action === 'escalation.sla_breached') this.breached.inc({ severity });
    else if (r.action === 'escalation.acknowledged') {
      this.acknowledged.inc({ severity });
      const from = Date.parse(e.raised?.at ?? '');
      const to = Date.parse(e.acknowledged?.at ?? '');
      if (Number.isFinite(from) && Number.isFinite(to)) this.timeToAck.observe({ severity }, Math.max(0, (to - from) / 1000));
    }
  }

  request(route: string, method: string, status: number, seconds: number): void {
    this.http.observe({ route, method, status: String(status) }, seconds);
  }

  platformError(platform: string, code: string): void {
    this.apiErrors.inc({ platform, code });
  }

  deadLettered(platform: string): void {
    this.deadTotal.inc({ platform });
  }

  appended(seconds: number): void {
    this.append.observe(seconds);
  }

  private storageWrite(t: WriteTiming): void {
    this.lockWait.observe(t.waitSeconds);
    this.lockHeld.observe(t.heldSeconds);
    this.changesWritten.inc(t.changes);
  }
}

/** The decision log, timed and counted: each append's duration, and what it recorded. */
export class MeteredLog implements DecisionLog {
  constructor(private readonly inner: DecisionLog, private readonly metrics: Metrics) {
    // Offered only when the backend offers it, so callers can tell.
    if (!inner.appendWith) this.appendWith = undefined as never;
  }

  async append(entry: DecisionEntry): Promise<DecisionRecord> {
    const started = process.hrtime.bigint();
    const record = await this.inner.append(entry);
    this.metrics.appended(Number(process.hrtime.bigint() - started) / 1e9);
    this.metrics.recorded(record);
    return record;
  }

  async appendWith<S>(entry: DecisionEntry | ((s: Readonly<S>) => DecisionEntry), store: StateStore<S>, change: (s: S, record: DecisionRecord) => void): Promise<DecisionRecord> {
    const started = process.hrtime.bigint();
    const record = await this.inner.appendWith!(entry, store, change);
    this.metrics.appended(Number(process.hrtime.bigint() - started) / 1e9);
    this.metrics.recorded(record);
    return record;
  }

  forSubject(type: string, id: string): Promise<DecisionRecord[]> { return this.inner.forSubject(type, id); }
  recordsAfter(seq: number): Promise<DecisionRecord[]> { return this.inner.recordsAfter(seq); }
  query(q: LogQuery): Promise<DecisionRecord[]> { return this.inner.query(q); }
  head(): Promise<ChainHead> { return this.inner.head(); }
  redact(seqs: readonly number[], by: number): Promise<number> { return this.inner.redact(seqs, by); }
  close(): Promise<void> { return this.inner.close(); }
}
