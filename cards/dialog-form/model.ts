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
  stepCount: number;
  fields: FormField[];
  submitLabel: string;
  /** Shown above the fields when the step has errors, so screen readers hear it first. */
  errorSummary?: string;
}
