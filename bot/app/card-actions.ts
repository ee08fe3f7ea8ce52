import { notice, type NoticeModel } from '../../cards/notice/model.ts';
import type { DialogEngine } from '../../dialogs/engine.ts';
import { ADD_NOTE, ASSIGN, CLOSE, REOPEN } from '../../dialogs/escalation-steps.ts';
import { RECORD_DECISION, toDecisionInput } from '../../dialogs/record-decision.ts';
import type { Answers } from '../../dialogs/types.ts';
import type { DecisionLog } from '../domain/decision-log.ts';
import { breaksVictimRule, describeDecision } from '../domain/decisions.ts';
import type { Escalation } from '../domain/escalation.ts';
import type { ChangeOutcome, Escalations } from '../domain/escalations.ts';
import type { Actor, Directory } from '../domain/people.ts';
import { authorise, type Action } from '../domain/policy.ts';
import { recordRefusal } from '../domain/refusals.ts';
import type { Alerts } from './alerts.ts';
import { changeNotice, type Reply } from './reply.ts';
import type { Sla } from './sla.ts';

/** The dialogs that act on one escalation, and the permission each needs. */
const DIALOG_FOR: Record<string, { dialog: string; action: Action }> = {
  'escalation.decide': { dialog: RECORD_DECISION, action: 'escalation.decide' },
  'escalation.note': { dialog: ADD_NOTE, action: 'escalation.note' },
  'escalation.assign': { dialog: ASSIGN, action: 'escalation.assign' },
  'escalation.close': { dialog: CLOSE, action: 'escalation.close' },
  'escalation.reopen': { dialog: REOPEN, action: 'escalation.reopen' },
};

/** The dialogs this class completes. */
export const ESCALATION_DIALOGS = new Set(Object.values(DIALOG_FOR).map((d) => d.dialog));

/**
 * The buttons on an alert card, the same on both platforms. One-click actions
 * (Acknowledge, Escalate) change the escalation at once; the others open a
 * short dialog whose completion changes it. Every change then updates every
 * copy of the card and the SLA timers.
 */
export class CardActions {
  constructor(
    private readonly deps: {
      escalations: Escalations;
      dialogs: DialogEngine;
      alerts: Alerts;
      sla: Sla;
      directory: Directory;
      log: DecisionLog;
    },
  ) {}

  async handle(actor: Actor, verb: string, escalationId: string): Promise<Reply> {
    const { escalations, sla } = this.deps;
    const e = await escalations.fetch(escalationId);
    if (!e) return { kind: 'notice', notice: notice('error', 'Unknown escalation', `There is no escalation ${escalationId}.`) };
    if (verb === 'escalation.acknowledge') return this.settle(await escalations.acknowledge(actor, e.id), e.id);
    if (verb === 'escalation.escalate') {
      if (!sla.tiers) return { kind: 'notice', notice: notice('info', 'No escalation ladder', 'The force config has no SLA ladder to escalate to.') };
      return this.settle(await escalations.escalateTier(actor, e.id, sla.tiers, sla.tierName, (t) => sla.tierTargets(t)), e.id);
    }
    const spec = DIALOG_FOR[verb];
    if (!spec) return { kind: 'notice', notice: notice('error', 'Unknown action', 'This button is not recognised. The card may be out of date.') };
    return this.open(actor, e, spec);
  }

  /** An escalation's alert card as it now stands, if there is such an escalation. */
  cardFor(id: string) {
    const e = this.deps.escalations.get(id);
    return e ? this.deps.alerts.view(e) : undefined;
  }

