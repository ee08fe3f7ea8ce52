import { notice } from '../../cards/notice/model.ts';
import { ukTimeZoned } from '../../cards/format.ts';
import type { StateStore } from '../../data/state-store.ts';
import type { SlaConfig } from '../config/schema-operations.ts';
import type { Clock } from '../domain/clock.ts';
import type { DecisionLog } from '../domain/decision-log.ts';
import type { Escalation } from '../domain/escalation.ts';
import { actorRef, SYSTEM_ACTOR, type Escalations } from '../domain/escalations.ts';
import { KeyedLock } from '../domain/keyed-lock.ts';
import type { Directory } from '../domain/people.ts';
import { describeError, type Logger } from '../log.ts';
import type { Delivery } from './delivery.ts';

/** A persisted SLA timer: one per escalation and kind, so a restart resumes it. */
export interface SlaTimer {
  escalationId: string;
  kind: 'acknowledge' | 'decide';
  dueAt: string;
  /** How many times it has fired. */
  fired: number;
  /** How many times firing it failed in a row; it is retried a few times, then dropped. */
  failures?: number;
  /** For an acknowledge timer: the tier the escalation was at when it was set. */
  tier?: number;
}

/** The slice of state the SLA owns. */
export interface SlaState {
  timers: Record<string, SlaTimer>;
}

const MINUTE = 60_000;

/** The service levels the timers follow: the force's, and its surge profile if it has one. */
export interface SlaProfiles {
  config: SlaConfig | undefined;
  surgeProfile?: Pick<SlaConfig, 'acknowledgeWithinMinutes' | 'decideWithinMinutes'>;
  clock: Clock;
}

/** The service levels an escalation is held to: the surge profile if it was raised during a surge and the force has one. */
function profileOf(p: SlaProfiles, e: Escalation): Pick<SlaConfig, 'acknowledgeWithinMinutes' | 'decideWithinMinutes'> {
  return e.surge && p.surgeProfile ? p.surgeProfile : p.config!;
}

/**
 * Brings an escalation's timers in line with its state, inside the write
 * that changed it (the escalations' card effects call this), so a change and
 * its timers are committed together.
 */
export function alignTimers(p: SlaProfiles, s: SlaState, e: Escalation): void {
  if (!p.config) return;
  const sla = profileOf(p, e);
  const now = p.clock.now().getTime();
  const ack = `${e.id}:acknowledge`;
  const decide = `${e.id}:decide`;
  const wantAck = e.status !== 'closed' && !e.acknowledged;
  const wantDecide = e.status !== 'closed' && !!e.acknowledged && e.decisions.length === 0;
  if (!wantAck) delete s.timers[ack];
  if (!wantDecide) delete s.timers[decide];
  if (wantAck && !s.timers[ack]) {
    const from = e.status === 'open' && e.tier === 0 ? Date.parse(e.raised.at) : now;
    s.timers[ack] = { escalationId: e.id, kind: 'acknowledge', dueAt: iso(from + sla.acknowledgeWithinMinutes[e.severity] * MINUTE), fired: 0, tier: e.tier };
  }
  if (wantDecide && !s.timers[decide]) {
    s.timers[decide] = { escalationId: e.id, kind: 'decide', dueAt: iso(Date.parse(e.acknowledged!.at) + sla.decideWithinMinutes[e.severity] * MINUTE), fired: 0 };
  }
}

/**
 * The SLA ladder. Timers are derived from each escalation's state
 * (`alignTimers`, in the same write as each change), kept in storage, and
 * fired by `tick`, which uses the injected clock: an unacknowledged escalation pulls in the next tier of the ladder each time its
 * acknowledge-within time passes; an acknowledged one with no decision
 * reminds its owner. Timers that fell due while the bot was down fire at once.
 */
export class Sla {
  private readonly lock = new KeyedLock();
  private stopped = false;

  constructor(
    private readonly deps: {
      config: SlaConfig | undefined;
      store: StateStore<SlaState>;
      escalations: Escalations;
      delivery: Delivery;
      directory: Directory;
      log: DecisionLog;
      clock: Clock;
      logger: Logger;
      /** The SLA profile while a surge is active (the force config's `surge.sla`). */
      surgeProfile?: Pick<SlaConfig, 'acknowledgeWithinMinutes' | 'decideWithinMinutes'>;
    },
  ) {}

  /** The name of a ladder tier (1-based), for cards and the log. */
  tierName = (tier: number): string => this.deps.config?.ladder[tier - 1]?.name ?? `tier ${tier}`;

  /** How many tiers the ladder has. */
  get tiers(): number {
    return this.deps.config?.ladder.length ?? 0;
  }

