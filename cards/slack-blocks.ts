import { clip } from './format.ts';

/** A Block Kit block, as JSON. */
export type Block = Record<string, unknown> & { type: string };

/** A message body for chat.postMessage / chat.update. */
export interface SlackMessage {
  /** Notification and accessibility fallback; mrkdwn, so escaped. */
  text: string;
  blocks: Block[];
}

/**
 * Label/value pairs as one rich_text block. rich_text `text` elements are
 * literal: user text cannot become a link, a mention or formatting.
 */
export function plainFacts(facts: ReadonlyArray<{ label: string; value: string }>): Block {
  const elements = facts.flatMap((f, i) => [
    { type: 'text', text: `${f.label}: `, style: { bold: true } },
    { type: 'text', text: clip(f.value, 2000) + (i < facts.length - 1 ? '\n' : '') },
  ]);
  return { type: 'rich_text', elements: [{ type: 'rich_text_section', elements }] };
}

/** A case's heading, facts and warning flags: the top of every case card. */
export function caseHead(model: { heading: string; facts: ReadonlyArray<{ label: string; value: string }>; flags: readonly string[] }): Block[] {
  return [
    { type: 'header', text: { type: 'plain_text', text: clip(model.heading, 150), emoji: true } },
    plainFacts(model.facts),
    ...model.flags.map((f) => ({ type: 'context', elements: [{ type: 'plain_text', text: `⚠️ ${clip(f, 2000)}`, emoji: true }] })),
  ];
}

/** A case's status line and its buttons, each acting on the case: the foot of every case card. */
export function caseFoot(model: { subjectId: string; statusText: string; actions: ReadonlyArray<{ verb: string; title: string; style: string }> }): Block[] {
  return [
    plainFacts([{ label: 'Status', value: model.statusText }]),
    ...(model.actions.length
      ? [{
          type: 'actions',
          block_id: `case:${model.subjectId}`,
          elements: model.actions.map((a) => ({ type: 'button', action_id: a.verb, text: { type: 'plain_text', text: clip(a.title, 75) }, value: model.subjectId, ...(a.style === 'positive' ? { style: 'primary' } : {}) })),
        }]
      : []),
  ];
}
