import { clip } from '../format.ts';
import { plainFacts, type SlackMessage } from '../slack-blocks.ts';
import type { EscalationAlertModel } from './model.ts';

/** The escalation alert as a Slack Block Kit message. */
export function escalationAlertBlocks(model: EscalationAlertModel): SlackMessage {
  return {
    text: model.fallbackText,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(model.heading, 150), emoji: true } },
      plainFacts([{ label: 'Summary', value: model.summary }]),
      plainFacts([...model.facts, { label: 'Link', value: model.link }]),
      ...model.flags.map((f) => ({ type: 'context', elements: [{ type: 'plain_text', text: `⚠️ ${clip(f, 2000)}`, emoji: true }] })),
      { type: 'divider' },
      plainFacts([{ label: 'Status', value: model.statusText }, ...(model.latestDecision ? [{ label: 'Latest decision', value: model.latestDecision }] : [])]),
      {
        type: 'actions',
        block_id: `escalation:${model.id}`,
        elements: [
          ...model.actions.map((a) => ({
            type: 'button', action_id: a.verb, text: { type: 'plain_text', text: a.title }, value: model.id, ...(a.style === 'positive' ? { style: 'primary' } : {}),
          })),
          { type: 'button', action_id: 'escalation.open', text: { type: 'plain_text', text: 'Open content' }, url: model.link },
        ],
      },
    ],
  };
}
