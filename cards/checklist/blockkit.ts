import { clip, escapeMrkdwn } from '../format.ts';
import { caseFoot, caseHead, type Block, type SlackMessage } from '../slack-blocks.ts';
import { itemTarget, type ChecklistCardModel } from './model.ts';

/**
 * A checklist card as a Block Kit message: each group is a literal
 * rich_text list and an actions block with a button per open item the viewer
 * may act on. Action ids carry the item number, as Slack wants them unique
 * in a block; the value names the case and item.
 */
export function checklistBlocks(model: ChecklistCardModel): SlackMessage {
  const groups: Block[] = model.groups.flatMap((g) => {
    const buttons = g.lines.filter((l) => l.action).map((l) => ({
      type: 'button', action_id: `${l.action!.verb}:${l.id}`, text: { type: 'plain_text', text: clip(l.action!.title, 75) }, value: itemTarget(model.subjectId, l.id),
    }));
    const list = g.lines.flatMap((l, i) => [
      { type: 'text', text: clip(`${l.done ? '✅' : '☐'} ${l.id}. ${l.text}`, 1000) },
      { type: 'text', text: clip(`\n    ${l.status}`, 300) + (i < g.lines.length - 1 ? '\n' : ''), style: { italic: true } },
    ]);
    return [
      { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: `${clip(g.title, 500)}\n`, style: { bold: true } }, ...list] }] },
      ...(buttons.length ? [{ type: 'actions', block_id: `items:${model.subjectId}:${g.lines[0]!.id}`, elements: buttons.slice(0, 25) }] : []),
    ];
  });
  return {
    text: escapeMrkdwn(model.fallbackText),
    blocks: [
      ...(model.note ? [{ type: 'context', elements: [{ type: 'plain_text', text: clip(model.note, 2000), emoji: true }] }] : []),
      ...caseHead(model),
      { type: 'divider' },
      ...groups,
      ...(model.hiddenText ? [{ type: 'context', elements: [{ type: 'plain_text', text: clip(model.hiddenText, 2000) }] }] : []),
      { type: 'divider' },
      ...caseFoot(model),
    ],
  };
}
