import type { WebClient } from '@slack/web-api';
import type { ChannelGateway, ChannelTarget } from '../../bot/app/gateway.ts';
import type { CardCopy } from '../../bot/domain/escalation.ts';
import { toSlackMessage, type CardView } from '../../cards/index.ts';

/** Posts and updates Block Kit messages through the Slack Web API. */
export class SlackGateway implements ChannelGateway {
  readonly platform = 'slack' as const;

  constructor(private readonly client: WebClient) {}

  async post(target: ChannelTarget, view: CardView): Promise<CardCopy> {
    if (target.platform !== 'slack') throw new Error('not a Slack target');
    const result = await this.client.chat.postMessage({ channel: target.channelId, ...messageOf(view) });
    if (!result.ts || !result.channel) throw new Error('Slack did not return the message timestamp');
    return { platform: 'slack', channelId: result.channel, ts: result.ts };
  }

  async update(copy: CardCopy, view: CardView): Promise<void> {
    if (copy.platform !== 'slack') return;
    await this.client.chat.update({ channel: copy.channelId, ts: copy.ts, ...messageOf(view) });
  }
}

function messageOf(view: CardView) {
  if (view.kind === 'dialog-form') throw new Error('dialog forms are modals in Slack, not messages');
  return toSlackMessage(view);
}
