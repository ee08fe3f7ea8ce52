import { loadTemplate, type AdaptiveCard } from '../template.ts';
import type { RecordListModel } from './model.ts';

const expand = loadTemplate(import.meta.url);

/** A record list as an Adaptive Card. */
export function recordListAdaptive(model: RecordListModel): AdaptiveCard {
  return expand(model);
}
