import type { PlatformIdentity } from './people.ts';

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
}

/** Who and when, for a step in an escalation's life. */
export interface Stamp {
  personId: string;
  name: string;
  via: PlatformIdentity;
  at: string;
}

/** Where a copy of an escalation's card was posted, so every copy can be updated in place. */
export type CardCopy =
  | { platform: 'teams'; conversationKey: string; activityId: string }
  | { platform: 'slack'; channelId: string; ts: string };

/** An escalation as stored. Times are UTC ISO strings. */
export interface Escalation extends EscalationInput {
  id: string;
  severity: Severity;
  status: 'open' | 'acknowledged';
  raised: Stamp;
  acknowledged?: Stamp;
  copies: CardCopy[];
}
