import { clip, escapeMrkdwn } from '../format.ts';
import type { Block, SlackMessage } from '../slack-blocks.ts';
import type { RecordListModel } from './model.ts';

/** Slack allows 50 blocks a message: header, subtitle, and two per item leave room for 23 items. */
const MAX_ITEMS = 23;

/** A record list as a Block Kit message; every line is plain text. */
export function recordListBlocks(model: RecordListModel): SlackMessage {
  const items = model.items.slice(0, MAX_ITEMS);
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(model.title, 150), emoji: true } },
    { type: 'context', elements: [{ type: 'plain_text', text: clip(model.subtitle, 2000), emoji: false }] },
  ];
  if (!items.length) blocks.push({ type: 'section', text: { type: 'plain_text', text: clip(model.empty, 3000), emoji: false } });
  for (const item of items) {
    blocks.push({ type: 'divider' });
    blocks.push({
      type: 'section', text: { type: 'plain_text', text: clip([item.heading, ...item.lines].join('\n'), 3000), emoji: false },
      ...(item.action ? { accessory: { type: 'button', action_id: item.action.verb, text: { type: 'plain_text', text: clip(item.action.title, 75) }, value: item.action.subjectId } } : {}),
    });
  }
  if (model.items.length > MAX_ITEMS) blocks.push({ type: 'context', elements: [{ type: 'plain_text', text: `…and ${model.items.length - MAX_ITEMS} more`, emoji: false }] });
  return { text: escapeMrkdwn(model.title), blocks };
}
