import type { StateStore } from '../../data/state-store.ts';
import type { Clock } from './clock.ts';
import type { CheckpointedLog, CheckpointState, WalChange } from './checkpoint.ts';
import { checkDecision, describeDecision, type DecisionInput } from './decisions.ts';
import { CATEGORY_SEVERITY, type Escalation, type EscalationInput, type Stamp } from './escalation.ts';
import { captureEvidence } from './evidence.ts';
import type { Actor, Person } from './people.ts';
import { RecordKeeper, type WritableArchive, type Plan, type Publish, type RecordEffects } from './record-keeper.ts';
import { authorise, type Action } from './policy.ts';
import { recordRefusal } from './refusals.ts';
import type { RouteDecision } from './routing.ts';
import type { RouteTarget } from '../config/schema-operations.ts';

/** The slice of state escalations own. */
export interface EscalationState extends CheckpointState {
  escalations: Record<string, Escalation>;
  counters: Record<string, number>;
}

/** Result of raising an escalation. */
export type RaiseOutcome = { kind: 'raised'; escalation: Escalation } | { kind: 'refused'; reason: string };

/**
 * Result of a change to an escalation. `refused` (no permission, or the
 * victim/witness rule) is recorded; `invalid` (bad input) and `conflict`
 * (the escalation has moved on, e.g. someone acknowledged first) are not.
 */
export type ChangeOutcome =
  | { kind: 'done'; escalation: Escalation }
  | { kind: 'not-found' }
  | { kind: 'refused' | 'invalid' | 'conflict'; reason: string; escalation: Escalation };

/** Longest note accepted; longer is almost always a paste that belongs in a record system. */
export const MAX_NOTE = 2000;

/** The timer-driven actor: it escalates by the config's SLA ladder, so it is not checked against the policy table. */
export const SYSTEM_ACTOR: Actor = {
  person: { id: 'bluedesk', name: 'Bluedesk (timers)', email: 'bluedesk@localhost', roles: [], areas: [] },
  via: { platform: 'system' },
};

/**
 * Every change to an escalation, kept by the shared record keeper: a
 * per-escalation lock, the policy table, the decision log written first and
 * state second, so the log never misses a decision that state shows and two
 * people cannot both win.
 */
export class Escalations {
  private readonly keeper: RecordKeeper<Escalation, EscalationState>;

  constructor(
    store: StateStore<EscalationState>,
    private readonly log: CheckpointedLog,
    clock: Clock,
    effects?: RecordEffects<Escalation, EscalationState>,
    archive?: WritableArchive<Escalation>,
  ) {
    this.keeper = new RecordKeeper({ store, collection: 'escalations', subject: 'escalation', prefix: 'ESC', log, clock, ...(effects ? { effects } : {}), ...(archive ? { archive } : {}) });
  }

  /**
   * Moves escalations closed before `cutoff` out of hot state into the
   * archive (see RecordKeeper.archiveFinished). `keep` holds back those still
   * needed in state (an outbox item still updating their card, a surge still running).
   */
  archiveClosed(cutoff: string, keep: (e: Escalation) => boolean): Promise<number> {
    return this.keeper.archiveFinished((e) => (e.status === 'closed' ? e.closed?.at ?? '' : undefined), cutoff, keep);
  }

  get(id: string): Escalation | undefined {
    return this.keeper.get(id);
  }

  /** Like `get`, reading an archived escalation from the database where it must. */
  fetch(id: string): Promise<Escalation | undefined> {
    return this.keeper.fetch(id);
  }

  all(): Escalation[] {
    return this.keeper.all();
  }

  /**
   * Raises an escalation, and queues its alert to the routed places in the same
   * commit. An intake source (already authenticated by its signature) may always raise.
   */
  async raise(actor: Actor, input: EscalationInput, route: RouteDecision, index?: (e: Escalation) => WalChange['index'], surge?: Escalation['surge']): Promise<RaiseOutcome> {
    if (actor.via.platform !== 'api') {
      const verdict = authorise(actor.person, 'escalation.raise');
      if (!verdict.allowed) {
        await recordRefusal(this.log, actor, 'escalation.raise', verdict.reason);
        return { kind: 'refused', reason: verdict.reason };
      }
    }
    const { capturedText, capturedAt, attachments = [], ...rest } = input;
    const escalation = await this.keeper.create(actor, 'escalation.raised', (id, raised) => ({
      ...rest,
      id,
      severity: CATEGORY_SEVERITY[input.category],
      status: 'open',
      raised,
      tier: 0,
      route,
      notes: [],
      decisions: [],
      evidence: captureEvidence(input.contentUrl, capturedAt ?? raised.at, capturedText, attachments),
      ...(surge ? { surge } : {}),
      copies: [],
      // One that goes into a surge digest is not posted on its own: the digest lists it in each channel.
    }), (e) => ({ ...rest, severity: e.severity, route, evidence: e.evidence, ...(surge ? { surge } : {}) }), { targets: surge?.digest ? [] : route.targets, area: input.area }, index);
    return { kind: 'raised', escalation };
  }

