import type { StateStore } from '../../../data/state-store.ts';
import type { Clock } from '../../domain/clock.ts';
import type { DecisionLog } from '../../domain/decision-log.ts';
import type { Actor } from '../../domain/people.ts';
import { actorRef } from '../../domain/record-keeper.ts';
import { recordRefusal } from '../../domain/refusals.ts';
import { describeDeadLetter, reviveDeadLetters } from '../outbox/dead-letters.ts';
import type { OutboxState } from '../outbox/types.ts';
import type { RecordsResult } from './records-ops.ts';

/**
 * `npm run dead-letters -- --as <id> [--replay <OUT-id …|all>]`: lists the
 * dead-letter list, or puts items back in the outbox. Only the bot admins
 * (`delivery.admins`, who are told of each dead letter) may; a replay is
 * recorded, and the running server sends the items at once.
 */
export class DeadLetterOps {
  constructor(private readonly deps: { store: StateStore<OutboxState>; log: DecisionLog; clock: Clock; admins: readonly string[]; retryForHours: { alerts: number; other: number }; kick?: () => void }) {}

  async run(actor: Actor, replay: string[] | 'all' | undefined): Promise<RecordsResult> {
    if (!this.deps.admins.includes(actor.person.id)) {
      const reason = 'Only the bot admins named in the force config (delivery.admins) may list or replay dead letters.';
      await recordRefusal(this.deps.log, actor, 'delivery.dead_letters', reason);
      return { ok: false, message: `${reason} The attempt has been recorded.` };
    }
    const dead = Object.values(this.deps.store.read().deadLetters);
    if (!replay) return { ok: true, message: `${dead.length} dead letter(s).`, output: dead.map(describeDeadLetter).join('\n') + (dead.length ? '\n' : '') };
    const revived = await this.deps.store.update((s) => reviveDeadLetters(s, replay, this.deps.clock.now(), this.deps.retryForHours));
    if (!revived.length) return { ok: false, message: 'None of those is on the dead-letter list.' };
    await this.deps.log.append({ action: 'delivery.dead_letters_replayed', outcome: 'done', actor: actorRef(actor), details: { items: revived } });
    this.deps.kick?.();
    return { ok: true, message: `${revived.length} item(s) back in the outbox: ${revived.join(', ')}. ${this.deps.kick ? 'They are being sent now.' : 'Bluedesk sends them when it next starts.'}` };
  }
}
