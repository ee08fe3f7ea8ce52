import { clip, escapeMrkdwn } from '../format.ts';
import { plainFacts, type SlackMessage } from '../slack-blocks.ts';
import type { CaseCardModel } from './model.ts';

/** A case card as a Block Kit message. */
export function caseCardBlocks(model: CaseCardModel): SlackMessage {
  return {
    text: escapeMrkdwn(model.fallbackText),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(model.heading, 150), emoji: true } },
      plainFacts(model.facts),
      ...model.flags.map((f) => ({ type: 'context', elements: [{ type: 'plain_text', text: `⚠️ ${clip(f, 2000)}`, emoji: true }] })),
      { type: 'divider' },
      plainFacts([{ label: 'Status', value: model.statusText }]),
      ...(model.actions.length
        ? [{
            type: 'actions',
            block_id: `case:${model.subjectId}`,
            elements: model.actions.map((a) => ({ type: 'button', action_id: a.verb, text: { type: 'plain_text', text: clip(a.title, 75) }, value: model.subjectId, ...(a.style === 'positive' ? { style: 'primary' } : {}) })),
          }]
        : []),
    ],
  };
}
