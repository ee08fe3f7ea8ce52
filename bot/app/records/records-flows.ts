import { notice } from '../../../cards/notice/model.ts';
import { ukDateTime } from '../../../cards/format.ts';
import type { DecisionLog } from '../../domain/decision-log.ts';
import type { LegalHolds } from '../../domain/legal-holds.ts';
import type { Actor } from '../../domain/people.ts';
import { subjectOfId } from '../../domain/retention.ts';
import { refuseUnless } from '../refusal-reply.ts';
import type { Reply } from '../reply.ts';
import type { DecisionHistory } from './decision-history.ts';
import type { RecordVisibility } from './visibility.ts';

const HOLD_HELP = 'Place a hold with /hold <id> <reason> (e.g. /hold ESC-00012 Civil claim 2026/123); lift it with /hold lift <HLD-id> <reason>; list holds with /hold.';

/** The records commands in chat: `/decisions` and `/hold`. */
export class RecordsFlows {
  constructor(private readonly deps: { history: DecisionHistory; holds: LegalHolds; log: DecisionLog; visibility: RecordVisibility }) {}

  async decisions(actor: Actor, text: string): Promise<Reply> {
    const out = await this.deps.history.run(actor, text);
    return 'model' in out ? { kind: 'card', card: { kind: 'record-list', model: out.model } } : { kind: 'notice', notice: out.notice };
  }

  /** `/hold`, `/hold <id> <reason>`, `/hold lift <HLD-id> <reason>`. */
  async hold(actor: Actor, text: string): Promise<Reply> {
    const refused = await refuseUnless(this.deps.log, actor, 'records.hold');
    if (refused) return refused;
    const [first = '', ...rest] = text.trim().split(/\s+/);
    if (!first) return this.list(actor);
    if (first.toLowerCase() === 'lift') {
      const [holdId = '', ...why] = rest;
      const out = await this.deps.holds.lift(actor, holdId.toUpperCase(), why.join(' '));
      if (out.kind === 'not-found') return { kind: 'notice', notice: notice('error', 'No such hold', `There is no legal hold ${holdId}.`, HOLD_HELP) };
      if (out.kind === 'done') return { kind: 'notice', notice: notice('success', `Hold ${out.hold.id} lifted`, `${out.hold.subject.id} is under its retention schedule again. The lifting is recorded.`) };
      return { kind: 'notice', notice: notice('warning', 'Hold not lifted', 'reason' in out ? out.reason : 'It was already lifted.', HOLD_HELP) };
    }
    const subject = subjectOfId(first.toUpperCase());
    if (!subject || !(await this.visibleSubject(actor, subject))) {
      return { kind: 'notice', notice: notice('error', 'Unknown subject', `There are no records about ${first} that you can see.`, HOLD_HELP) };
    }
    const out = await this.deps.holds.place(actor, subject, rest.join(' '));
    switch (out.kind) {
      case 'done': return { kind: 'notice', notice: notice('success', `Legal hold ${out.hold.id} placed on ${subject.id}`, `Reason: ${out.hold.reason}`, 'Nothing about it will be disposed of until the hold is lifted. The hold is recorded.') };
      case 'exists': return { kind: 'notice', notice: notice('info', 'Already held', `${subject.id} is already under hold ${out.hold.id} (${out.hold.reason}), placed by ${out.hold.placed.name} on ${ukDateTime(out.hold.placed.at)}.`) };
      default: return { kind: 'notice', notice: notice('warning', 'Hold not placed', out.reason, HOLD_HELP) };
    }
  }

  private list(actor: Actor): Reply {
    const active = this.deps.holds.all().filter((h) => h.status === 'active');
    const mayRestricted = this.deps.visibility.mayViewRestricted(actor.person);
    const restricted = this.deps.visibility.restrictedSubjects([]);
    const shown = active.filter((h) => mayRestricted || (!h.restricted && !restricted.has(`${h.subject.type}:${h.subject.id}`)));
    return {
      kind: 'card',
      card: {
        kind: 'record-list',
        model: {
          title: 'Legal holds', subtitle: `${shown.length} in force. ${HOLD_HELP}`,
          items: shown.map((h) => ({ heading: `${h.id} · ${h.subject.id}`, lines: [`Reason: ${h.reason}`, `Placed by ${h.placed.name} on ${ukDateTime(h.placed.at)}`] })),
          empty: 'No legal holds are in force.',
        },
      },
    };
  }

  /** A subject this person can see in the records (a restricted one is unknown to anyone else). */
  private async visibleSubject(actor: Actor, subject: { type: string; id: string }): Promise<boolean> {
    const about = await this.deps.log.forSubject(subject.type, subject.id);
    return this.deps.visibility.filter(actor.person, about).shown.length > 0;
  }
}
