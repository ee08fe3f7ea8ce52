import type { Actor } from './people.ts';
import type { Outcome, Plan, RecordKeeper } from './record-keeper.ts';
import { SURGE_ACTIONS, type RotaAnswer, type Surge, type SurgeActionId, type SurgeInput, type SurgeLevel, type SurgeState, type Trigger } from './surge-types.ts';

/** A playbook line: an action, for which triggers (all when absent), from which level. */
export interface PlaybookEntry {
  action: SurgeActionId;
  triggers?: Trigger[];
  minLevel: number;
}

/** The built-in playbook, used when the force config gives none. */
export const DEFAULT_PLAYBOOK: PlaybookEntry[] = [
  { action: 'extend_desk_cover', minLevel: 1 },
  { action: 'holding_statement', triggers: ['major_incident', 'critical_incident', 'contentious_content'], minLevel: 1 },
  { action: 'pause_scheduled_posts', triggers: ['major_incident', 'critical_incident', 'contentious_content'], minLevel: 1 },
  { action: 'call_surge_rota', minLevel: 2 },
  { action: 'stricter_moderation', triggers: ['major_incident', 'critical_incident', 'contentious_content'], minLevel: 2 },
  { action: 'move_to_other_platforms', triggers: ['platform_outage'], minLevel: 1 },
  { action: 'update_force_website', triggers: ['platform_outage', 'major_incident'], minLevel: 1 },
];

/** The actions the playbook pre-selects for a trigger and level. */
export function playbookActions(playbook: readonly PlaybookEntry[], trigger: Trigger, level: number): SurgeActionId[] {
  return playbook.filter((p) => level >= p.minLevel && (!p.triggers || p.triggers.includes(trigger))).map((p) => p.action);
}

