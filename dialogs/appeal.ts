import { dateProblem } from './dates.ts';
import { APPEAL_TYPES, type AppealInput, type AppealType } from '../bot/domain/appeal-types.ts';
import type { FormOption } from '../cards/dialog-form/model.ts';
import { oneFieldDialog } from './one-field.ts';
import type { Answers, DialogDefinition, FieldDef } from './types.ts';
import { urlProblem } from './validate.ts';

export const APPEAL_REGISTER = 'appeal-register';
export const APPEAL_KEEP = 'appeal-keep';
export const APPEAL_CLOSE = 'appeal-close';
export const APPEAL_POST = 'appeal-post';

/** Most posts one appeal tracks. */
export const MAX_POSTS = 10;
const urls = (v: string | undefined) => (v ?? '').split(/\s+/).map((l) => l.trim()).filter(Boolean);

/** A review date after today, as YYYY-MM-DD. */
function reviewDateField(id: string, label: string): FieldDef {
  return {
    id, label, kind: 'text', required: true, maxLength: 10,
    hint: 'The owner is asked then to keep it, remove it or archive it.',
    validate: (v, _a, now) => dateProblem(v, now, { from: 'tomorrow' }),
  };
}

/**
 * `/appeal`: registers a public appeal post (or the same appeal on several
 * platforms), and the short forms behind its card's buttons.
 */
export function appealDialogs(ctx: { accounts: () => FormOption[]; areas: Array<{ id: string; name: string }> }): DialogDefinition[] {
  return [
    {
      id: APPEAL_REGISTER, title: 'Register a public appeal', submitLabel: 'Register',
      steps: [{
        id: 'appeal', title: 'The appeal',
        prefill: (a): Answers => (a.defaultReview ? { reviewDate: a.defaultReview } : {}),
        fields: () => [
          { id: 'type', label: 'Type of appeal', kind: 'choice', required: true, options: Object.entries(APPEAL_TYPES).map(([value, title]) => ({ value, title })) },
          { id: 'accountId', label: 'Posted from', kind: 'choice', required: true, options: ctx.accounts(), hint: 'The official account in the register.' },
          { id: 'area', label: 'Area', kind: 'choice', required: true, options: ctx.areas.map((a) => ({ value: a.id, title: a.name })) },
          {
            id: 'urls', label: `Links to the posts (one per line, up to ${MAX_POSTS})`, kind: 'multiline', required: true, maxLength: 3000,
            validate: (v) => {
              const list = urls(v);
              if (list.length > MAX_POSTS) return `At most ${MAX_POSTS} posts per appeal (this has ${list.length}); register the rest as another appeal.`;
              const bad = list.find((u) => urlProblem(u));
              return bad ? `“${bad.slice(0, 80)}” is not a link to a post: give each post's full address, starting https://.` : undefined;
            },
          },
          { id: 'reference', label: 'Reference', kind: 'text', required: true, maxLength: 100, hint: 'The missing person report, crime or operation number. Not the person’s name or details: no more personal data than needed.' },
          reviewDateField('reviewDate', 'Review date (YYYY-MM-DD)'),
        ],
      }],
    },
    { id: APPEAL_KEEP, title: 'Keep the appeal up', submitLabel: 'Keep', steps: [{ id: 'keep', title: 'Next review', fields: [reviewDateField('nextReview', 'Next review date (YYYY-MM-DD)')] }] },
    oneFieldDialog(APPEAL_CLOSE, 'The appeal has ended', 'Take it down', { id: 'reason', label: 'Why it has ended (e.g. "Found safe and well", "Arrested")', kind: 'text', required: true, maxLength: 200, hint: 'Every post is then to be taken down now, and the account’s owners are told.' }),
    oneFieldDialog(APPEAL_POST, 'Post taken down', 'Confirm', { id: 'outcome', label: 'What was done', kind: 'choice', required: true, options: [{ value: 'removed', title: 'Removed (deleted from the platform)' }, { value: 'archived', title: 'Archived (hidden from the public)' }] }),
  ];
}

/** The register dialog's answers as an appeal. */
export function toAppealInput(a: Answers): AppealInput {
  return {
    type: a.type as AppealType, accountId: a.accountId ?? '', area: a.area ?? '', reference: a.reference ?? '',
    urls: urls(a.urls), reviewDate: a.reviewDate ?? '',
  };
}
