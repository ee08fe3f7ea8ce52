import type { NdmRationale } from './decision-log.ts';
import type { Escalation, Severity, Stamp } from './escalation.ts';

/** What a decision on an escalation can be: moderation, engagement, referral, a report to the platform, or no further action. */
export const DECISION_TYPES = {
  'moderation.hide': { label: 'Moderation: hide', needs: 'guideline' },
  'moderation.delete': { label: 'Moderation: delete', needs: 'guideline' },
  'moderation.restrict': { label: 'Moderation: restrict', needs: 'guideline' },
  'moderation.block': { label: 'Moderation: block author', needs: 'guideline' },
  'engagement.reply_public': { label: 'Engagement: reply publicly', needs: 'none', contactsAuthor: true },
  'engagement.message_private': { label: 'Engagement: message the author privately', needs: 'none', contactsAuthor: true },
  'referral.contact_management': { label: 'Referral: call for service to contact management', needs: 'incidentRef' },
  'referral.intelligence': { label: 'Referral: intelligence submission', needs: 'none' },
  'referral.psd': { label: 'Referral: professional standards (PSD)', needs: 'none' },
  'referral.investigations': { label: 'Referral: investigations', needs: 'none' },
  report_to_platform: { label: 'Report to the platform', needs: 'none' },
  no_further_action: { label: 'No further action', needs: 'none' },
} as const satisfies Record<string, { label: string; needs: 'guideline' | 'incidentRef' | 'none'; contactsAuthor?: boolean }>;

export type DecisionType = keyof typeof DECISION_TYPES;

/** What someone decides, before it is checked. */
export interface DecisionInput {
  type: DecisionType;
  /** The public community-guideline reason for a moderation action, shown on the card so it can be explained to the public. */
  guidelineReason?: string;
  /** The contact management incident reference for a call for service. */
  incidentRef?: string;
  /** The platform's reference for a report. */
  platformRef?: string;
  /** A short reason (enough for medium and low severity). */
  reason?: string;
  /** National Decision Model rationale (required for high and critical severity). */
  rationale?: NdmRationale;
}

/** A recorded decision. */
export interface Decision extends DecisionInput {
  id: string;
  by: Stamp;
}

/** Severities whose decisions need the full National Decision Model rationale. */
export const NDM_REQUIRED: readonly Severity[] = ['critical', 'high'];
const NDM_FIELDS: Array<[keyof NdmRationale, string]> = [
  ['information', 'Information'], ['threatRisk', 'Threat and risk assessment'], ['powersPolicy', 'Powers and policy'],
  ['options', 'Options considered'], ['action', 'Action taken'], ['reviewAt', 'Review time'],
];

/** The APP's rule, in words a person can act on. */
export const VICTIM_RULE =
  'College of Policing guidance (APP) forbids using corporate engagement channels to contact victims or witnesses who have not already engaged with the force on that channel. ' +
  'Refer it to contact management instead (Referral: call for service to contact management), who will make contact through the proper route.';

/** Why a decision cannot be recorded: bad input (not recorded) or the victim/witness rule (a refusal, recorded). */
export type DecisionProblem = { kind: 'invalid'; message: string } | { kind: 'victim-rule'; message: string };

/** Checks a decision against its type's needs, the severity's rationale rule, and the victim/witness rule. */
export function checkDecision(e: Escalation, d: DecisionInput): DecisionProblem | undefined {
  const spec = DECISION_TYPES[d.type] as { needs: string; contactsAuthor?: boolean } | undefined;
  if (!spec) return { kind: 'invalid', message: `Unknown decision type "${String(d.type)}".` };
  // The victim/witness rule comes first: no amount of rationale makes the contact allowed.
  if (breaksVictimRule(e, d.type)) return { kind: 'victim-rule', message: VICTIM_RULE };
  if (spec.needs === 'guideline' && !d.guidelineReason?.trim()) return { kind: 'invalid', message: 'A moderation action needs the public community-guideline reason.' };
  if (spec.needs === 'incidentRef' && !d.incidentRef?.trim()) return { kind: 'invalid', message: 'A call for service needs the contact management incident reference.' };
  if (NDM_REQUIRED.includes(e.severity)) {
    const missing = NDM_FIELDS.filter(([k]) => !d.rationale?.[k]?.trim()).map(([, label]) => label);
    if (missing.length) return { kind: 'invalid', message: `A ${e.severity} escalation needs the full National Decision Model rationale; missing: ${missing.join(', ')}.` };
  } else if (!d.reason?.trim() && !d.rationale?.action?.trim()) {
    return { kind: 'invalid', message: 'Give a short reason for the decision.' };
  }
  return undefined;
}

/** True when the decision would contact a victim or witness who has not engaged with the force on that channel. */
export function breaksVictimRule(e: Pick<Escalation, 'authorIsVictimOrWitness' | 'authorAlreadyEngaged'>, type: string): boolean {
  const spec = DECISION_TYPES[type as DecisionType] as { contactsAuthor?: boolean } | undefined;
  return !!spec?.contactsAuthor && e.authorIsVictimOrWitness === 'yes' && !e.authorAlreadyEngaged;
}

/** One line for a decision, for cards and timelines. */
export function describeDecision(d: DecisionInput): string {
  const label = DECISION_TYPES[d.type]?.label ?? d.type;
  const extra = d.guidelineReason ? ` (community guideline: ${d.guidelineReason})` : d.incidentRef ? ` (incident ${d.incidentRef})` : d.platformRef ? ` (platform ref ${d.platformRef})` : '';
  return label + extra;
}
