import type { Decision } from './decisions.ts';
import type { PlatformIdentity } from './people.ts';
import type { RouteDecision } from './routing.ts';

/** Escalation categories, from the issue brief and the APP's escalation duties. */
export const CATEGORIES = [
  'threat_to_life',
  'safeguarding',
  'crime_report',
  'intelligence',
  'misinformation',
  'contentious',
  'complaint',
  'abuse_of_staff',
  'impersonation',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, string> = {
  threat_to_life: 'Threat to life or immediate risk of harm',
  safeguarding: 'Safeguarding',
  crime_report: 'Crime report or call for service',
  intelligence: 'Intelligence',
  misinformation: 'Misinformation',
  contentious: 'Contentious or reputational',
  complaint: 'Complaint about police',
  abuse_of_staff: 'Abuse of staff',
  impersonation: 'Impersonation of a force account',
  other: 'Other',
};

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
/** How urgently an escalation needs a human. */
export type Severity = (typeof SEVERITIES)[number];

/**
 * Default severity per category. Threat to life is always critical; the rest
 * follow the APP's emphasis on harm first, then reputation.
 */
export const CATEGORY_SEVERITY: Record<Category, Severity> = {
  threat_to_life: 'critical',
  safeguarding: 'high',
  crime_report: 'high',
  abuse_of_staff: 'high',
  intelligence: 'medium',
  misinformation: 'medium',
  contentious: 'medium',
  complaint: 'medium',
  impersonation: 'medium',
  other: 'low',
};

export const SOCIAL_PLATFORMS = [
  'X', 'Facebook', 'Instagram', 'TikTok', 'YouTube', 'Threads', 'Bluesky', 'LinkedIn', 'Nextdoor', 'Snapchat', 'Reddit', 'WhatsApp', 'Other',
] as const;
export type SocialPlatform = (typeof SOCIAL_PLATFORMS)[number];

/** Whether the content's author is a victim or witness, which governs how we may contact them. */
export type VictimWitness = 'yes' | 'no' | 'unknown';

/** What the raiser tells us about the content. */
export interface EscalationInput {
  contentUrl: string;
  platform: SocialPlatform;
  forceAccount?: string;
  category: Category;
  summary: string;
  area: string;
  authorIsVictimOrWitness: VictimWitness;
  /** Only meaningful when the author is a victim or witness. */
  authorAlreadyEngaged?: boolean;
  /** The text of the post as seen, when captured; only its hash is kept. */
  capturedText?: string;
  /** When a monitoring tool captured it (UTC ISO); defaults to when it was raised. */
  capturedAt?: string;
  /** Screenshots attached on the platform: the file's hash and the platform's id for it, never the file. */
  attachments?: Attachment[];
}

/** A screenshot or file shared with an escalation, identified but not stored. */
export interface Attachment {
  platform: 'teams' | 'slack' | 'api';
  fileId: string;
  name?: string;
  sha256?: string;
}

/** What was seen, fixed at capture so a later dispute can show it: never the content itself. */
export interface Evidence {
  normalisedUrl: string;
  capturedAt: string;
  textSha256?: string;
  attachments: Attachment[];
}

/** A note added to an escalation. */
export interface Note {
  id: string;
  text: string;
  by: Stamp;
}

/** Who and when, for a step in an escalation's life. */
export interface Stamp {
  personId: string;
  name: string;
  via: PlatformIdentity;
  at: string;
}

/**
 * Where a copy of a card was posted, so every copy can be updated in place.
 * `place` keys the target it was posted for, `name` says it in words, and
 * `fallback` marks a copy sent because the routed places reached nobody.
 */
export type CardCopy = ({ platform: 'teams'; conversationKey: string; activityId: string } | { platform: 'slack'; channelId: string; ts: string }) & {
  place?: string;
  name?: string;
  fallback?: boolean;
  /** SHA-256 of the card last sent to this copy, so an update that would change nothing is not sent. */
  sentHash?: string;
};

/** Where an escalation stands. */
export type EscalationStatus = 'open' | 'acknowledged' | 'closed';

/** An escalation as stored. Times are UTC ISO strings. */
export interface Escalation extends Omit<EscalationInput, 'capturedText' | 'capturedAt'> {
  id: string;
  severity: Severity;
  status: EscalationStatus;
  raised: Stamp;
  acknowledged?: Stamp;
  closed?: Stamp & { reason?: string };
  owner?: { personId: string; name: string; since: string };
  /** How many tiers of the SLA ladder have been pulled in. */
  tier: number;
  route: RouteDecision;
  /** Set when the alert reached nobody in time and went to the fallback places. */
  fallback?: { at: string };
  /** Raised while a surge was active: its SLAs follow the surge profile, and below the digest threshold it goes into the surge's digest instead of its own posts. */
  surge?: { id: string; level: number; digest: boolean };
  notes: Note[];
  decisions: Decision[];
  evidence: Evidence;
  copies: CardCopy[];
}
