import { loadTemplate, type AdaptiveCard } from '../template.ts';
import { noticeHeading, type NoticeModel } from './model.ts';

const expand = loadTemplate(import.meta.url);
const STYLE = { info: 'emphasis', success: 'good', warning: 'warning', error: 'attention' } as const;

/** A notice as an Adaptive Card. */
export function noticeAdaptive(model: NoticeModel): AdaptiveCard {
  return expand({ heading: noticeHeading(model), style: STYLE[model.tone], lines: model.lines });
}