  acknowledge(actor: Actor, id: string): Promise<ChangeOutcome> {
    return this.change(actor, id, 'escalation.acknowledge', (e) => {
      if (e.acknowledged?.personId === actor.person.id) return { reject: 'conflict', reason: `You already acknowledged ${e.id}.` };
      if (e.acknowledged) return { reject: 'conflict', reason: `${e.acknowledged.name} acknowledged ${e.id} first.` };
      if (e.status === 'closed') return { reject: 'conflict', reason: `${e.id} is closed.` };
      return { log: { action: 'escalation.acknowledged' }, apply: acknowledgeIn };
    });
  }

  assign(actor: Actor, id: string, assignee: Person): Promise<ChangeOutcome> {
    return this.change(actor, id, 'escalation.assign', (e) => {
      if (e.status === 'closed') return { reject: 'conflict', reason: `${e.id} is closed; reopen it first.` };
      if (!authorise(assignee, 'escalation.decide', { area: e.area }).allowed) return { reject: 'invalid', reason: `${assignee.name} cannot act on escalations in this area.` };
      if (e.owner?.personId === assignee.id) return { reject: 'conflict', reason: `${e.id} is already assigned to ${assignee.name}.` };
      return {
        log: { action: 'escalation.assigned', details: { to: assignee.id, toName: assignee.name, from: e.owner?.personId ?? null } },
        apply: (x, stamp) => { x.owner = { personId: assignee.id, name: assignee.name, since: stamp.at }; },
      };
    });
  }

  /**
   * Its owner can no longer act (their roles were suspended): the escalation
   * is unowned again, and its card goes to `to`, people who can take it. The
   * record says only that the owner is unavailable, never why.
   */
  releaseOwner(id: string, personId: string, to: string[]): Promise<ChangeOutcome> {
    return this.change(SYSTEM_ACTOR, id, undefined, (e) => {
      if (e.owner?.personId !== personId || e.status === 'closed') return { reject: 'conflict', reason: `${e.id} has moved on.` };
      return {
        log: { action: 'escalation.owner_unavailable', reason: 'The owner is no longer available: it needs a new owner.', details: { from: personId, to } },
        apply: (x) => { delete x.owner; },
        publish: { people: to, area: e.area },
      };
    });
  }

  addNote(actor: Actor, id: string, text: string): Promise<ChangeOutcome> {
    return this.change(actor, id, 'escalation.note', (e) => {
      const note = text.trim();
      if (!note) return { reject: 'invalid', reason: 'The note is empty.' };
      if (note.length > MAX_NOTE) return { reject: 'invalid', reason: `A note can be at most ${MAX_NOTE} characters (this one has ${note.length}).` };
      const noteId = `N${e.notes.length + 1}`;
      return {
        log: { action: 'escalation.noted', details: { noteId, text: note } },
        apply: (x, stamp) => { x.notes.push({ id: noteId, text: note, by: stamp }); },
      };
    });
  }

  decide(actor: Actor, id: string, input: DecisionInput): Promise<ChangeOutcome> {
    return this.change(actor, id, 'escalation.decide', (e) => {
      if (e.status === 'closed') return { reject: 'conflict', reason: `${e.id} is closed; reopen it to record another decision.` };
      const problem = checkDecision(e, input);
      if (problem?.kind === 'invalid') return { reject: 'invalid', reason: problem.message };
      if (problem?.kind === 'victim-rule') return { reject: 'refused', reason: problem.message };
      const decisionId = `D${e.decisions.length + 1}`;
      const { rationale, reason, ...rest } = input;
      // Deciding on it means someone has it: a decision acknowledges implicitly, which stops the SLA ladder.
      const implicit = !e.acknowledged;
      return {
        log: { action: 'escalation.decided', details: { decisionId, ...rest, summary: describeDecision(input), ...(implicit ? { acknowledgedImplicitly: true } : {}) }, ...(reason ? { reason } : {}), ...(rationale ? { rationale } : {}) },
        apply: (x, stamp) => {
          x.decisions.push({ ...input, id: decisionId, by: stamp });
          if (implicit) acknowledgeIn(x, stamp);
        },
      };
    });
  }

