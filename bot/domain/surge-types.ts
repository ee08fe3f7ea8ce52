import type { CheckpointState } from './checkpoint.ts';
import type { CardCopy, Stamp } from './escalation.ts';

/** What set a surge off. */
export const TRIGGERS = {
  major_incident: 'Major incident',
  critical_incident: 'Critical incident',
  contentious_content: 'Contentious or viral content',
  planned_event: 'Planned event',
  platform_outage: 'Platform outage',
  other: 'Other',
} as const;
export type Trigger = keyof typeof TRIGGERS;

/** The playbook's actions, from the APP's surge and continuity guidance. */
export const SURGE_ACTIONS = {
  extend_desk_cover: 'Extend digital desk cover',
  call_surge_rota: 'Call in the surge rota',
  pause_scheduled_posts: 'Pause scheduled posts on the affected accounts',
  stricter_moderation: 'Apply stricter moderation',
  holding_statement: 'Approve a holding statement',
  move_to_other_platforms: 'Move communication to the other platforms',
  update_force_website: 'Put updates on the force website',
} as const;
export type SurgeActionId = keyof typeof SURGE_ACTIONS;

/** 1 (elevated) to 3 (full surge). */
export type SurgeLevel = 1 | 2 | 3;

/** What the person activating tells us. */
export interface SurgeInput {
  trigger: Trigger;
  level: SurgeLevel;
  incidentName: string;
  incidentRef: string;
  accountIds: string[];
  areas: string[];
  expectedDuration: string;
  inChargeId: string;
  actions: SurgeActionId[];
}

/** One thing to do, ticked on the card: a playbook action, or a step of the continuity plan. */
export interface SurgeTask {
  id: string;
  kind: 'action' | 'continuity';
  text: string;
  done?: Stamp;
}

/** A rota member's answer. */
export interface RotaAnswer {
  answer: 'now' | 'from' | 'unavailable';
  /** HH:MM (UK) for "available from". */
  from?: string;
  at: string;
}

/** A surge as stored. Times are UTC ISO strings. */
export interface Surge extends Omit<SurgeInput, 'actions'> {
  id: string;
  status: 'active' | 'stood_down';
  activated: Stamp;
  /** Every level it has been at, in order, with who set it and when. */
  levels: Array<{ level: SurgeLevel; at: string; by: string }>;
  tasks: SurgeTask[];
  /** Who was called: the rota, and the backup list once it was called. */
  called: string[];
  answers: Record<string, RotaAnswer>;
  remindedAt?: string;
  backupCalledAt?: string;
  standDown?: Stamp & { debrief: string };
  copies: CardCopy[];
}

/**
 * The digest of a surge's escalations below its threshold: one card per
 * channel, updated in place. What it lists is derived from the escalations
 * (those marked for this surge's digest); this keeps only its copies and
 * when they were last refreshed, so it is written outside the log.
 */
export interface SurgeDigest {
  id: string;
  surgeId: string;
  refreshedAt?: string;
  /** Set once the stand-down summary was queued, so start-up can post one a crash cut off. */
  summaryPosted?: boolean;
  copies: CardCopy[];
}

/** The slice of state surges own. */
export interface SurgeState extends CheckpointState {
  surges: Record<string, Surge>;
  surgeDigests: Record<string, SurgeDigest>;
  counters: Record<string, number>;
}
