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
      plainFacts(model.facts),
      { type: 'divider' },
      plainFacts([{ label: 'Status', value: model.statusText }]),
      {
        type: 'actions',
        block_id: `escalation:${model.id}`,
        elements: [
          ...(model.canAcknowledge
            ? [{ type: 'button', action_id: 'escalation.acknowledge', text: { type: 'plain_text', text: 'Acknowledge' }, style: 'primary', value: model.id }]
            : []),
          { type: 'button', action_id: 'escalation.open', text: { type: 'plain_text', text: 'Open content' }, url: model.link },
        ],
      },
    ],
  };
}