  /** Pulls in the next tier of the SLA ladder (by a person, or by the SLA timer), and posts the alert to that tier's targets. */
  escalateTier(actor: Actor, id: string, tiers: number, tierName: (tier: number) => string, tierTargets: (tier: number) => RouteTarget[]): Promise<ChangeOutcome> {
    return this.change(actor, id, 'escalation.escalate', (e) => {
      if (e.status === 'closed') return { reject: 'conflict', reason: `${e.id} is closed.` };
      if (e.tier >= tiers) return { reject: 'conflict', reason: `${e.id} is already at the top of the escalation ladder (${tierName(e.tier)}).` };
      const tier = e.tier + 1;
      return {
        log: { action: 'escalation.tier_raised', details: { tier, tierName: tierName(tier) } },
        apply: (x) => { x.tier = tier; },
        publish: { targets: tierTargets(tier), area: e.area },
      };
    });
  }

  /**
   * The routed places reached nobody in time: the alert also goes to the
   * fallback places, and the card says it was delivered by fallback.
   */
  fallback(id: string, to: Omit<Publish, 'area' | 'fallback'>, afterMinutes: number): Promise<ChangeOutcome> {
    return this.change(SYSTEM_ACTOR, id, undefined, (e) => {
      if (e.fallback) return { reject: 'conflict', reason: `${e.id} already went to the fallback places.` };
      return {
        log: { action: 'escalation.delivery_fallback', reason: `No routed place had received the alert ${afterMinutes} minutes after it was raised.`, details: { targets: to.targets ?? [], people: to.people ?? [] } },
        apply: (x, stamp) => { x.fallback = { at: stamp.at }; },
        publish: { ...to, area: e.area, fallback: true },
      };
    });
  }

  close(actor: Actor, id: string, reason?: string): Promise<ChangeOutcome> {
    return this.change(actor, id, 'escalation.close', (e) => {
      if (e.status === 'closed') return { reject: 'conflict', reason: `${e.closed!.name} already closed ${e.id}.` };
      if (!e.decisions.length) return { reject: 'invalid', reason: 'Record a decision (no further action is one) before closing.' };
      return {
        log: { action: 'escalation.closed', ...(reason ? { reason } : {}) },
        apply: (x, stamp) => {
          x.status = 'closed';
          x.closed = { ...stamp, ...(reason ? { reason } : {}) };
        },
      };
    });
  }

  reopen(actor: Actor, id: string, reason: string): Promise<ChangeOutcome> {
    return this.change(actor, id, 'escalation.reopen', (e) => {
      if (e.status !== 'closed') return { reject: 'conflict', reason: `${e.id} is not closed.` };
      if (!reason.trim()) return { reject: 'invalid', reason: 'Say why it is being reopened.' };
      return {
        log: { action: 'escalation.reopened', reason: reason.trim() },
        apply: (x) => {
          x.status = x.acknowledged ? 'acknowledged' : 'open';
          delete x.closed;
        },
      };
    });
  }

  private async change(actor: Actor, id: string, action: Action | undefined, plan: (e: Escalation) => Plan<Escalation>): Promise<ChangeOutcome> {
    const o = await this.keeper.change(actor, id, action, plan, (e) => e.area);
    return o.kind === 'not-found' ? o : o.kind === 'done' ? { kind: 'done', escalation: o.record } : { kind: o.kind, reason: o.reason, escalation: o.record };
  }
}

/** Acknowledges in place: whoever acknowledges owns it until it is assigned. */
function acknowledgeIn(x: Escalation, stamp: Stamp): void {
  x.status = 'acknowledged';
  x.acknowledged = stamp;
  x.owner ??= { personId: stamp.personId, name: stamp.name, since: stamp.at };
}

export { actorRef } from './record-keeper.ts';
