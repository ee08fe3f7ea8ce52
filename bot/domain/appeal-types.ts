import type { CheckpointState } from './checkpoint.ts';
import type { CardCopy, Stamp } from './escalation.ts';

/** What kind of public appeal a post is. */
export const APPEAL_TYPES = {
  missing_person: 'Missing person',
  wanted_person: 'Wanted person',
  witness_appeal: 'Witness appeal',
  other: 'Other appeal',
} as const;
export type AppealType = keyof typeof APPEAL_TYPES;

/** What is asked when an appeal is registered. */
export interface AppealInput {
  type: AppealType;
  /** The appeal's posts, one URL each (the same appeal on several platforms, or a thread). */
  urls: string[];
  /** The official account (register id) that posted it. */
  accountId: string;
  area: string;
  /** UK date (YYYY-MM-DD) when the owner is asked to keep, remove or archive it. */
  reviewDate: string;
  /** A reference for the appeal, e.g. the missing person report or crime number; never the person's details. */
  reference: string;
}

/** One post of an appeal, and what happened to it. */
export interface AppealPost {
  id: string;
  url: string;
  state: 'live' | 'removed' | 'archived';
  done?: Stamp;
}

/**
 * A public appeal as stored.
 * - `live`: posted, reviewed on its review date.
 * - `closing`: removal asked for (the appeal closed, or a review decided to
 *   remove or archive it), tracked until every post is confirmed.
 * - `finished`: every post removed or archived.
 */
export interface Appeal extends Omit<AppealInput, 'urls'> {
  id: string;
  status: 'live' | 'closing' | 'finished';
  posts: AppealPost[];
  registered: Stamp;
  /** The review date the owner was last reminded of, so a reminder goes once per date. */
  reviewRemindedFor?: string;
  reviews: Array<Stamp & { decision: 'keep' | 'remove' | 'archive'; nextReview?: string }>;
  /** Why removal was asked for, and whether it is urgent (the appeal closed: a found missing person's appeal must come down now). */
  closing?: Stamp & { reason: string; urgent: boolean };
  /** Removal reminders sent, and when the overdue removal went to corporate communications. */
  reminders: number;
  escalatedAt?: string;
  finishedAt?: string;
  copies: CardCopy[];
}

/** The slice of state appeals own. */
export interface AppealsState extends CheckpointState {
  appeals: Record<string, Appeal>;
  counters: Record<string, number>;
}
