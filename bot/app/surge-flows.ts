import type { CardView } from '../../cards/index.ts';
import { notice } from '../../cards/notice/model.ts';
import { surgeCard, type SurgeNames, duration } from '../../cards/surge/model.ts';
import type { DialogEngine } from '../../dialogs/engine.ts';
import { SURGE_ACTIVATE, SURGE_AVAILABLE_FROM, SURGE_LEVEL, SURGE_STAND_DOWN, toSurgeInput } from '../../dialogs/surge.ts';
import type { Answers } from '../../dialogs/types.ts';
import type { SurgeConfig } from '../config/schema-operations.ts';
import type { Clock } from '../domain/clock.ts';
import type { DecisionLog } from '../domain/decision-log.ts';
import type { Escalations } from '../domain/escalations.ts';
import type { Actor } from '../domain/people.ts';
import type { Action } from '../domain/policy.ts';
import type { Outcome, Publish } from '../domain/record-keeper.ts';
import type { Surge, SurgeLevel } from '../domain/surge-types.ts';
import { incidentKey, type Surges } from '../domain/surges.ts';
import { refuseUnless } from './refusal-reply.ts';
import { changeNotice, type Reply } from './reply.ts';
import type { SurgeOps } from './surge-ops.ts';

/** Dialogs this flow completes. */
export const SURGE_DIALOGS = new Set([SURGE_ACTIVATE, SURGE_LEVEL, SURGE_STAND_DOWN, SURGE_AVAILABLE_FROM]);

/**
 * Surges as chat-ops: `/surge` activates (corporate comms, desk leads,
 * command), the alert card goes to the surge channels on both platforms and
 * to each rota member by direct message; the rota answers on the card, the
 * actions are ticked on it, the level changes on it, and `/surge stand-down`
 * posts the summary with its chart. `/surge status` and `/continuity` read.
 */
export class SurgeFlows {
  constructor(
    private readonly deps: {
      surges: Surges; ops: SurgeOps; escalations: Escalations; dialogs: DialogEngine; config: SurgeConfig; names: SurgeNames; log: DecisionLog; clock: Clock;
      /** Of these people, those who may be called in now (the directory's recipients: never someone suspended or gone). */
      callable: (ids: readonly string[]) => string[];
      /** The platforms the surge channels are on that Bluedesk is connected to now. */
      channelPlatforms: () => string[];
    },
  ) {}

  view = (s: Surge): CardView => ({ kind: 'checklist', model: surgeCard(s, this.deps.names, this.deps.clock.now().toISOString()) });

  /** `/surge`, `/surge status`, `/surge stand-down [id]`. */
  async command(actor: Actor, text: string): Promise<Reply> {
    const [word = '', arg = ''] = text.trim().toLowerCase().split(/\s+/);
    if (word === 'status') return this.status(actor);
    if (word === 'stand-down' || word === 'standdown') {
      const s = this.pick(arg);
      return s ? this.form(actor, 'surge.manage', SURGE_STAND_DOWN, s) : this.which(arg);
    }
    const refused = await this.refuse(actor, 'surge.activate');
    return refused ?? { kind: 'form', form: await this.deps.dialogs.start(SURGE_ACTIVATE, actor.person.id) };
  }

  /** After the first step: one surge per incident, so a second activation is pointed at the first (whose card can raise the level). */
  checkWhat(answers: Answers): Reply | undefined {
    const existing = this.deps.surges.forIncident(incidentKey({ incidentName: answers.incidentName ?? '', incidentRef: answers.incidentRef ?? '' }));
    if (!existing) return undefined;
    return { kind: 'card', card: this.view(existing), notice: notice('info', 'Already active', `${existing.id} is active for this incident at level ${existing.level}. Use Change level on its card to raise it instead; nothing new was activated.`) };
  }

