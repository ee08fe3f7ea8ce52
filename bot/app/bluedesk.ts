import type { DialogFormModel } from '../../cards/dialog-form/model.ts';
import { notice, type NoticeModel } from '../../cards/notice/model.ts';
import type { CardView } from '../../cards/index.ts';
import type { DialogEngine } from '../../dialogs/engine.ts';
import { ESCALATION_INTAKE, prefillFromText, toEscalationInput } from '../../dialogs/escalation-intake.ts';
import type { DecisionLog } from '../domain/decision-log.ts';
import type { Escalations } from '../domain/escalations.ts';
import type { Actor, Directory, PlatformIdentity } from '../domain/people.ts';
import { authorise, type Action } from '../domain/policy.ts';
import { recordRefusal, recordUnknownAccess } from '../domain/refusals.ts';
import type { Alerts } from './alerts.ts';
import type { BackgroundTasks } from './background.ts';
import { targetName } from './gateway.ts';
import { helpNotice } from './help.ts';

/** What a dialog submission leads to, for the adapter to render natively. */
export type DialogReply =
  | { kind: 'form'; form: DialogFormModel }
  | { kind: 'invalid'; form: DialogFormModel }
  | { kind: 'done'; notice: NoticeModel };

/** Who is asking: a known person, or a polite refusal (already recorded). */
export type Identified = { ok: true; actor: Actor } | { ok: false; notice: NoticeModel };

/**
 * The platform-neutral application: adapters turn platform payloads into
 * these calls and render what comes back. Nothing here knows Teams or Slack.
 */
export class Bluedesk {
  constructor(
    private readonly deps: {
      directory: Directory;
      escalations: Escalations;
      dialogs: DialogEngine;
      alerts: Alerts;
      log: DecisionLog;
      tasks: BackgroundTasks;
      accessHelp: string;
    },
  ) {}

  /** Resolves a platform identity, recording and explaining any refusal. */
  async identify(via: PlatformIdentity, attempted: string): Promise<Identified> {
    const found = this.deps.directory.resolve(via);
    if (found.ok) return { ok: true, actor: { person: found.person, via } };
    await recordUnknownAccess(this.deps.log, via, found.reason, attempted);
    const why = found.reason === 'tenant-not-allowed'
      ? 'Bluedesk only serves the force’s own Microsoft 365 tenant and Slack workspace.'
      : 'You are not yet listed as a Bluedesk user.';
    return { ok: false, notice: notice('warning', 'Sorry, I can’t help you yet', why, this.deps.accessHelp) };
  }

  help(actor: Actor): NoticeModel {
    return helpNotice(actor.person);
  }

  /** `/escalate [url] [text]`: opens the intake dialog, pre-filled. */
  async startEscalation(actor: Actor, text: string): Promise<{ kind: 'form'; form: DialogFormModel } | { kind: 'refused'; notice: NoticeModel }> {
    const refused = await this.refuse(actor, 'escalation.raise');
    if (refused) return { kind: 'refused', notice: refused };
    return { kind: 'form', form: await this.deps.dialogs.start(ESCALATION_INTAKE, actor.person.id, prefillFromText(text)) };
  }

  async submitDialog(actor: Actor, sessionId: string, stepId: string, values: Record<string, unknown>): Promise<DialogReply> {
    const outcome = await this.deps.dialogs.submit(sessionId, actor.person.id, stepId, values);
    switch (outcome.kind) {
      case 'invalid': return { kind: 'invalid', form: outcome.form };
      case 'next': return { kind: 'form', form: outcome.form };
      case 'gone': return { kind: 'done', notice: notice('warning', 'This form is closed', outcome.message) };
      case 'already-complete':
        return { kind: 'done', notice: notice('info', 'Already submitted', outcome.session.resultId ? `This form already raised ${outcome.session.resultId}.` : 'This form is being submitted.') };
      case 'complete': return this.completeEscalation(actor, outcome.session.id, outcome.session.answers);
    }
  }

  async cancelDialog(actor: Actor, sessionId: string): Promise<NoticeModel> {
    const cancelled = await this.deps.dialogs.cancel(sessionId, actor.person.id);
    return cancelled
      ? notice('info', 'Cancelled', 'Nothing was raised. Start again with /escalate whenever you need to.')
      : notice('info', 'Nothing to cancel', 'This form was already closed.');
  }

  /**
   * Acknowledges from a card. Returns the card as it now stands, plus a
   * notice for the clicker when they were late or refused. Every posted
   * copy updates after the answer, in the background.
   */
  async acknowledge(actor: Actor, escalationId: string): Promise<{ card?: CardView; notice?: NoticeModel }> {
    const outcome = await this.deps.escalations.acknowledge(actor, escalationId);
    if (outcome.kind === 'not-found') return { notice: notice('error', 'Unknown escalation', `There is no escalation ${escalationId}.`) };
    const card = this.deps.alerts.view(outcome.escalation);
    if (outcome.kind === 'refused') return { card, notice: notice('warning', 'Not permitted', outcome.reason, 'Your attempt has been recorded.') };
    if (outcome.kind === 'already') {
      const by = outcome.escalation.acknowledged!;
      return { card, notice: notice('info', 'Already acknowledged', `${by.name} acknowledged ${escalationId} first.`) };
    }
    this.deps.tasks.run(`refresh ${escalationId}`, () => this.deps.alerts.refresh(outcome.escalation));
    return { card };
  }

  private async completeEscalation(actor: Actor, sessionId: string, answers: Record<string, string>): Promise<DialogReply> {
    const outcome = await this.deps.escalations.raise(actor, toEscalationInput(answers)).catch(async (err) => {
      await this.deps.dialogs.reopen(sessionId);
      throw err;
    });
    if (outcome.kind === 'refused') {
      await this.deps.dialogs.reopen(sessionId);
      return { kind: 'done', notice: notice('warning', 'Not permitted', outcome.reason) };
    }
    const e = outcome.escalation;
    await this.deps.dialogs.finish(sessionId, e.id);
    this.deps.tasks.run(`publish ${e.id}`, () => this.deps.alerts.publish(e));
    const where = this.deps.alerts.deliverable().map(targetName);
    return {
      kind: 'done',
      notice: notice('success', `Escalation ${e.id} raised`,
        `Severity: ${e.severity}.`,
        where.length ? `The alert is going to: ${where.join(', ')}.` : 'No escalation channel is reachable: tell the digital desk supervisor now.'),
    };
  }

  private async refuse(actor: Actor, action: Action): Promise<NoticeModel | undefined> {
    const verdict = authorise(actor.person, action);
    if (verdict.allowed) return undefined;
    await recordRefusal(this.deps.log, actor, action, verdict.reason);
    return notice('warning', 'Not permitted', verdict.reason, 'Your attempt has been recorded.');
  }
}
