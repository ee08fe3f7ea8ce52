import { dateProblem, isCalendarDate, ukToday } from './dates.ts';
import type { LeaverInput, PsdStatus } from '../bot/domain/leaver-types.ts';
import { ROLE_LABELS, type Role } from '../bot/domain/roles.ts';
import type { FormOption } from '../cards/dialog-form/model.ts';
import type { Answers, DialogDefinition, FieldDef } from './types.ts';

export const LEAVER_CASE = 'leaver-case';

/** A live account in the register, as the dialog offers it. */
export interface RegisterEntry {
  id: string;
  label: string;
  ownerId: string;
  adminIds: string[];
}

/** What the leaver dialog needs from the directory and the register. */
export interface LeaverDialogContext {
  people: () => FormOption[];
  accounts: () => RegisterEntry[];
  /** A person's configured Bluedesk roles. */
  rolesOf: (personId: string) => Role[];
}

/** The choice for someone the directory does not list: their name is then required. */
const NOT_LISTED = '_not_listed';
const YES_NO = [{ value: 'no', title: 'No' }, { value: 'yes', title: 'Yes' }];
const lines = (v: string | undefined) => (v ?? '').split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 20);
const list = (v: string | undefined) => (v ? v.split(',').filter(Boolean) : []);

/**
 * `/leaver` and `/mover`: who, when, whether it is PSD-related (asked only
 * of PSD and information security; anyone else may mark it "sensitive — PSD
 * to review"), the accounts they can reach (pre-filled from the register),
 * what a mover keeps, and their devices and authorised apps.
 */
