import type { DecisionLog, DecisionRecord } from '../../domain/decision-log.ts';
import type { Actor } from '../../domain/people.ts';
import { actorRef } from '../../domain/record-keeper.ts';
import type { RecordVisibility } from './visibility.ts';

/**
 * Records that someone read the log (a search, a timeline, an export, a
 * report): who, when, what they asked and which subjects they saw, as the
 * consultation logging Part 3 of the DPA 2018 asks for. The record is
 * restricted itself when it names restricted records, so the access log
 * leaks nothing either; and whatever someone who may read restricted
 * records (PSD, information security) asks is restricted, found or not:
 * their search words alone can say what an investigation is about.
 */
export async function recordConsultation(
  deps: { log: DecisionLog; visibility: RecordVisibility },
  actor: Actor,
  what: { action: 'records.consulted' | 'records.exported'; details: Record<string, unknown>; subject?: { type: string; id: string } },
  shown: readonly DecisionRecord[],
  all: readonly DecisionRecord[],
): Promise<void> {
  const restrictedSubjects = deps.visibility.restrictedSubjects(all);
  const restricted = deps.visibility.mayViewRestricted(actor.person) || shown.some((r) => deps.visibility.isRestricted(r, restrictedSubjects));
  await deps.log.append({
    action: what.action, outcome: 'done', actor: actorRef(actor), ...(what.subject ? { subject: what.subject } : {}),
    details: { ...Object.fromEntries(Object.entries(what.details).filter(([, v]) => v !== undefined)), subjects: [...new Set(shown.flatMap((r) => (r.subject ? [r.subject.id] : [])))].slice(0, 50) },
    ...(restricted ? { restricted: true } : {}),
  });
}
