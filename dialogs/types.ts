import type { FormOption } from '../cards/dialog-form/model.ts';

/** Answers collected so far, keyed by field id. Values are trimmed strings. */
export type Answers = Record<string, string>;

/** A declarative field: what to ask and how to check it. */
export interface FieldDef {
  id: string;
  label: string;
  kind: 'text' | 'multiline' | 'url' | 'choice' | 'multichoice';
  required: boolean;
  maxLength?: number;
  placeholder?: string;
  hint?: string;
  options?: FormOption[];
  /** For a field needed only after some answers on its own step (the PSD reason, once "PSD-related" is chosen): the message when it is left empty then. */
  requiredWhen?: (answers: Answers) => string | undefined;
  /** Extra check after the built-in ones, given the answers so far and the time now; returns an error message or nothing. */
  validate?: (value: string, answers: Answers, now: Date) => string | undefined;
}

/**
 * A declarative step. `when` branches on earlier answers; a step without it
 * always runs. `fields` may depend on earlier answers (the accounts of the
 * person chosen on step one), and `prefill` gives a step's starting values
 * from them; neither ever overrides an answer already given.
 */
export interface StepDef {
  id: string;
  title: string;
  /** The fields, or how they follow from earlier answers and the time now (a hint's example date). */
  fields: FieldDef[] | ((answers: Answers, now: Date) => FieldDef[]);
  when?: (answers: Answers) => boolean;
  prefill?: (answers: Answers) => Answers;
}

/** A step's fields for the answers so far, now. */
export function fieldsOf(step: StepDef, answers: Answers, now: Date): FieldDef[] {
  return typeof step.fields === 'function' ? step.fields(answers, now) : step.fields;
}

/** A whole guided dialog. */
export interface DialogDefinition {
  id: string;
  title: string;
  submitLabel: string;
  steps: StepDef[];
}

/** A dialog in progress, as stored so it survives a restart. */
export interface DialogSession {
  id: string;
  dialogId: string;
  personId: string;
  stepId: string;
  answers: Answers;
  /** `completing` holds the session while its result is being recorded, so a double submit cannot record twice. */
  status: 'open' | 'completing' | 'completed' | 'cancelled';
  /** What the completed dialog produced (e.g. an escalation id). */
  resultId?: string;
  createdAt: string;
  updatedAt: string;
}

/** The slice of state the dialog engine owns. */
export interface DialogState {
  dialogs: Record<string, DialogSession>;
}
