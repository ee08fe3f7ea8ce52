import { DECISION_TYPES, NDM_REQUIRED, type DecisionInput, type DecisionType } from '../bot/domain/decisions.ts';
import type { Answers, DialogDefinition, FieldDef } from './types.ts';
import { exampleUkDateTime, ukDateTimeProblem, ukLocalToIso } from './dates.ts';

export const RECORD_DECISION = 'record-decision';

const ndm = (a: Answers) => (NDM_REQUIRED as readonly string[]).includes(a.severity ?? '');
const long = (id: string, label: string, hint?: string): FieldDef => ({ id, label, kind: 'multiline', required: true, maxLength: 1000, ...(hint ? { hint } : {}) });

/**
 * Recording a decision on an escalation. The steps branch on the decision
 * type (moderation needs the community-guideline reason, a call for service
 * its incident reference) and on severity (high and critical need the full
 * National Decision Model rationale; otherwise a short reason).
 * Context answers (escalationId, severity) are set when the dialog starts.
 */
export const recordDecisionDialog: DialogDefinition = {
  id: RECORD_DECISION,
  title: 'Record decision',
  submitLabel: 'Record decision',
  steps: [
    {
      id: 'type',
      title: 'Decision',
      fields: [{ id: 'decisionType', label: 'Decision', kind: 'choice', required: true, options: Object.entries(DECISION_TYPES).map(([value, t]) => ({ value, title: t.label })) }],
    },
    {
      id: 'guideline', title: 'Community guideline', when: (a) => a.decisionType?.startsWith('moderation.') ?? false,
      fields: [{ id: 'guidelineReason', label: 'Community guideline it breaches', kind: 'text', required: true, maxLength: 300, hint: 'Shown on the card, so the action can be explained to the public.' }],
    },
    {
      id: 'incident', title: 'Incident reference', when: (a) => a.decisionType === 'referral.contact_management',
      fields: [{ id: 'incidentRef', label: 'Contact management incident reference', kind: 'text', required: true, maxLength: 50 }],
    },
    {
      id: 'platformRef', title: 'Platform reference', when: (a) => a.decisionType === 'report_to_platform',
      fields: [{ id: 'platformRef', label: 'Platform’s reference (optional)', kind: 'text', required: false, maxLength: 100 }],
    },
    {
      id: 'ndm', title: 'National Decision Model', when: ndm,
      fields: (_a, now) => [
        long('information', 'Information', 'What is known, and what is not.'),
        long('threatRisk', 'Threat and risk assessment'),
        long('powersPolicy', 'Powers and policy'),
        long('options', 'Options considered'),
        long('action', 'Action taken'),
        {
          id: 'reviewAt', label: 'Review time (UK, YYYY-MM-DD HH:MM)', kind: 'text', required: true, maxLength: 16, hint: `When the decision is to be looked at again, e.g. ${exampleUkDateTime(now)}.`,
          validate: (v, _a, at) => ukDateTimeProblem(v, at, { future: true }),
        },
      ],
    },
    { id: 'reason', title: 'Reason', when: (a) => !ndm(a), fields: [{ id: 'reason', label: 'Reason', kind: 'multiline', required: true, maxLength: 500 }] },
  ],
};

/** Turns the dialog's answers into the domain's decision. */
export function toDecisionInput(a: Answers): DecisionInput {
  const type = a.decisionType as DecisionType;
  return {
    type,
    ...(a.guidelineReason ? { guidelineReason: a.guidelineReason } : {}),
    ...(a.incidentRef ? { incidentRef: a.incidentRef } : {}),
    ...(a.platformRef ? { platformRef: a.platformRef } : {}),
    ...(a.reason ? { reason: a.reason } : {}),
    ...(ndm(a)
      ? { rationale: { information: a.information, threatRisk: a.threatRisk, powersPolicy: a.powersPolicy, options: a.options, action: a.action, reviewAt: ukLocalToIso(a.reviewAt ?? '') } }
      : {}),
  };
}
