import type { Answers, FieldDef } from './types.ts';

/** Checks one field's value: required, length, URL scheme, allowed choices, then the field's own rule. */
export function validateField(field: FieldDef, value: string, answers: Answers, now: Date): string | undefined {
  if (value === '') return field.required ? `${field.label} is required.` : field.requiredWhen?.(answers);
  if (field.maxLength && value.length > field.maxLength) {
    return `${field.label} must be at most ${field.maxLength} characters (it has ${value.length}).`;
  }
  if (field.kind === 'url') {
    const problem = urlProblem(value);
    if (problem) return problem;
  }
  if (field.kind === 'choice' && !field.options?.some((o) => o.value === value)) {
    return `Choose one of the options for ${field.label}.`;
  }
  if (field.kind === 'multichoice' && value.split(',').some((v) => !field.options?.some((o) => o.value === v))) {
    return `Choose only from the options for ${field.label}.`;
  }
  return field.validate?.(value, answers, now);
}

/** Only absolute http(s) links to a real host are accepted as evidence links. */
export function urlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a full link starting with https:// or http://.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Only http and https links can be escalated.';
  if (!url.hostname.includes('.')) return 'Enter the full link to the post, including its domain.';
  return undefined;
}
