import type { DialogDefinition, FieldDef } from './types.ts';

/** A dialog of one step with one field: a reason, a comment, a note, a reference. */
export function oneFieldDialog(id: string, title: string, submitLabel: string, field: FieldDef): DialogDefinition {
  return { id, title, submitLabel, steps: [{ id: field.id, title: field.label, fields: [field] }] };
}

/** A required free-text answer of up to `maxLength` characters. */
export function textField(id: string, label: string, maxLength = 500, hint?: string): FieldDef {
  return { id, label, kind: 'multiline', required: true, maxLength, ...(hint ? { hint } : {}) };
}
