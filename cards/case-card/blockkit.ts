import { clip, escapeMrkdwn } from '../format.ts';
import { caseFoot, caseHead, plainFacts, type Block, type SlackMessage } from '../slack-blocks.ts';
import type { CaseCardModel } from './model.ts';

/** A case card as a Block Kit message. */
export function caseCardBlocks(model: CaseCardModel): SlackMessage {
  return {
    text: escapeMrkdwn(model.fallbackText),
    blocks: [
      ...caseHead(model),
      ...imageBlocks(model.image),
      { type: 'divider' },
      ...caseFoot(model),
    ],
  };
}

/** The picture from its uploaded file, or its public address; else the words saying where it is kept. */
function imageBlocks(image: CaseCardModel['image']): Block[] {
  if (!image) return [];
  const alt_text = clip(image.alt, 2000);
  if (image.slackFileId) return [{ type: 'image', slack_file: { id: image.slackFileId }, alt_text }];
  if (image.url) return [{ type: 'image', image_url: image.url, alt_text }];
  return [plainFacts([{ label: 'Chart', value: image.missing }])];
}
