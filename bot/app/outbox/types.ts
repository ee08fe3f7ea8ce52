import type { CardView } from '../../../cards/index.ts';
import type { CardCopy } from '../../domain/escalation.ts';
import type { ChannelTarget } from '../gateway.ts';

/** The record a card shows: its card is rendered from current state when sent, so it is never stale. */
export interface OutboxSubject {
  kind: string;
  id: string;
}

/**
 * One outgoing platform call, persisted until it is delivered or given up.
 * Times in `createdAt`/`giveUpAt` come from the injected clock (they are
 * business deadlines); `notBefore` is transport time (backoff, Retry-After
 * and pacing run on the real clock, as the platforms do).
 */
export interface OutboxItem {
  id: string;
  op: 'post' | 'update';
  /** Posts: one per subject and place. Updates: one queued per card copy (later ones coalesce). */
  key: string;
  platform: 'teams' | 'slack';
  /** Where a post goes. */
  place?: ChannelTarget;
  /** Which posted copy an update changes. */
  copy?: CardCopy;
  /** The place in words, for people and logs. */
  placeName: string;
  subject?: OutboxSubject;
  /** A fixed card (a notice to a person), when there is no subject to render. */
  view?: CardView;
  /** What it is about, for logs: an id or `person:<id>`. */
  label: string;
  /** A critical or high escalation alert. */
  urgent: boolean;
  /** Order among urgent items, lowest first: a critical alert goes before a high one. */
  rank?: number;
  /** Sent because the routed places reached nobody in time. */
  fallback?: boolean;
  /** An alert to the bot admins about a dead letter: never alerted on in turn. */
  adminAlert?: boolean;
  createdAt: string;
  giveUpAt: string;
  attempts: number;
  notBefore?: string;
  /** Why the place cannot be reached yet; the item waits for it. */
  waiting?: string;
  lastError?: string;
}

/** An item the outbox gave up on, kept for the runbook's replay and for honest status. */
export interface DeadLetter extends OutboxItem {
  deadAt: string;
  reason: string;
}

/** The slice of state the outbox owns. */
export interface OutboxState {
  outbox: Record<string, OutboxItem>;
  deadLetters: Record<string, DeadLetter>;
  counters: Record<string, number>;
}

/** Where a record's card went, in words: the truth the raiser and the card are told. */
export interface DeliveryStatus {
  delivered: string[];
  pending: Array<{ place: string; state: 'sending' | 'waiting' | 'retrying'; reason: string }>;
  failed: Array<{ place: string; reason: string }>;
  /** True once every post for the subject has been tried at least once. */
  settled: boolean;
}