  /** `/continuity`: the business continuity plan, at any time, and any outage surge under way. */
  continuity(): Reply {
    const steps = this.deps.config.continuity;
    const outage = this.deps.surges.active().filter((s) => s.trigger === 'platform_outage');
    return {
      kind: 'card',
      card: {
        kind: 'record-list',
        model: {
          title: 'Business continuity plan: a major platform unavailable',
          subtitle: outage.length ? `An outage is declared: ${outage.map((s) => `${s.id} (${s.incidentName})`).join(', ')}; its card tracks the steps.` : 'No outage is declared. Activate one with /surge (trigger: platform outage), and these steps become a checklist.',
          items: steps.map((step, i) => {
            const done = outage.flatMap((s) => s.tasks.filter((t) => t.kind === 'continuity' && t.id === `c${i + 1}` && t.done));
            return { heading: `${i + 1}. ${step}`, lines: done.length ? [`Done by ${done[0]!.done!.name}`] : [] };
          }),
          empty: 'The force config has no continuity plan (surge.continuity).',
        },
      },
    };
  }

  /** Where the surge card goes: on activation to the surge channels and the rota; to the backup list when it is called. */
  publishFor(s: Surge, action: string): Publish | undefined {
    if (action === 'surge.activated') return { targets: this.deps.config.channels, people: s.called, area: '' };
    if (action === 'surge.backup_called') return { people: s.called, area: '' };
    return undefined;
  }

  async cardAction(actor: Actor, verb: string, target: string): Promise<Reply> {
    const [id = '', taskId = ''] = target.split(':');
    const s = this.deps.surges.get(id);
    if (!s) return { kind: 'notice', notice: notice('error', 'Not found', `There is no surge ${id}.`) };
    switch (verb) {
      case 'surge.available_now': return this.reply(await this.deps.surges.respond(actor, id, { answer: 'now' }), id, 'Thank you: every copy of the card is being updated to show you are coming now.');
      case 'surge.unavailable': return this.reply(await this.deps.surges.respond(actor, id, { answer: 'unavailable' }), id, 'Recorded: unavailable.');
      case 'surge.available_from': {
        // Someone not called gets the domain's refusal (recorded) rather than a form they cannot use.
        if (!s.called.includes(actor.person.id)) return this.reply(await this.deps.surges.respond(actor, id, { answer: 'unavailable' }), id);
        return { kind: 'form', form: await this.deps.dialogs.start(SURGE_AVAILABLE_FROM, actor.person.id, { subjectId: id, subjectLabel: `${id}: ${s.incidentName}` }) };
      }
      case 'surge.task': return this.reply(await this.deps.surges.tick(actor, id, taskId), id, 'Ticked: every copy of the card is being updated.');
      case 'surge.level': return this.form(actor, 'surge.manage', SURGE_LEVEL, s);
      case 'surge.stand_down': return this.form(actor, 'surge.manage', SURGE_STAND_DOWN, s);
      default: return { kind: 'notice', notice: notice('error', 'Unknown action', 'This button is not recognised. The card may be out of date.') };
    }
  }

  async complete(actor: Actor, dialogId: string, a: Answers): Promise<Reply> {
    const id = a.subjectId ?? '';
    switch (dialogId) {
      case SURGE_ACTIVATE: return this.activate(actor, a);
      case SURGE_AVAILABLE_FROM: return this.reply(await this.deps.surges.respond(actor, id, { answer: 'from', from: a.from ?? '' }), id, `Thank you: every copy of the card is being updated to show you are coming from ${a.from}.`);
      case SURGE_LEVEL: return this.reply(await this.deps.surges.changeLevel(actor, id, Number(a.level) as SurgeLevel, a.reason ?? ''), id, 'Level changed: every copy of the card is being updated to say so.');
      case SURGE_STAND_DOWN: {
        const outcome = await this.deps.ops.standDown(actor, id, a.debrief ?? '');
        return this.reply(outcome, id, 'Stood down. The summary is being drawn and sent to the surge channels and the person in charge; its card says where it has arrived.');
      }
      default: return { kind: 'notice', notice: notice('error', 'Unknown form', 'This form is not recognised.') };
    }
  }

  cardFor(id: string): CardView | undefined {
    const s = this.deps.surges.get(id.split(':')[0] ?? '');
    return s ? this.view(s) : undefined;
  }

