import { loadTemplate, type AdaptiveCard } from '../template.ts';
import { itemTarget, type ChecklistCardModel } from './model.ts';

const expand = loadTemplate(import.meta.url);

/** A checklist card as an Adaptive Card 1.5: each open item the viewer may act on has its own button. */
export function checklistAdaptive(model: ChecklistCardModel): AdaptiveCard {
  return expand({
    ...model,
    actions: model.actions.slice(0, 5),
    groups: model.groups.map((g) => ({
      title: g.title,
      lines: g.lines.map((l) => ({ ...l, mark: `${l.done ? '✅' : '☐'} ${l.id}.`, hasAction: !!l.action, verb: l.action?.verb ?? '', title: l.action?.title ?? '', target: itemTarget(model.subjectId, l.id) })),
    })),
  });
}
