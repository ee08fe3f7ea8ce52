import { clip, clipWords, escapeMrkdwn } from '../format.ts';
import type { SlackMessage } from '../slack-blocks.ts';
import { noticeHeading, type NoticeModel } from './model.ts';

/** A notice as a Block Kit message. Lines may quote people, so they go out as plain text. */
export function noticeBlocks(model: NoticeModel): SlackMessage {
  const heading = noticeHeading(model);
  return {
    text: escapeMrkdwn(heading),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(heading, 150), emoji: true } },
      ...model.lines.slice(0, 40).map((line) => ({ type: 'section', text: { type: 'plain_text', text: clip(line, 3000), emoji: false } })),
    ],
  };
}

/** A notice as a closed-off Slack modal (the last step of a dialog). */
export function noticeModal(model: NoticeModel): Record<string, unknown> & { type: 'modal' } {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: clipWords(model.title, 24) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: noticeBlocks(model).blocks,
  };
}
