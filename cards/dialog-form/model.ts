/** A choice in a choice field. */
export interface FormOption {
  value: string;
  title: string;
}

/** One input on a dialog step, as both platforms render it. */
export interface FormField {
  id: string;
  label: string;
  kind: 'text' | 'multiline' | 'url' | 'choice' | 'multichoice';
  required: boolean;
  /** Current value: a prefill, or what the user typed before a validation error. */
  value: string;
  placeholder?: string;
  /** Guidance shown under the field. */
  hint?: string;
  maxLength?: number;
  options?: FormOption[];
  /** A validation error to show next to the field. */
  error?: string;
}

/** The view model for one step of a guided dialog. */
export interface DialogFormModel {
  sessionId: string;
  stepId: string;
  title: string;
  stepTitle: string;
  stepNumber: number;
  /** Steps that will be asked, given the answers so far. */
  stepCount: number;
  /** Steps there may be, if an answer on this step opens another (a victim or witness adds one). */
  stepCountMax: number;
  /** The record a form continuing from a card is about, e.g. ESC-00012 or @ExamplePolNorth. */
  subject?: string;
  fields: FormField[];
  submitLabel: string;
  /** Shown above the fields when the step has errors, so screen readers hear it first. */
  errorSummary?: string;
}

/**
 * "ESC-00012 · Step 2 of 2 or 3: About the author": where the person is,
 * never claiming a count a branch may change. A one-step form says only what
 * it is about (its one field's label is already on the form).
 */
export function progressText(model: DialogFormModel): string {
  const subject = model.subject ?? '';
  if (model.stepCountMax === 1) return subject;
  const span = model.stepCountMax - model.stepCount;
  const of = span === 0 ? `${model.stepCount}` : span === 1 ? `${model.stepCount} or ${model.stepCountMax}` : `${model.stepCount} to ${model.stepCountMax}`;
  return `${subject ? `${subject} · ` : ''}Step ${model.stepNumber} of ${of}: ${model.stepTitle}`;
}