  /** The targets of a ladder tier (1-based). */
  tierTargets(tier: number) {
    return this.deps.config?.ladder[tier - 1]?.targets ?? [];
  }

  /**
   * Brings every open escalation's timers in line, in one write. Run at
   * start-up: changes replayed from the log after a crash are applied
   * without their timers, and a force that turns the SLA on gets them.
   */
  async syncAll(escalations: Escalation[]): Promise<void> {
    if (!this.deps.config) return;
    await this.deps.store.update((s) => {
      for (const e of escalations) alignTimers(this.deps, s, e);
    });
  }

  /** Fires every timer that is due, oldest first, until none is. Returns how many fired. */
  tick(): Promise<number> {
    return this.lock.run('tick', async () => {
      let fired = 0;
      while (!this.stopped) {
        const now = this.deps.clock.now().toISOString();
        const due = Object.entries(this.deps.store.read().timers).filter(([, t]) => t.dueAt <= now).sort((a, b) => a[1].dueAt.localeCompare(b[1].dueAt))[0];
        if (!due) return fired;
        const [key, timer] = due;
        try {
          await this.fire(key, timer);
        } catch (err) {
          if (this.stopped) return fired;
          // Never loop on a failing timer: it is tried again a minute later, and dropped after three failures.
          const failures = (timer.failures ?? 0) + 1;
          this.deps.logger.error('SLA timer failed', { timer: key, failures, error: describeError(err) });
          await this.deps.store.update((s) => {
            if (failures >= 3) delete s.timers[key];
            else if (s.timers[key]) s.timers[key] = { ...s.timers[key]!, failures, dueAt: iso(Date.parse(now) + MINUTE) };
          });
        }
        fired += 1;
      }
      return fired;
    });
  }

  /** Stops firing timers, waiting for a tick under way, so storage is never closed under a running timer. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.lock.run('tick', async () => undefined);
  }

  private async fire(key: string, timer: SlaTimer): Promise<void> {
    const e = this.deps.escalations.get(timer.escalationId);
    const drop = () => this.deps.store.update((s) => { delete s.timers[key]; });
    if (!e) return drop();
    const sla = { ...this.deps.config!, ...profileOf(this.deps, e) };
    const again = (minutes: number, keep: boolean, tier?: number) =>
      this.deps.store.update((s) => {
        if (!keep) delete s.timers[key];
        else s.timers[key] = { ...timer, fired: timer.fired + 1, dueAt: iso(Date.parse(timer.dueAt) + minutes * MINUTE), ...(tier !== undefined ? { tier } : {}) };
      });
    if (timer.kind === 'acknowledge') {
      if (e.acknowledged || e.status === 'closed') return drop();
      // The tier moved on since this timer was set (a crash after the raise but before the timer's
      // write, or a person pressed Escalate): that tier gets its full window, and nothing is raised twice.
      if (timer.tier !== undefined && e.tier > timer.tier) return again(sla.acknowledgeWithinMinutes[e.severity], true, e.tier);
      const raised = await this.deps.escalations.escalateTier(SYSTEM_ACTOR, e.id, this.tiers, this.tierName, (t) => this.tierTargets(t));
      if (raised.kind !== 'done') {
        await this.system(e.id, 'escalation.sla_breached', { tier: e.tier, tierName: this.tierName(e.tier), due: timer.dueAt, severity: e.severity });
        return drop();
      }
      return again(sla.acknowledgeWithinMinutes[e.severity], true, raised.escalation.tier);
    }
    if (e.decisions.length || e.status === 'closed' || !e.owner) return drop();
    const owner = this.deps.directory.get(e.owner.personId);
    if (owner) {
      const within = sla.decideWithinMinutes[e.severity];
      await this.deps.delivery.tell(owner, notice('warning', `${e.id} needs a decision`,
        `You own ${e.id} (${e.severity}), acknowledged at ${ukTimeZoned(e.acknowledged!.at)}. No decision has been recorded.`,
        `You are getting this because the force's service level asks for a decision on a ${e.severity} escalation within ${within} minutes of acknowledgement (reminder ${timer.fired + 1} of ${sla.maxDecisionReminders}).`,
        'Open the alert and use Record decision (no further action is a decision too).'));
    }
    await this.system(e.id, 'escalation.reminded', { to: e.owner.personId, reminder: timer.fired + 1 });
    await again(sla.decideWithinMinutes[e.severity], timer.fired + 1 < sla.maxDecisionReminders);
  }

  private async system(id: string, action: string, details: Record<string, unknown>): Promise<void> {
    await this.deps.log.append({ action, outcome: 'done', actor: actorRef(SYSTEM_ACTOR), subject: { type: 'escalation', id }, details });
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