  /** Finishes an escalation dialog: applies its answers to the escalation. */
  async complete(actor: Actor, dialogId: string, answers: Answers): Promise<Reply> {
    const { escalations } = this.deps;
    const id = answers.escalationId ?? '';
    let outcome: ChangeOutcome;
    switch (dialogId) {
      case RECORD_DECISION: outcome = await escalations.decide(actor, id, toDecisionInput(answers)); break;
      case ADD_NOTE: outcome = await escalations.addNote(actor, id, answers.note ?? ''); break;
      case CLOSE: outcome = await escalations.close(actor, id, answers.reason); break;
      case REOPEN: outcome = await escalations.reopen(actor, id, answers.reason ?? ''); break;
      case ASSIGN: {
        const assignee = this.deps.directory.reachable(answers.assignee ?? '');
        if (!assignee) return { kind: 'notice', notice: notice('warning', 'Not assigned', 'That person cannot be assigned work now. Choose someone else.') };
        outcome = await escalations.assign(actor, id, assignee);
        break;
      }
      default: return { kind: 'notice', notice: notice('error', 'Unknown form', 'This form is not recognised.') };
    }
    return this.settle(outcome, id, outcome.kind === 'done' ? doneNotice(dialogId, outcome.escalation) : undefined);
  }

  /**
   * Checked as soon as the decision type is chosen, so nobody fills in a
   * rationale for a contact the APP forbids. The refusal goes through the
   * domain, which records it.
   */
  async checkDecisionType(actor: Actor, answers: Answers, decisionType: string): Promise<Reply | undefined> {
    const e = await this.deps.escalations.fetch(answers.escalationId ?? '');
    if (!e || !breaksVictimRule(e, decisionType)) return undefined;
    const outcome = await this.deps.escalations.decide(actor, e.id, { type: decisionType as never });
    return { kind: 'notice', notice: changeNotice(outcome, e.id)! };
  }

  private async open(actor: Actor, e: Escalation, spec: { dialog: string; action: Action }): Promise<Reply> {
    const verdict = authorise(actor.person, spec.action, { area: e.area });
    if (!verdict.allowed) {
      await recordRefusal(this.deps.log, actor, spec.action, verdict.reason, { type: 'escalation', id: e.id });
      return { kind: 'notice', notice: notice('warning', 'Not permitted', verdict.reason, 'Your attempt has been recorded.') };
    }
    if (spec.dialog === CLOSE && !e.decisions.length) return { kind: 'notice', notice: notice('info', 'Record a decision first', `${e.id} has no decision yet; no further action is a decision too.`) };
    if (spec.dialog !== REOPEN && e.status === 'closed') return { kind: 'notice', notice: notice('info', 'Closed', `${e.id} is closed. Reopen it first.`) };
    const context: Answers = { escalationId: e.id, severity: e.severity, ...(spec.dialog === ASSIGN ? { assignee: actor.person.id } : {}) };
    return { kind: 'form', form: await this.deps.dialogs.start(spec.dialog, actor.person.id, context) };
  }

  /** Turns a change's outcome into a reply (every copy was queued for update, and the SLA timers brought in line, with the change). */
  private async settle(outcome: ChangeOutcome, id: string, done?: NoticeModel): Promise<Reply> {
    if (outcome.kind === 'not-found') return { kind: 'notice', notice: changeNotice(outcome, id)! };
    const card = this.deps.alerts.view(outcome.escalation);
    if (outcome.kind !== 'done') return { kind: 'card', card, notice: changeNotice(outcome, id)! };
    return { kind: 'card', card, ...(done ? { notice: done } : {}) };
  }
}

function doneNotice(dialogId: string, e: Escalation): NoticeModel {
  switch (dialogId) {
    case RECORD_DECISION: return notice('success', 'Decision recorded', `${e.id}: ${describeDecision(e.decisions.at(-1)!)}.`);
    case ADD_NOTE: return notice('success', 'Note added', `Added to ${e.id}.`);
    case ASSIGN: return notice('success', 'Assigned', `${e.id} is now with ${e.owner?.name ?? 'nobody'}.`);
    case CLOSE: return notice('success', 'Closed', `${e.id} is closed.`);
    default: return notice('success', 'Reopened', `${e.id} is open again.`);
  }
}
