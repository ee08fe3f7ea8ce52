import type { CardView } from '../../cards/index.ts';
import { notice } from '../../cards/notice/model.ts';
import { surgeDigestCard } from '../../cards/surge-digest/model.ts';
import { surgeSummaryCard } from '../../cards/surge-summary/model.ts';
import type { StateStore } from '../../data/state-store.ts';
import type { RouteTarget, SurgeConfig } from '../config/schema-operations.ts';
import type { Notify } from '../domain/checkpoint.ts';
import type { Clock } from '../domain/clock.ts';
import type { DecisionEntry, DecisionLog } from '../domain/decision-log.ts';
import type { Escalations } from '../domain/escalations.ts';
import { actorRef, SYSTEM_ACTOR } from '../domain/escalations.ts';
import type { Actor } from '../domain/people.ts';
import type { Outcome } from '../domain/record-keeper.ts';
import { summarise, type SurgeSummary } from '../domain/surge-summary.ts';
import type { Surge, SurgeDigest, SurgeState } from '../domain/surge-types.ts';
import type { Surges } from '../domain/surges.ts';
import type { BackgroundTasks } from './background.ts';
import type { Delivery } from './delivery.ts';
import type { OutboxState } from './outbox/types.ts';
import type { ChartFiles } from './chart-files.ts';
import { CHART_SCALE, renderSurgeChart } from './surge-chart.ts';

/** The outbox kind of a surge's digest. */
export const DIGEST_KIND = 'surge-digest';

/**
 * What runs around a surge: which surge a new escalation falls under, the
 * digest (posted once per channel, refreshed in place every interval), the
 * rota reminder and backup call on the timer, and stand-down with its
 * summary and chart. The chart PNG is kept under DATA_DIR/charts by its
 * SHA-256, which a `surge.chart_kept` record carries.
 */
export class SurgeOps {
  constructor(
    private readonly deps: {
      surges: Surges; escalations: Escalations; delivery: Delivery; store: StateStore<SurgeState & OutboxState>; config: SurgeConfig; clock: Clock;
      log: DecisionLog; tasks: BackgroundTasks;
      charts: ChartFiles; publicUrl?: string | undefined; names: { person: (id: string) => string };
      /** Of these people, those who may be called in now (the directory's recipients). */
      callable: (ids: readonly string[]) => string[];
    },
  ) {}

  /** The surge a new escalation falls under: the active one at the highest level. */
  now(): { id: string; level: number; digestFrom: 'high' | 'medium' | 'low' } | undefined {
    const top = this.deps.surges.active().sort((a, b) => b.level - a.level || a.activated.at.localeCompare(b.activated.at))[0];
    return top ? { id: top.id, level: top.level, digestFrom: this.deps.config.digest.from } : undefined;
  }

  /**
   * The digest card as of its last refresh: escalations raised since then
   * wait for the next one, so the card changes (and costs a call) at most
   * once an interval, however fast escalations arrive.
   */
  digestView(d: SurgeDigest): CardView | undefined {
    const s = this.deps.surges.get(d.surgeId);
    if (!s) return undefined;
    const listed = this.deps.escalations.all().filter((e) => e.surge?.id === s.id && e.surge.digest && (!d.refreshedAt || e.raised.at <= d.refreshedAt));
    return { kind: 'record-list', model: surgeDigestCard(s, listed, { newest: this.deps.config.digest.newest, from: this.deps.config.digest.from }) };
  }

  /** Messages written with a surge change: the reminder to rota members who have not answered. */
  notifyFor(s: Surge, entry: DecisionEntry): Notify[] | undefined {
    if (entry.action !== 'surge.reminded') return undefined;
    const silent = ((entry.details as { notAnswered?: string[] } | undefined)?.notAnswered ?? []);
    return [{ people: silent, message: { kind: 'notice', model: notice('warning', `Surge ${s.id}: can you come in?`, `${s.incidentName}, level ${s.level}. Answer Available now, Available from or Unavailable on the surge card.`) } }];
  }

  /**
   * Records the stand-down with its figures (the chart's data included),
   * then, after the answer (drawing takes longer than Slack's 3 seconds
   * allow on a first run), renders the chart, keeps it, records its hash and
   * posts the summary.
   */
  async standDown(actor: Actor, id: string, debrief: string): Promise<Outcome<Surge>> {
    const s = this.deps.surges.get(id);
    if (!s || s.status !== 'active') return this.deps.surges.standDown(actor, id, debrief, {});
    const { buckets, ...figures } = summarise(s, this.deps.escalations.all(), this.deps.clock.now().toISOString());
    const outcome = await this.deps.surges.standDown(actor, id, debrief, { ...figures, perQuarterHour: buckets.bySeverity, levelChanges: buckets.levels });
    if (outcome.kind === 'done') this.deps.tasks.run(`surge summary ${id}`, () => this.summarise(outcome.record));
    return outcome;
  }

