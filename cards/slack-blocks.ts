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
