import type { Actor } from './people.ts';
import { authorise } from './policy.ts';
import type { RecordKeeper } from './record-keeper.ts';
import type { LegalHold, RecordsState } from './records-types.ts';
import { recordRefusal } from './refusals.ts';
import type { SubjectRef } from './retention.ts';
import type { DecisionLog } from './decision-log.ts';

/** What placing or lifting a hold came to. */
export type HoldOutcome =
  | { kind: 'done'; hold: LegalHold }
  | { kind: 'refused' | 'invalid'; reason: string }
  | { kind: 'exists'; hold: LegalHold };

/**
 * Legal holds on subjects. Placing and lifting are decisions like any other:
 * in the log, with who, when and why; a hold stops the retention job
 * disposing of its subject until it is lifted.
 */
export class LegalHolds {
  constructor(
    private readonly keeper: RecordKeeper<LegalHold, RecordsState>,
    private readonly log: DecisionLog,
    private readonly isRestricted: (subject: SubjectRef) => boolean,
  ) {}

  all(): LegalHold[] {
    return this.keeper.all();
  }

  /** `type:id` of every subject under an active hold. */
  heldSubjects(): Set<string> {
    return new Set(this.all().filter((h) => h.status === 'active').map((h) => `${h.subject.type}:${h.subject.id}`));
  }

  activeFor(subject: SubjectRef): LegalHold | undefined {
    return this.all().find((h) => h.status === 'active' && h.subject.type === subject.type && h.subject.id === subject.id);
  }

  async place(actor: Actor, subject: SubjectRef, reason: string): Promise<HoldOutcome> {
    const verdict = authorise(actor.person, 'records.hold');
    if (!verdict.allowed) {
      await recordRefusal(this.log, actor, 'records.hold', verdict.reason, subject);
      return { kind: 'refused', reason: verdict.reason };
    }
    if (!reason.trim()) return { kind: 'invalid', reason: 'Give the reason for the hold (the matter, claim or request it preserves records for).' };
    const existing = this.activeFor(subject);
    if (existing) return { kind: 'exists', hold: existing };
    const hold = await this.keeper.create(actor, 'records.hold_placed', (id, stamp) => ({
      id, subject: { ...subject }, reason: reason.trim().slice(0, 1000), status: 'active', placed: stamp, copies: [], ...(this.isRestricted(subject) ? { restricted: true } : {}),
    }), (h) => ({ on: h.subject, reason: h.reason }));
    return { kind: 'done', hold };
  }

  async lift(actor: Actor, holdId: string, reason: string): Promise<HoldOutcome | { kind: 'not-found' }> {
    if (!reason.trim()) return { kind: 'invalid', reason: 'Give the reason the hold can be lifted.' };
    const out = await this.keeper.change(actor, holdId, 'records.hold', (h) => h.status !== 'active'
      ? { reject: 'invalid', reason: `${h.id} was already lifted.` }
      : { log: { action: 'records.hold_lifted', reason: reason.trim().slice(0, 1000), details: { on: h.subject } }, apply: (r, stamp) => { r.status = 'lifted'; r.lifted = { ...stamp, reason: reason.trim().slice(0, 1000) }; } });
    if (out.kind === 'done') return { kind: 'done', hold: out.record };
    if (out.kind === 'not-found') return out;
    return { kind: out.kind === 'refused' ? 'refused' : 'invalid', reason: out.reason };
  }
}
