import type { FormOption } from '../cards/dialog-form/model.ts';
import type { DialogDefinition } from './types.ts';

export const ADD_NOTE = 'add-note';
export const ASSIGN = 'assign';
export const CLOSE = 'close-escalation';
export const REOPEN = 'reopen-escalation';

/** The one-step dialogs behind an alert's Add note, Assign, Close and Reopen buttons. */
export function escalationStepDialogs(assignees: FormOption[]): DialogDefinition[] {
  return [
    {
      id: ADD_NOTE, title: 'Add note', submitLabel: 'Add note',
      steps: [{ id: 'note', title: 'Note', fields: [{ id: 'note', label: 'Note', kind: 'multiline', required: true, maxLength: 2000, hint: 'Facts and actions only; no more personal data than needed.' }] }],
    },
    {
      id: ASSIGN, title: 'Assign escalation', submitLabel: 'Assign',
      steps: [{ id: 'assignee', title: 'Assign to', fields: [{ id: 'assignee', label: 'Assign to', kind: 'choice', required: true, options: assignees }] }],
    },
    {
      id: CLOSE, title: 'Close escalation', submitLabel: 'Close',
      steps: [{ id: 'close', title: 'Closing', fields: [{ id: 'reason', label: 'Outcome', kind: 'multiline', required: true, maxLength: 500, hint: 'What happened, in a sentence or two.' }] }],
    },
    {
      id: REOPEN, title: 'Reopen escalation', submitLabel: 'Reopen',
      steps: [{ id: 'reopen', title: 'Reopening', fields: [{ id: 'reason', label: 'Why reopen it?', kind: 'multiline', required: true, maxLength: 500 }] }],
    },
  ];
}
