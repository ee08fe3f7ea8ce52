import type { FormOption } from '../cards/dialog-form/model.ts';
import type { DialogDefinition } from './types.ts';

export const LEAVER_TRANSFER = 'leaver-transfer';
export const LEAVER_PSD_REVIEW = 'leaver-psd-review';

/**
 * The short dialogs behind leaver card buttons: naming an account's new
 * owner (the item it ticks is in the context), and PSD's review of a case
 * someone marked "sensitive".
 */
export function leaverStepDialogs(people: () => FormOption[]): DialogDefinition[] {
  return [
    {
      id: LEAVER_TRANSFER, title: 'Transfer ownership', submitLabel: 'Transfer',
      steps: [{
        id: 'owner', title: 'The new owner',
        fields: (a) => [{
          id: 'newOwnerId', label: 'New owner', kind: 'choice', required: true,
          options: people().filter((p) => p.value !== a.leaverPersonId),
          hint: 'The register is updated when you confirm. Make them owner on the platform and in the management platform first.',
        }],
      }],
    },
    {
      id: LEAVER_PSD_REVIEW, title: 'PSD review', submitLabel: 'Record review',
      steps: [{
        id: 'review', title: 'Is it PSD-related?',
        fields: [
          { id: 'outcome', label: 'Is this case related to a professional standards investigation?', kind: 'choice', required: true, options: [{ value: 'yes', title: 'Yes: restrict it, suspend their roles, due now' }, { value: 'no', title: 'No: an ordinary case' }] },
          { id: 'reason', label: 'Reason (seen only by PSD and information security)', kind: 'multiline', required: true, maxLength: 1000 },
        ],
      }],
    },
  ];
}