  private async activate(actor: Actor, a: Answers): Promise<Reply> {
    const refused = await this.refuse(actor, 'surge.activate');
    if (refused) return refused;
    const input = toSurgeInput(a);
    const twice = this.checkWhat(a);
    if (twice) return twice;
    const s = await this.deps.surges.activate(actor, input, this.deps.config.continuity, this.deps.callable(this.deps.config.rota));
    const platforms = this.deps.channelPlatforms().map((p) => (p === 'teams' ? 'Teams' : 'Slack'));
    const left = this.deps.config.rota.length - s.called.length;
    return {
      kind: 'notice',
      notice: notice('success', `Surge ${s.id} activated at level ${s.level}`,
        platforms.length ? `The surge alert is being sent to the surge channels on ${platforms.join(' and ')}; its card says where it has arrived.` : 'The surge channels are on no platform Bluedesk is connected to now: tell the desk another way.',
        s.called.length ? `${s.called.length} rota member(s) are being asked by direct message whether they can come in.` : this.deps.config.rota.length ? 'Nobody on the surge rota can be asked now.' : 'No surge rota is configured.',
        ...(left > 0 && s.called.length ? [`${left} rota member(s) cannot be asked now and were left out.`] : []),
        `While it is active, escalations of ${this.deps.config.digest.from} severity and below go into one digest card per channel. /surge status shows where it stands.`),
    };
  }

  /** `/surge status`. */
  private async status(actor: Actor): Promise<Reply> {
    const refused = await this.refuse(actor, 'surge.view');
    if (refused) return refused;
    const now = this.deps.clock.now().toISOString();
    const active = this.deps.surges.active();
    const all = this.deps.escalations.all();
    return {
      kind: 'card',
      card: {
        kind: 'record-list',
        model: {
          title: 'Surge status',
          subtitle: active.length ? `${active.length} surge(s) active.` : 'No surge is active.',
          items: active.map((s) => {
            const during = all.filter((e) => e.surge?.id === s.id);
            const coming = s.called.filter((p) => s.answers[p] && s.answers[p]!.answer !== 'unavailable');
            return {
              heading: `${s.id} · level ${s.level} · ${s.incidentName}`,
              lines: [
                `Active for ${duration(s.activated.at, now)} (since ${s.activated.at.slice(11, 16)} UTC); in charge: ${this.deps.names.person(s.inChargeId)}`,
                `Escalations since activation: ${during.length} raised, ${during.filter((e) => e.acknowledged).length} acknowledged, ${during.filter((e) => e.status !== 'closed' && !e.acknowledged).length} open and unacknowledged`,
                `Responders: ${coming.map(this.deps.names.person).join(', ') || 'none yet'}`,
                `Actions outstanding: ${s.tasks.filter((t) => !t.done).map((t) => t.text).join('; ') || 'none'}`,
              ],
            };
          }),
          empty: 'Activate one with /surge.',
        },
      },
    };
  }

  private pick(arg: string): Surge | undefined {
    const active = this.deps.surges.active();
    return arg ? active.find((s) => s.id.toLowerCase() === arg) : active.length === 1 ? active[0] : undefined;
  }

  private which(arg: string): Reply {
    const active = this.deps.surges.active();
    if (!active.length) return { kind: 'notice', notice: notice('info', 'No surge is active', 'There is nothing to stand down.') };
    return { kind: 'notice', notice: notice('info', 'Which surge?', `${arg ? `No active surge ${arg.toUpperCase()}. ` : ''}Active: ${active.map((s) => `${s.id} (${s.incidentName})`).join(', ')}. Use /surge stand-down <id>.`) };
  }

  private async form(actor: Actor, action: Action, dialogId: string, s: Surge): Promise<Reply> {
    const refused = await this.refuse(actor, action, s.id);
    if (refused) return refused;
    if (s.status !== 'active') return { kind: 'notice', notice: notice('info', 'Stood down', `${s.id} has already stood down.`) };
    return { kind: 'form', form: await this.deps.dialogs.start(dialogId, actor.person.id, { subjectId: s.id, subjectLabel: `${s.id}: ${s.incidentName}` }) };
  }

  private reply(outcome: Outcome<Surge>, id: string, done?: string): Reply {
    if (outcome.kind === 'not-found') return { kind: 'notice', notice: notice('error', 'Not found', `There is no surge ${id}.`) };
    return { kind: 'card', card: this.view(outcome.record), notice: outcome.kind === 'done' ? notice('success', 'Done', done ?? 'Recorded.') : changeNotice(outcome, id)! };
  }

  private refuse(actor: Actor, action: Action, subjectId?: string): Promise<Reply | undefined> {
    return refuseUnless(this.deps.log, actor, action, subjectId ? { subject: { type: 'surge', id: subjectId } } : {});
  }
}
