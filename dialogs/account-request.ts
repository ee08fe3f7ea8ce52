import { dateProblem } from './dates.ts';
import type { AccountDetails, TwoFactor } from '../bot/domain/account-types.ts';
import { SOCIAL_PLATFORMS, type SocialPlatform } from '../bot/domain/escalation.ts';
import { bareHandle, handleProblem, type NamingRule } from '../bot/domain/naming.ts';
import type { FormOption } from '../cards/dialog-form/model.ts';
import type { Answers, DialogDefinition, FieldDef } from './types.ts';

export const ACCOUNT_REQUEST = 'account-request';

/** What the account request dialog needs from the force config and the register. */
export interface AccountRequestContext {
  naming: NamingRule;
  emailDomains: string[];
  areas: ReadonlyArray<{ id: string; name: string }>;
  people: FormOption[];
  investigationsProcess: string;
  /** True when a live account already has this handle on this platform. */
  handleTaken: (handle: string, platform: string) => boolean;
}

const YES_NO = [{ value: 'yes', title: 'Yes' }, { value: 'no', title: 'No' }];
const mustBeYes = (id: string, label: string, why: string): FieldDef => ({
  id, label, kind: 'choice', required: true, options: YES_NO, validate: (v) => (v === 'yes' ? undefined : why),
});

/**
 * Requesting a new official account: what and where, why and for whom, who
 * runs it, and the security checklist. The naming rule, force email domains
 * and the ban on investigative accounts are checked as the user goes.
 */
export function accountRequestDialog(ctx: AccountRequestContext): DialogDefinition {
  const domains = ctx.emailDomains.map((d) => d.toLowerCase());
  return {
    id: ACCOUNT_REQUEST,
    title: 'Request an account',
    submitLabel: 'Submit for approval',
    steps: [
      {
        id: 'account', title: 'The account',
        fields: [
          {
            id: 'accountType', label: 'What is the account for?', kind: 'choice', required: true,
            options: [{ value: 'engagement', title: 'Public engagement (an official force account)' }, { value: 'investigative', title: 'Investigation or research' }],
            validate: (v) => (v === 'investigative' ? `Bluedesk only governs public engagement accounts; investigative accounts are kept separate, as the APP requires. ${ctx.investigationsProcess}` : undefined),
          },
          { id: 'platform', label: 'Platform', kind: 'choice', required: true, options: SOCIAL_PLATFORMS.filter((p) => p !== 'Other').map((p) => ({ value: p, title: p })) },
          { id: 'displayName', label: 'Display name', kind: 'text', required: true, maxLength: 50 },
          {
            id: 'handle', label: 'Handle', kind: 'text', required: true, maxLength: 50, placeholder: `@${ctx.naming.prefix}…`, hint: `Rule: ${ctx.naming.description}.`,
            validate: (v, a) => handleProblem(ctx.naming, v, a.displayName ?? '') ?? (ctx.handleTaken(bareHandle(v), a.platform ?? '') ? `@${bareHandle(v)} is already in the register on ${a.platform}.` : undefined),
          },
          { id: 'area', label: 'Owning team or area', kind: 'choice', required: true, options: ctx.areas.map((x) => ({ value: x.id, title: x.name })) },
        ],
      },
      {
        id: 'purpose', title: 'Purpose and audience',
        fields: [
          { id: 'purpose', label: 'Purpose', kind: 'multiline', required: true, maxLength: 1000 },
          { id: 'audience', label: 'Audience', kind: 'text', required: true, maxLength: 200 },
          { id: 'verificationPlan', label: 'Verification plan', kind: 'multiline', required: true, maxLength: 500, hint: 'How official verification will be applied for, or why it is not available.' },
        ],
      },
      {
        id: 'people', title: 'Who runs it',
        fields: [
          { id: 'owner', label: 'Account owner', kind: 'choice', required: true, options: ctx.people },
          { id: 'admins', label: 'Administrators', kind: 'multichoice', required: false, options: ctx.people },
          {
            id: 'businessEmail', label: 'Business email used to register', kind: 'text', required: true, maxLength: 200,
            validate: (v) => {
              const domain = v.toLowerCase().split('@')[1] ?? '';
              if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)) return 'Enter an email address.';
              return domains.includes(domain) ? undefined : `Use a force business address (@${domains.join(', @')}). Personal email addresses are not allowed for official accounts.`;
            },
          },
        ],
      },
      {
        id: 'security', title: 'Security checklist',
        fields: [
          {
            id: 'twoFactor', label: 'Two-factor method', kind: 'choice', required: true,
            options: [{ value: 'authenticator', title: 'Authenticator app' }, { value: 'passkey', title: 'Passkey' }, { value: 'sms', title: 'SMS (discouraged)' }],
            hint: 'SMS codes can be intercepted or SIM-swapped: approvers will see a warning.',
          },
          mustBeYes('loginAlerts', 'Login alerts on?', 'Login alerts must be on for every official account.'),
          mustBeYes('credentials', 'Credentials in the force password manager, or passkeys?', 'Credentials must be in the force password manager (or passkeys), never elsewhere.'),
          mustBeYes('smmp', 'Will it be enrolled in the social media management platform?', 'Access must go through the social media management platform.'),
          {
            id: 'thirdPartyApps', label: 'Third-party apps wanted (optional)', kind: 'multiline', required: false, maxLength: 1000,
            hint: 'One per line, as "App: why it is critically necessary".', validate: (v) => (v.split('\n').every((l) => !l.trim() || /^[^:]+:\s*\S/.test(l)) ? undefined : 'Give each app with its justification, as "App: why it is needed".'),
          },
          {
            id: 'reviewDate', label: 'Review date (YYYY-MM-DD)', kind: 'text', required: true, maxLength: 10,
            validate: (v, _a, now) => dateProblem(v, now, { from: 'tomorrow' }),
          },
        ],
      },
    ],
  };
}

/** Turns the dialog's answers into the domain's request details. */
export function toAccountDetails(a: Answers): AccountDetails {
  return {
    platform: a.platform as SocialPlatform,
    handle: bareHandle(a.handle ?? ''),
    displayName: a.displayName ?? '',
    purpose: a.purpose ?? '',
    audience: a.audience ?? '',
    area: a.area ?? '',
    ownerId: a.owner ?? '',
    adminIds: a.admins ? a.admins.split(',').filter(Boolean) : [],
    businessEmail: (a.businessEmail ?? '').toLowerCase(),
    verificationPlan: a.verificationPlan ?? '',
    twoFactor: a.twoFactor as TwoFactor,
    loginAlerts: a.loginAlerts === 'yes',
    credentialsInPasswordManager: a.credentials === 'yes',
    smmpEnrolled: a.smmp === 'yes',
    thirdPartyApps: (a.thirdPartyApps ?? '').split('\n').map((l) => l.trim()).filter(Boolean),
    reviewDate: a.reviewDate ?? '',
  };
}

/** Answers that pre-fill the dialog from an earlier request (to amend it). */
export function answersFrom(d: AccountDetails): Answers {
  return {
    accountType: 'engagement', platform: d.platform, displayName: d.displayName, handle: d.handle, area: d.area, purpose: d.purpose, audience: d.audience,
    verificationPlan: d.verificationPlan, owner: d.ownerId, admins: d.adminIds.join(','), businessEmail: d.businessEmail, twoFactor: d.twoFactor,
    loginAlerts: 'yes', credentials: 'yes', smmp: 'yes', thirdPartyApps: d.thirdPartyApps.join('\n'), reviewDate: d.reviewDate,
  };
}
