import { loadTemplate, type AdaptiveCard } from '../template.ts';
import type { CaseCardModel } from './model.ts';

const expand = loadTemplate(import.meta.url);

/** A case card as an Adaptive Card 1.5. */
export function caseCardAdaptive(model: CaseCardModel): AdaptiveCard {
  const src = model.image?.inline ?? model.image?.url ?? '';
  return expand({ ...model, imageUrl: src, imageAlt: model.image?.alt ?? '', imageMissing: model.image && !src ? model.image.missing : '', actions: model.actions.slice(0, 5) });
}
