import { dateProblem } from './dates.ts';
import { SOCIAL_PLATFORMS } from '../bot/domain/escalation.ts';
import { oneFieldDialog, textField } from './one-field.ts';
import type { Answers, DialogDefinition } from './types.ts';

export const REJECT_REQUEST = 'account-reject';
export const REQUEST_CHANGES = 'account-changes';
export const ACCOUNT_SETUP = 'account-setup';
export const ACCOUNT_CLOSE = 'account-close';
export const REJECT_CLOSURE = 'account-reject-closure';
export const IMPERSONATION = 'impersonation-report';
export const IMPERSONATION_REF = 'impersonation-reference';

const YES_NO = [{ value: 'yes', title: 'Yes' }, { value: 'no', title: 'No' }];
const ISO_DATE = (v: string, _a: Answers, now: Date) => dateProblem(v, now, { from: 'today' });

/** The short dialogs behind account and impersonation card buttons, and `/account close` and `/impersonation`. */
export function accountStepDialogs(isOfficial: (handle: string) => boolean): DialogDefinition[] {
  return [
    oneFieldDialog(REJECT_REQUEST, 'Reject request', 'Reject', textField('reason', 'Why is it rejected?')),
    oneFieldDialog(REQUEST_CHANGES, 'Request changes', 'Send back', textField('comment', 'What needs to change?')),
    {
      id: ACCOUNT_SETUP, title: 'Account set-up', submitLabel: 'Confirm set-up',
      steps: [{
        id: 'setup', title: 'Set-up checklist',
        fields: [
          { id: 'createdWithBusinessEmail', label: 'Created with the business email?', kind: 'choice', required: true, options: YES_NO },
          { id: 'twoFactorOn', label: 'Two-factor authentication on?', kind: 'choice', required: true, options: YES_NO },
          { id: 'loginAlertsOn', label: 'Login alerts on?', kind: 'choice', required: true, options: YES_NO },
          { id: 'inSmmp', label: 'Added to the social media management platform?', kind: 'choice', required: true, options: YES_NO },
          { id: 'verification', label: 'Verification', kind: 'choice', required: true, options: [{ value: 'applied', title: 'Applied for' }, { value: 'granted', title: 'Granted' }, { value: 'not_available', title: 'Not available on this platform' }] },
        ],
      }],
    },
    {
      id: ACCOUNT_CLOSE, title: 'Close an account', submitLabel: 'Ask for approval',
      steps: [{
        id: 'close', title: 'Closure',
        fields: [
          { id: 'reason', label: 'Why close it?', kind: 'multiline', required: true, maxLength: 500 },
          { id: 'content', label: 'What happens to its content?', kind: 'choice', required: true, options: [{ value: 'archive', title: 'Archive it' }, { value: 'delete', title: 'Delete it' }] },
          { id: 'effectiveDate', label: 'Effective date (YYYY-MM-DD)', kind: 'text', required: true, maxLength: 10, validate: ISO_DATE },
        ],
      }],
    },
    oneFieldDialog(REJECT_CLOSURE, 'Reject closure', 'Reject', textField('reason', 'Why not close it?')),
    {
      id: IMPERSONATION, title: 'Report impersonation', submitLabel: 'Report',
      steps: [{
        id: 'report', title: 'The fake account',
        fields: [
          { id: 'platform', label: 'Platform', kind: 'choice', required: true, options: SOCIAL_PLATFORMS.map((p) => ({ value: p, title: p })) },
          { id: 'target', label: 'Link or handle of the fake account', kind: 'text', required: true, maxLength: 300 },
          {
            id: 'imitates', label: 'Which official account does it imitate? (handle)', kind: 'text', required: true, maxLength: 50,
            validate: (v) => (isOfficial(v) ? undefined : `@${v.replace(/^@/, '')} is not in the register of official accounts. Check the handle with /accounts.`),
          },
          { id: 'notes', label: 'What it is doing (optional)', kind: 'multiline', required: false, maxLength: 1000 },
        ],
      }],
    },
    oneFieldDialog(IMPERSONATION_REF, 'Reported to platform', 'Save', { id: 'platformRef', label: 'The platform’s reference for the report', kind: 'text', required: true, maxLength: 100 }),
  ];
}
