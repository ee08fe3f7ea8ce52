import { loadTemplate, type AdaptiveCard } from '../template.ts';
import { progressText, type DialogFormModel } from './model.ts';

const expand = loadTemplate(import.meta.url);

/** Teams' default when a field sets no limit; keeps a paste from growing the card past its size limit. */
const DEFAULT_MAX_LENGTH = 2000;

/**
 * A dialog step as an Adaptive Card 1.5 form with Action.Execute (and
 * Action.Submit for old clients). Every optional property gets a value,
 * because the templating engine leaves unresolved `${…}` in place.
 */
export function dialogFormAdaptive(model: DialogFormModel): AdaptiveCard {
  return expand({
    title: model.title,
    progress: progressText(model),
    errorSummary: model.errorSummary ? `⚠️ ${model.errorSummary}` : '',
    submitLabel: model.submitLabel,
    sessionId: model.sessionId,
    stepId: model.stepId,
    fields: model.fields.map((f) => ({
      id: f.id,
      label: f.label,
      kind: f.kind,
      required: f.required,
      value: f.value,
      placeholder: f.placeholder ?? '',
      maxLength: f.maxLength ?? DEFAULT_MAX_LENGTH,
      textStyle: f.kind === 'url' ? 'Url' : 'Text',
      choiceStyle: f.kind === 'choice' && (f.options?.length ?? 0) <= 4 ? 'expanded' : 'compact',
      options: f.options ?? [],
      hint: f.hint ?? '',
      error: f.error ? `⚠️ ${f.error}` : '',
    })),
  });
}
