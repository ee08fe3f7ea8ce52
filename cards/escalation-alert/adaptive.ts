import { loadTemplate, type AdaptiveCard } from '../template.ts';
import type { EscalationAlertModel } from './model.ts';

const expand = loadTemplate(import.meta.url);

/** The escalation alert as an Adaptive Card 1.5. */
export function escalationAlertAdaptive(model: EscalationAlertModel): AdaptiveCard {
  return expand(model);
}
