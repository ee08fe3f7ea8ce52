import type { AppealsConfig } from '../config/schema-records.ts';
import { ukDate } from '../domain/account-domain.ts';
import type { Appeal } from '../domain/appeal-types.ts';
import type { Appeals } from '../domain/appeals.ts';
import type { Clock } from '../domain/clock.ts';
import { SYSTEM_ACTOR } from '../domain/escalations.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The appeals calendar, on the 15-second tick and the injected clock. What
 * it decides is derived from the appeal as stored, and each step is recorded
 * on the appeal with the messages it sends, so a restart neither repeats nor
 * skips one:
 * - on a live appeal's review date, its owners are asked to keep, remove or archive it;
 * - while one is being taken down, its owners are reminded (every 30 min
 *   by default when the appeal ended, daily after a review), and
 *   corporate communications are told once it is overdue.
 */
export class AppealTimers {
  constructor(private readonly deps: { appeals: Appeals; config: AppealsConfig; clock: Clock }) {}

  async tick(): Promise<number> {
    const { appeals, clock } = this.deps;
    const now = clock.now();
    const iso = now.toISOString();
    const today = ukDate(now);
    let fired = 0;
    for (const a of appeals.all()) {
      if (a.status === 'live' && a.reviewDate <= today && a.reviewRemindedFor !== a.reviewDate) {
        if ((await appeals.chase(SYSTEM_ACTOR, a.id, { review: a.reviewDate }, iso)).kind === 'done') fired += 1;
      }
      if (a.status !== 'closing' || !a.closing) continue;
      const { every, escalateAfter } = this.pace(a);
      const since = now.getTime() - Date.parse(a.closing.at);
      const due = Math.floor(since / every);
      if (due > a.reminders && (await appeals.chase(SYSTEM_ACTOR, a.id, { reminders: due }, iso)).kind === 'done') fired += 1;
      if (!a.escalatedAt && since >= escalateAfter && (await appeals.chase(SYSTEM_ACTOR, a.id, 'escalated', iso)).kind === 'done') fired += 1;
    }
    return fired;
  }

  private pace(a: Appeal): { every: number; escalateAfter: number } {
    const { urgent, routine } = this.deps.config;
    return a.closing?.urgent
      ? { every: urgent.remindEveryMinutes * MINUTE, escalateAfter: urgent.escalateAfterMinutes * MINUTE }
      : { every: routine.remindEveryHours * HOUR, escalateAfter: routine.escalateAfterHours * HOUR };
  }
}
