import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../bot/log.ts';

/** What the bot knows about its Slack connection, for health checks and logs. */
export interface SlackHealth {
  state: 'checking' | 'ok' | 'unreachable';
  checkedAt?: string;
  error?: string;
  /** In Socket Mode, the WebSocket's state. */
  socket?: 'connecting' | 'connected' | 'reconnecting' | 'disconnected';
}

/**
 * Checks the Slack connection (`auth.test`) in the background, so an
 * unreachable Slack never stops the bot serving Teams and the intake API.
 * Retries with backoff until it answers, and learns the bot's own user id.
 */
export class SlackStatus {
  health: SlackHealth = { state: 'checking' };
  botUserId: string | undefined;
  botId: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly waiters: Array<() => void> = [];

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
    /** Runs once Slack first answers (e.g. to check the configured channels). */
    private readonly onConnected: () => void = () => undefined,
  ) {}

  start(): void {
    void this.check(0);
  }

  /** Socket Mode's connection changed. */
  socket(state: NonNullable<SlackHealth['socket']>): void {
    this.health = { ...this.health, socket: state };
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Resolves once Slack has answered (or at once if it already has). */
  connected(): Promise<void> {
    return this.health.state === 'ok' ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  private async check(attempt: number): Promise<void> {
    if (this.stopped) return;
    try {
      const r = await this.client.auth.test();
      this.botUserId = r.user_id;
      this.botId = r.bot_id;
      const first = this.health.state !== 'ok';
      this.health = { ...(this.health.socket ? { socket: this.health.socket } : {}), state: 'ok', checkedAt: new Date().toISOString() };
      if (first) {
        this.log.info('slack connected', { team: r.team_id, botUserId: r.user_id });
        for (const w of this.waiters.splice(0)) w();
        this.onConnected();
      }
    } catch (err) {
      const error = describeSlackError(err);
      this.health = { ...(this.health.socket ? { socket: this.health.socket } : {}), state: 'unreachable', checkedAt: new Date().toISOString(), error };
      const retryMs = Math.min(300_000, 2000 * 2 ** attempt);
      this.log.warn('Slack is unreachable: Teams and the intake API keep working; Slack messages wait in the outbox', { error, retryInSeconds: retryMs / 1000 });
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.check(attempt + 1), retryMs);
      this.timer.unref();
    }
  }
}

/** A Slack Web API error in words, without request details (which carry the token). */
export function describeSlackError(err: unknown): string {
  const e = (err ?? {}) as { code?: string; data?: { error?: string }; original?: { message?: string }; message?: string };
  if (e.data?.error) return `Slack: ${e.data.error}`;
  if (e.original?.message) return `Slack: ${e.original.message}`;
  return `Slack: ${e.message ?? String(err)}`;
}
