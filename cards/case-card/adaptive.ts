import { loadTemplate, type AdaptiveCard } from '../template.ts';
import type { CaseCardModel } from './model.ts';

const expand = loadTemplate(import.meta.url);

/** A case card as an Adaptive Card 1.5. */
export function caseCardAdaptive(model: CaseCardModel): AdaptiveCard {
  return expand({ ...model, imageUrl: model.image?.url ?? '', imageAlt: model.image?.alt ?? '', actions: model.actions.slice(0, 5) });
}
