import type { WebClient } from '@slack/web-api';
import type { CardImages, ChannelGateway, ChannelTarget, Reachability } from '../../bot/app/gateway.ts';
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

  /** Uploads of pictures by their SHA-256: each is uploaded once per run, whatever the places (posts to several go at once). */
  private readonly uploads = new Map<string, Promise<string | undefined>>();

  /** The client must not retry by itself: the outbox owns retries, pacing and deadlines. */
  constructor(private readonly client: WebClient, private readonly images?: CardImages) {}

  async post(target: ChannelTarget, view: CardView): Promise<CardCopy> {
    if (target.platform !== 'slack') throw new DeliveryFailure('permanent', 'not a Slack target');
    const message = messageOf(await this.withFile(view));
    const result = await slackCall(() => this.client.chat.postMessage({ channel: target.channelId, ...message }));
    if (!result.ts || !result.channel) throw new DeliveryFailure('retry', 'Slack did not say the message arrived; trying again');
    return { platform: 'slack', channelId: result.channel, ts: result.ts };
  }

  async update(copy: CardCopy, view: CardView): Promise<void> {
    if (copy.platform !== 'slack') return;
    const message = messageOf(await this.withFile(view));
    await slackCall(() => this.client.chat.update({ channel: copy.channelId, ts: copy.ts, ...message }));
  }

  /**
   * A card with a kept picture (a surge's chart) gets it uploaded as a Slack
   * file (files.getUploadURLExternal, then files.completeUploadExternal:
   * the `files:write` scope) and shown from it, so Slack never has to reach
   * Bluedesk. A passing failure is retried like the post; a refusal (no
   * `files:write`) leaves the public address, or words saying where it is kept.
   */
  private async withFile(view: CardView): Promise<CardView> {
    const image = view.kind === 'case' ? view.model.image : undefined;
    if (view.kind !== 'case' || !image || image.slackFileId || !this.images) return view;
    let upload = this.uploads.get(image.sha256);
    if (!upload) {
      upload = this.upload(image.sha256, image.alt);
      this.uploads.set(image.sha256, upload);
      // A failed upload is tried again by the next card that needs it.
      upload.then((id) => { if (!id) this.uploads.delete(image.sha256); }, () => this.uploads.delete(image.sha256));
    }
    const id = await upload;
    if (!id) return view;
    return { ...view, model: { ...view.model, image: { ...image, slackFileId: id } } };
  }

  /** Uploads a kept picture; its file id, or nothing when Slack refuses it for good (no `files:write`) or it is not kept. */
  private async upload(sha256: string, alt: string): Promise<string | undefined> {
    const png = await this.images?.full(sha256);
    if (!png) return undefined;
    try {
      const done = await slackCall(() => this.client.filesUploadV2({ file: png, filename: `bluedesk-chart-${sha256.slice(0, 12)}.png`, title: 'Surge chart', alt_text: alt.slice(0, 1000) }));
      return (done.files as Array<{ files?: Array<{ id?: string }> }>)[0]?.files?.[0]?.id;
    } catch (err) {
      if (err instanceof DeliveryFailure && err.kind === 'permanent') return undefined;
      throw err;
    }
  }

  /** A channel is reachable when the bot is a member (conversations.info); a person's DM always opens. */
  async reachable(target: ChannelTarget): Promise<Reachability> {
    if (target.platform !== 'slack') return { ok: false, reason: 'not a Slack target' };
    if (/^[UW]/.test(target.channelId)) return { ok: true };
    try {
      const info = await slackCall(() => this.client.conversations.info({ channel: target.channelId }));
      const channel = info.channel as { is_member?: boolean; is_archived?: boolean } | undefined;
      if (channel?.is_archived) return { ok: false, reason: ARCHIVED };
      return channel?.is_member ? { ok: true } : { ok: false, reason: NOT_IN_CHANNEL };
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

const NOT_IN_CHANNEL = 'Bluedesk is not in that Slack channel yet; invite it with /invite @Bluedesk and it goes at once';
const ARCHIVED = 'that Slack channel is archived; unarchive it, or route to another channel';

/** Slack's errors in words for people; the error code goes to the log. */
function slackFailure(err: unknown): DeliveryFailure {
  const e = (err ?? {}) as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; original?: unknown };
  if (e.code === 'slack_webapi_rate_limited_error') return new DeliveryFailure('retry', 'Slack is limiting how fast Bluedesk may send; trying again shortly', (e.retryAfter ?? 1) * 1000, 429, 'ratelimited');
  if (e.code === 'slack_webapi_platform_error') {
    const code = e.data?.error ?? 'unknown_error';
    if (NOT_A_MEMBER.has(code)) return new DeliveryFailure('unreachable', NOT_IN_CHANNEL, undefined, undefined, code);
    if (PASSING.has(code)) return new DeliveryFailure('retry', 'Slack is having trouble; trying again', undefined, undefined, code);
    if (code === 'is_archived') return new DeliveryFailure('permanent', ARCHIVED, undefined, undefined, code);
    return new DeliveryFailure('permanent', `Slack refused it (${code})`, undefined, undefined, code);
  }
  if (e.code === 'slack_webapi_request_error') return new DeliveryFailure('retry', 'Slack cannot be reached; trying again', undefined, undefined, (e.original as Error | undefined)?.message ?? 'request failed');
  return classifyFailure(err, 'Slack');
}

function messageOf(view: CardView) {
  if (view.kind === 'dialog-form') throw new DeliveryFailure('permanent', 'dialog forms are modals in Slack, not messages');
  return toSlackMessage(view);
}