  /** Draws and keeps the chart (once: its hash is recorded as `surge.chart_kept`), then posts the summary card. */
  private async summarise(s: Surge): Promise<void> {
    const sum = summarise(s, this.deps.escalations.all(), s.standDown!.at);
    const kept = (await this.deps.log.forSubject('surge', s.id)).find((r) => r.action === 'surge.chart_kept');
    let sha = (kept?.details as { sha256?: string } | undefined)?.sha256;
    if (!sha || !(await this.deps.charts.has(sha))) {
      // Hourly marks read best; the quarter hours are the bars.
      const label = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hour12: false, ...(sum.minutes > 20 * 60 ? { weekday: 'short' } : {}) });
      const data = {
        title: `Escalations · ${s.incidentName} (${s.id})`,
        labels: sum.buckets.starts.map((t) => label.format(new Date(t))),
        bySeverity: sum.buckets.bySeverity,
        levels: sum.buckets.levels,
      };
      const full = await renderSurgeChart(data, CHART_SCALE.full);
      const card = await renderSurgeChart(data, CHART_SCALE.card);
      await this.deps.charts.keep(full.sha256, full.png, card.png);
      if (full.sha256 !== sha) await this.deps.log.append({ action: 'surge.chart_kept', outcome: 'done', actor: actorRef(SYSTEM_ACTOR), subject: { type: 'surge', id: s.id }, details: { sha256: full.sha256, bytes: full.png.length, cardBytes: card.png.length } });
      sha = full.sha256;
    }
    await this.postSummary(s, sum, sha);
  }

  /** Timer work: the rota reminder and backup call, and refreshing digests. Returns how many things it did. */
  async tick(): Promise<number> {
    const { surges, config, clock } = this.deps;
    const now = clock.now().getTime();
    let done = 0;
    for (const s of surges.active()) {
      const age = (now - Date.parse(s.activated.at)) / 60_000;
      const silent = s.called.some((p) => !s.answers[p]);
      if (silent && !s.remindedAt && age >= config.remindAfterMinutes && (await surges.chase(SYSTEM_ACTOR, s.id, 'reminded')).kind === 'done') done += 1;
      const backup = this.deps.callable(config.backup);
      if (silent && !s.backupCalledAt && backup.length && age >= config.backupAfterMinutes && (await surges.chase(SYSTEM_ACTOR, s.id, 'backup_called', backup)).kind === 'done') done += 1;
    }
    for (const s of surges.all()) done += await this.refreshDigest(s);
    return done;
  }

  /** Draws and posts the summary of any stood-down surge a crash or stop kept from being posted. Run at start-up, after serving begins. */
  reconcile(): void {
    for (const s of this.deps.surges.all().filter((x) => x.status === 'stood_down' && !this.digest(x.id)?.summaryPosted)) this.deps.tasks.run(`surge summary ${s.id}`, () => this.summarise(s));
  }

  /** Posts the digest to each channel once it lists something, and refreshes its copies every interval (an unchanged card costs no call). */
  private async refreshDigest(s: Surge): Promise<number> {
    const d = this.digest(s.id);
    const now = this.deps.clock.now();
    // Cheap checks first: a surge long stood down, or refreshed within the interval, reads no escalations.
    if (s.status !== 'active' && (d?.refreshedAt ? d.refreshedAt >= s.standDown!.at : now.getTime() - Date.parse(s.standDown!.at) > 3_600_000)) return 0;
    if (d?.refreshedAt && now.getTime() - Date.parse(d.refreshedAt) < this.deps.config.digest.intervalSeconds * 1000 && s.status === 'active') return 0;
    const listed = this.deps.escalations.all().filter((e) => e.surge?.id === s.id && e.surge.digest);
    if (!listed.length) return 0;
    const channels: RouteTarget[] = [...this.deps.config.channels, ...listed.flatMap((e) => e.route.targets)].filter((t) => 'channel' in t);
    const places = this.deps.delivery.places(channels, '');
    const { outbox } = this.deps.delivery;
    await this.deps.store.update((st) => {
      const digest = (st.surgeDigests[`${s.id}-DIGEST`] ??= { id: `${s.id}-DIGEST`, surgeId: s.id, copies: [] });
      digest.refreshedAt = now.toISOString();
      outbox.queueUpdates(st, { kind: DIGEST_KIND, id: digest.id }, digest.copies);
      outbox.queuePosts(st, { subject: { kind: DIGEST_KIND, id: digest.id } }, places);
    });
    outbox.kick();
    return 1;
  }

  private async postSummary(s: Surge, sum: SurgeSummary, sha256: string): Promise<void> {
    const url = this.deps.publicUrl ? `${this.deps.publicUrl.replace(/\/$/, '')}/surge-charts/${sha256}.png` : undefined;
    const view: CardView = { kind: 'case', model: surgeSummaryCard(s, sum, this.deps.names, { sha256, ...(url ? { url } : {}) }) };
    const places = this.deps.delivery.resolve({ targets: this.deps.config.channels, people: [s.inChargeId], area: '' });
    const { outbox } = this.deps.delivery;
    await this.deps.store.update((st) => {
      const digest = (st.surgeDigests[`${s.id}-DIGEST`] ??= { id: `${s.id}-DIGEST`, surgeId: s.id, copies: [] });
      if (digest.summaryPosted) return;
      digest.summaryPosted = true;
      outbox.queuePosts(st, { view, label: `${s.id}-summary` }, places);
    });
    outbox.kick();
  }

  private digest(surgeId: string): SurgeDigest | undefined {
    const all = this.deps.store.read().surgeDigests;
    return Object.hasOwn(all, `${surgeId}-DIGEST`) ? all[`${surgeId}-DIGEST`] : undefined;
  }
}
