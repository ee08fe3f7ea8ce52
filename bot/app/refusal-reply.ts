import { notice } from '../../cards/notice/model.ts';
import type { DecisionLog } from '../domain/decision-log.ts';
import type { Actor } from '../domain/people.ts';
import { authorise, type Action } from '../domain/policy.ts';
import { recordRefusal } from '../domain/refusals.ts';
import type { Reply } from './reply.ts';

/** Records a refusal and answers it politely: the one way every flow says "not permitted". */
export async function refusedReply(log: DecisionLog, actor: Actor, attempted: string, reason: string, subject?: { type: string; id: string }): Promise<Reply> {
  await recordRefusal(log, actor, attempted, reason, subject);
  return { kind: 'notice', notice: notice('warning', 'Not permitted', reason, 'Your attempt has been recorded.') };
}

/** The policy table's answer for an action: nothing when allowed, otherwise the recorded, polite refusal. */
export async function refuseUnless(log: DecisionLog, actor: Actor, action: Action, opts: { area?: string; subject?: { type: string; id: string } } = {}): Promise<Reply | undefined> {
  const verdict = authorise(actor.person, action, opts.area ? { area: opts.area } : {});
  return verdict.allowed ? undefined : refusedReply(log, actor, action, verdict.reason, opts.subject);
}
