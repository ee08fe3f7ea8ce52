import type { LeaversConfig } from '../config/schema-operations.ts';
import { ukDate } from '../domain/account-domain.ts';
import type { Clock } from '../domain/clock.ts';
import { SYSTEM_ACTOR } from '../domain/escalations.ts';
import type { LeaverCase } from '../domain/leaver-types.ts';
import type { LeaverCases } from '../domain/leavers.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The instant (UTC ISO) the UK day after `date` (YYYY-MM-DD) begins: the end of `date` in UK time, GMT or BST. */
export function ukEndOfDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d + 1);
  // At midnight UTC the UK clock reads 00 (GMT) or 01 (BST).
  const ukHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hour12: false }).format(new Date(utcMidnight))) % 24;
  return new Date(utcMidnight - ukHour * HOUR).toISOString();
}

/**
 * When a case counts as overdue, and goes to the escalation people: a
 * PSD-related case is due at once but overdue only after
 * `psd.escalateAfterHours` (it is not "overdue" the moment it opens); any
 * other after the end of its effective date and `escalateAfterHoursOverdue`.
 */
export function overdueAt(c: LeaverCase, config: Pick<LeaversConfig, 'psd' | 'escalateAfterHoursOverdue'>): string {
  const due = Date.parse(c.dueAt);
  return new Date(c.psd === 'yes' ? due + config.psd.escalateAfterHours * HOUR : due + config.escalateAfterHoursOverdue * HOUR).toISOString();
}

/**
 * The leaver calendar, run with the SLA timers on the injected clock every
 * 15 s (and at start-up, so what fell due while the bot was down happens
 * then). Everything it decides is derived from the case as stored, and each
 * step is recorded on the case with the messages it sends, so a restart
 * neither repeats nor skips one:
 * - on the effective date, the person's Bluedesk roles are removed;
 * - a PSD-related case (due at once) reminds its assignees within the hour
 *   and then regularly, and goes to the escalation people after N hours;
 * - any other case reminds before its effective date and escalates once overdue;
 * - a case whose items are all done completes once the register agrees.
 */
export class LeaverTimers {
  constructor(private readonly deps: { cases: LeaverCases; complete: (id: string) => Promise<{ kind: string }>; config: LeaversConfig; clock: Clock }) {}

  async tick(): Promise<number> {
    const { cases, clock } = this.deps;
    const now = clock.now();
    const iso = now.toISOString();
    let fired = 0;
    for (const c of cases.all().filter((x) => x.status === 'open')) {
      if (ukDate(now) >= c.effectiveDate && c.items.some((i) => i.task === 'bluedesk_roles' && !i.done)) {
        if ((await cases.removeRoles(SYSTEM_ACTOR, c.id, iso)).kind === 'done') fired += 1;
        continue;
      }
      if (c.items.every((i) => i.done)) {
        if ((await this.deps.complete(c.id)).kind === 'done') fired += 1;
        continue;
      }
      const due = this.remindersDue(c, now.getTime());
      if (due > c.reminders) {
        await cases.chase(SYSTEM_ACTOR, c.id, { reminders: due }, iso);
        fired += 1;
      }
      if (!c.escalatedAt && now.getTime() >= this.escalateAt(c)) {
        await cases.chase(SYSTEM_ACTOR, c.id, 'escalated', iso);
        fired += 1;
      }
    }
    return fired;
  }

  /** How many reminders should have gone by now. Times before the case opened never count: a new case is not reminded at once. */
  private remindersDue(c: LeaverCase, now: number): number {
    const opened = Date.parse(c.requester.at);
    const due = Date.parse(c.dueAt);
    const { psd, remindDaysBefore } = this.deps.config;
    if (c.psd === 'yes') {
      const first = due + psd.firstReminderMinutes * MINUTE;
      return now < first ? 0 : 1 + Math.floor((now - first) / (psd.reminderEveryMinutes * MINUTE));
    }
    // Other cases: a reminder at the start of each of the configured days before the effective date.
    const startOfEffective = due - DAY;
    return [...new Set(remindDaysBefore)].map((d) => startOfEffective - d * DAY).filter((t) => t > opened && t <= now).length;
  }

  private escalateAt(c: LeaverCase): number {
    return Date.parse(overdueAt(c, this.deps.config));
  }
}
