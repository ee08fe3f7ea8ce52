import type { FormOption } from '../cards/dialog-form/model.ts';
import { oneFieldDialog, textField } from './one-field.ts';
import type { DialogDefinition } from './types.ts';

export const ADD_NOTE = 'add-note';
export const ASSIGN = 'assign';
export const CLOSE = 'close-escalation';
export const REOPEN = 'reopen-escalation';

/** The one-step dialogs behind an alert's Add note, Assign, Close and Reopen buttons; `assignees` is asked each time the form opens (someone suspended since is not offered). */
export function escalationStepDialogs(assignees: () => FormOption[]): DialogDefinition[] {
  return [
    oneFieldDialog(ADD_NOTE, 'Add note', 'Add note', textField('note', 'Note', 2000, 'Facts and actions only; no more personal data than needed.')),
    { id: ASSIGN, title: 'Assign escalation', submitLabel: 'Assign', steps: [{ id: 'assignee', title: 'Assign to', fields: () => [{ id: 'assignee', label: 'Assign to', kind: 'choice', required: true, options: assignees() }] }] },
    oneFieldDialog(CLOSE, 'Close escalation', 'Close', textField('reason', 'Outcome', 500, 'What happened, in a sentence or two.')),
    oneFieldDialog(REOPEN, 'Reopen escalation', 'Reopen', textField('reason', 'Why reopen it?')),
  ];
}
