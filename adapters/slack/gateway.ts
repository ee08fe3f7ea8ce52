import type { WebClient } from '@slack/web-api';
import type { ChannelGateway, ChannelTarget, Reachability } from '../../bot/app/gateway.ts';
import { classifyFailure, DeliveryFailure } from '../../bot/app/outbox/failure.ts';
import type { CardCopy } from '../../bot/domain/escalation.ts';
import { toSlackMessage, type CardView } from '../../cards/index.ts';

/** Slack errors that mean "the bot is not in that channel": the message waits until it is added. */
const NOT_A_MEMBER = new Set(['not_in_channel', 'channel_not_found']);
/** Slack errors that pass. */
const PASSING = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);

/** Posts and updates Block Kit messages through the Slack Web API. */
export class SlackGateway implements ChannelGateway {
  readonly platform = 'slack' as const;

  /** The client must not retry by itself: the outbox owns retries, pacing and deadlines. */
  constructor(private readonly client: WebClient) {}

  async post(target: ChannelTarget, view: CardView): Promise<CardCopy> {
    if (target.platform !== 'slack') throw new DeliveryFailure('permanent', 'not a Slack target');
    const result = await slackCall(() => this.client.chat.postMessage({ channel: target.channelId, ...messageOf(view) }));
    if (!result.ts || !result.channel) throw new DeliveryFailure('retry', 'Slack did not return the message timestamp');
    return { platform: 'slack', channelId: result.channel, ts: result.ts };
  }

  async update(copy: CardCopy, view: CardView): Promise<void> {
    if (copy.platform !== 'slack') return;
    await slackCall(() => this.client.chat.update({ channel: copy.channelId, ts: copy.ts, ...messageOf(view) }));
  }

  /** A channel is reachable when the bot is a member (conversations.info); a person's DM always opens. */
  async reachable(target: ChannelTarget): Promise<Reachability> {
    if (target.platform !== 'slack') return { ok: false, reason: 'not a Slack target' };
    if (/^[UW]/.test(target.channelId)) return { ok: true };
    try {
      const info = await slackCall(() => this.client.conversations.info({ channel: target.channelId }));
      const channel = info.channel as { is_member?: boolean; is_archived?: boolean } | undefined;
      if (channel?.is_archived) return { ok: false, reason: 'Slack: the channel is archived' };
      return channel?.is_member ? { ok: true } : { ok: false, reason: 'Slack: the bot is not in that channel yet (invite it with /invite @Bluedesk)' };
    } catch (err) {
      return { ok: false, reason: (err as Error).message };
    }
  }
}

/** Runs a Web API call, turning Slack's errors into what the outbox acts on. */
export async function slackCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw slackFailure(err);
  }
}

function slackFailure(err: unknown): DeliveryFailure {
  const e = (err ?? {}) as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; original?: unknown };
  if (e.code === 'slack_webapi_rate_limited_error') return new DeliveryFailure('retry', 'Slack: rate limited', (e.retryAfter ?? 1) * 1000, 429);
  if (e.code === 'slack_webapi_platform_error') {
    const code = e.data?.error ?? 'unknown_error';
    if (NOT_A_MEMBER.has(code)) return new DeliveryFailure('unreachable', `Slack: the bot is not in that channel yet (${code})`);
    if (PASSING.has(code)) return new DeliveryFailure('retry', `Slack: ${code}`);
    return new DeliveryFailure('permanent', `Slack: ${code}`);
  }
  if (e.code === 'slack_webapi_request_error') return new DeliveryFailure('retry', `Slack unreachable: ${(e.original as Error | undefined)?.message ?? 'request failed'}`);
  return classifyFailure(err);
}

function messageOf(view: CardView) {
  if (view.kind === 'dialog-form') throw new DeliveryFailure('permanent', 'dialog forms are modals in Slack, not messages');
  return toSlackMessage(view);
}