/** The key that makes "one surge per incident": its reference, or its name when it has none. */
export function incidentKey(s: Pick<SurgeInput, 'incidentRef' | 'incidentName'>): string {
  return (s.incidentRef || s.incidentName).trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Surges, kept by the shared record keeper: activation (with the playbook's
 * actions and, for an outage, the continuity plan as tasks), rota answers,
 * ticking tasks, level changes, the rota reminder and backup call, and
 * stand-down. Who may activate and manage is the policy table's; a rota
 * answer is the rota member's own.
 */
export class Surges {
  constructor(private readonly keeper: RecordKeeper<Surge, SurgeState>) {}

  get(id: string): Surge | undefined {
    return this.keeper.get(id);
  }

  all(): Surge[] {
    return this.keeper.all();
  }

  active(): Surge[] {
    return this.all().filter((s) => s.status === 'active');
  }

  /** The active surge for an incident, if any. */
  forIncident(key: string): Surge | undefined {
    return this.active().find((s) => incidentKey(s) === key);
  }

  activate(actor: Actor, input: SurgeInput, continuity: readonly string[], called: string[]): Promise<Surge> {
    return this.keeper.create(actor, 'surge.activated', (id, stamp) => {
      const { actions, ...rest } = input;
      const tasks = [
        ...actions.map((a, i) => ({ id: `a${i + 1}`, kind: 'action' as const, text: SURGE_ACTIONS[a] })),
        ...(input.trigger === 'platform_outage' ? continuity.map((text, i) => ({ id: `c${i + 1}`, kind: 'continuity' as const, text })) : []),
      ];
      return { ...rest, id, status: 'active', activated: stamp, levels: [{ level: input.level, at: stamp.at, by: stamp.name }], tasks, called, answers: {}, copies: [] };
    }, (s) => ({ trigger: s.trigger, level: s.level, incidentName: s.incidentName, incidentRef: s.incidentRef, areas: s.areas, accountIds: s.accountIds, inChargeId: s.inChargeId, tasks: s.tasks.map((t) => t.text), called: s.called }));
  }

  /** A rota member's answer; the latest stands. */
  respond(actor: Actor, id: string, answer: Omit<RotaAnswer, 'at'>): Promise<Outcome<Surge>> {
    return this.keeper.change(actor, id, undefined, (s) => {
      if (!s.called.includes(actor.person.id)) return { reject: 'refused', reason: 'Only the surge rota (and the backup list, once called) answer here.', attempted: 'surge.respond' };
      if (s.status !== 'active') return { reject: 'conflict', reason: `${s.id} has stood down.` };
      if (answer.answer === 'from' && !/^([01]\d|2[0-3]):[0-5]\d$/.test(answer.from ?? '')) return { reject: 'invalid', reason: 'Give the time as HH:MM, e.g. 18:30.' };
      return {
        log: { action: 'surge.answered', details: { answer: answer.answer, ...(answer.from ? { from: answer.from } : {}) } },
        apply: (x, stamp) => { x.answers[actor.person.id] = { ...answer, at: stamp.at }; },
      };
    });
  }

  /** Ticks a playbook action or continuity step. */
  tick(actor: Actor, id: string, taskId: string): Promise<Outcome<Surge>> {
    return this.manage(actor, id, (s) => {
      const task = s.tasks.find((t) => t.id === taskId);
      if (!task) return { reject: 'invalid', reason: `${s.id} has no task ${taskId}.` };
      if (task.done) return { reject: 'conflict', reason: `Already done by ${task.done.name}.` };
      return { log: { action: 'surge.task_done', details: { task: task.id, text: task.text } }, apply: (x, stamp) => { x.tasks.find((t) => t.id === taskId)!.done = stamp; } };
    });
  }

  /** Raises or lowers the level, with a reason. */
  changeLevel(actor: Actor, id: string, level: SurgeLevel, reason: string): Promise<Outcome<Surge>> {
    return this.manage(actor, id, (s) => {
      if (s.level === level) return { reject: 'conflict', reason: `${s.id} is already at level ${level}.` };
      if (!reason.trim()) return { reject: 'invalid', reason: 'Say why the level changes.' };
      return {
        log: { action: level > s.level ? 'surge.level_raised' : 'surge.level_lowered', reason: reason.trim(), details: { from: s.level, to: level } },
        apply: (x, stamp) => { x.level = level; x.levels.push({ level, at: stamp.at, by: stamp.name }); },
      };
    });
  }

  /** The timer's reminder to rota members who have not answered, or its call to the backup list. */
  chase(system: Actor, id: string, what: 'reminded' | 'backup_called', backup: string[] = []): Promise<Outcome<Surge>> {
    return this.keeper.change(system, id, undefined, (s) => {
      if (s.status !== 'active') return { reject: 'conflict', reason: 'stood down' };
      if (what === 'reminded' ? s.remindedAt : s.backupCalledAt) return { reject: 'conflict', reason: 'already done' };
      const silent = s.called.filter((p) => !s.answers[p]);
      const adding = backup.filter((p) => !s.called.includes(p));
      return {
        log: { action: `surge.${what}`, details: { notAnswered: silent, ...(what === 'backup_called' ? { called: adding } : {}) } },
        apply: (x, stamp) => {
          if (what === 'reminded') x.remindedAt = stamp.at;
          else { x.backupCalledAt = stamp.at; x.called.push(...adding); }
        },
      };
    });
  }

  /** Stands the surge down with a debrief; `summary` (the figures, and the chart's data) goes into the record. */
  standDown(actor: Actor, id: string, debrief: string, summary: Record<string, unknown>): Promise<Outcome<Surge>> {
    return this.manage(actor, id, () => {
      if (!debrief.trim()) return { reject: 'invalid', reason: 'Give a short debrief note.' };
      return {
        log: { action: 'surge.stood_down', reason: debrief.trim(), details: summary },
        apply: (x, stamp) => { x.status = 'stood_down'; x.standDown = { ...stamp, debrief: debrief.trim() }; },
      };
    });
  }

  /** A change by those who run the surge (corporate comms, desk leads, command), while it is active. */
  private manage(actor: Actor, id: string, plan: (s: Surge) => Plan<Surge>): Promise<Outcome<Surge>> {
    return this.keeper.change(actor, id, 'surge.manage', (s) => (s.status !== 'active' ? { reject: 'conflict', reason: `${s.id} has stood down.` } : plan(s)));
  }
}
