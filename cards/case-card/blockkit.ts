import { clip, escapeMrkdwn } from '../format.ts';
import { caseFoot, caseHead, type SlackMessage } from '../slack-blocks.ts';
import type { CaseCardModel } from './model.ts';

/** A case card as a Block Kit message. */
export function caseCardBlocks(model: CaseCardModel): SlackMessage {
  return {
    text: escapeMrkdwn(model.fallbackText),
    blocks: [
      ...caseHead(model),
      ...(model.image ? [{ type: 'image', image_url: model.image.url, alt_text: clip(model.image.alt, 2000) }] : []),
      { type: 'divider' },
      ...caseFoot(model),
    ],
  };
}