export function leaverDialog(ctx: LeaverDialogContext): DialogDefinition {
  const who = (a: Answers, now: Date): FieldDef[] => [
    { id: 'kind', label: 'Leaver or mover?', kind: 'choice', required: true, options: [{ value: 'leaver', title: 'Leaver: leaving the force' }, { value: 'mover', title: 'Mover: changing post' }] },
    { id: 'personId', label: 'Who is it?', kind: 'choice', required: true, options: [...ctx.people(), { value: NOT_LISTED, title: 'Someone not in the directory' }], hint: 'Choose them from the directory.',
      validate: (v, x) => (v === NOT_LISTED && !x.otherName ? 'They are not in the directory: give their name below.' : undefined) },
    {
      id: 'otherName', label: 'If they are not in the directory, their name', kind: 'text', required: false, maxLength: 100,
      validate: (v, x) => (x.personId !== NOT_LISTED ? 'Give a name only for someone not in the directory.' : undefined),
    },
    {
      id: 'effectiveDate', label: 'Effective date (YYYY-MM-DD)', kind: 'text', required: true, maxLength: 10, hint: `Their last day in post, e.g. ${ukToday(now)} for today.`,
      validate: (v, x, at) => {
        const today = ukToday(at);
        if (x.psd !== 'yes' && isCalendarDate(v) && v < today) return `The effective date cannot be in the past. If they have already gone, use today (${today}).`;
        return dateProblem(v, at);
      },
    },
    ...(a.canMarkPsd === 'yes'
      ? [
          { id: 'psd', label: 'Is this related to a professional standards (PSD) investigation?', kind: 'choice', required: true, options: YES_NO, hint: 'A PSD-related case is restricted: their Bluedesk roles are suspended at once and every task is due now.' },
          { id: 'psdReason', label: 'Why it is PSD-related (seen only by PSD and information security)', kind: 'multiline', required: false, maxLength: 1000, hint: 'Needed when you answer yes above.', requiredWhen: (x) => (x.psd === 'yes' ? 'Say why it is PSD-related: only PSD and information security will see it.' : undefined) },
        ] satisfies FieldDef[]
      : [{ id: 'sensitive', label: 'Sensitive — PSD to review?', kind: 'choice', required: true, options: YES_NO, hint: 'Choose yes if professional standards should review this case. It is then restricted; you need not say why.' }] satisfies FieldDef[]),
  ];
  return {
    id: LEAVER_CASE,
    title: 'Mover or leaver',
    submitLabel: 'Start offboarding',
    steps: [
      { id: 'who', title: 'Who and when', fields: who },
      {
        id: 'accounts', title: 'Accounts they can reach',
        when: () => ctx.accounts().length > 0,
        prefill: (a) => ({ accountIds: ctx.accounts().filter((x) => a.personId && (x.ownerId === a.personId || x.adminIds.includes(a.personId))).map((x) => x.id).join(',') }),
        fields: (a) => [{
          id: 'accountIds', label: 'Official accounts they can reach', kind: 'multichoice', required: false,
          options: ctx.accounts().map((x) => ({ value: x.id, title: `${x.label}${x.ownerId === a.personId ? ' (owner)' : x.adminIds.includes(a.personId ?? '') ? ' (admin)' : ''}` })),
          hint: 'Filled in from the register, whose accounts for them are always covered. Add any others they could reach, e.g. through a shared login.',
        }],
      },
      {
        id: 'mover', title: 'The new post',
        when: (a) => a.kind === 'mover',
        fields: (a) => {
          const roles = a.personId && a.personId !== NOT_LISTED ? ctx.rolesOf(a.personId) : [];
          const chosen = ctx.accounts().filter((x) => list(a.accountIds).includes(x.id));
          return [
            { id: 'newPost', label: 'New post', kind: 'text', required: true, maxLength: 200 },
            ...(roles.length ? [{ id: 'keepRoles', label: 'Bluedesk roles the new post still needs', kind: 'multichoice', required: false, options: roles.map((r) => ({ value: r, title: ROLE_LABELS[r] })), hint: 'The rest are removed on the effective date.' }] satisfies FieldDef[] : []),
            ...(chosen.length ? [{ id: 'keepAccountIds', label: 'Accounts the new post still needs', kind: 'multichoice', required: false, options: chosen.map((x) => ({ value: x.id, title: x.label })), hint: 'Access to the others is removed.' }] satisfies FieldDef[] : []),
          ];
        },
      },
      {
        id: 'devices', title: 'Devices and apps',
        fields: [
          { id: 'devices', label: 'Personal or off-network devices they used for force accounts (optional)', kind: 'multiline', required: false, maxLength: 1000, hint: 'One per line, e.g. "Personal iPhone".' },
          { id: 'apps', label: 'Third-party apps they authorised (optional)', kind: 'multiline', required: false, maxLength: 1000, hint: 'One per line.' },
        ],
      },
    ],
  };
}

/** The dialog's answers as the domain's input; PSD is only read when the person may mark it. */
export function toLeaverInput(a: Answers, name: (personId: string) => string | undefined): LeaverInput {
  const mayMark = a.canMarkPsd === 'yes';
  const psd: PsdStatus = mayMark ? (a.psd === 'yes' ? 'yes' : 'no') : a.sensitive === 'yes' ? 'review' : 'no';
  const mover = a.kind === 'mover';
  const accountIds = list(a.accountIds);
  const personId = a.personId && a.personId !== NOT_LISTED ? a.personId : undefined;
  return {
    kind: mover ? 'mover' : 'leaver',
    ...(personId ? { personId } : {}),
    name: (personId ? name(personId) : undefined) ?? a.otherName ?? '',
    effectiveDate: a.effectiveDate ?? '',
    psd,
    ...(psd === 'yes' && a.psdReason ? { psdReason: a.psdReason } : {}),
    accountIds,
    ...(mover && a.newPost ? { newPost: a.newPost } : {}),
    keepRoles: mover ? (list(a.keepRoles) as Role[]) : [],
    keepAccountIds: mover ? list(a.keepAccountIds).filter((id) => accountIds.includes(id)) : [],
    devices: lines(a.devices),
    apps: lines(a.apps),
  };
}
