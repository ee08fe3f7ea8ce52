import { App, HTTPReceiver, LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Bluedesk } from '../../bot/app/bluedesk.ts';
import type { Logger } from '../../bot/log.ts';
import type { SeenEvents } from '../../bot/app/seen-events.ts';
import type { BackgroundTasks } from '../../bot/app/background.ts';
import { SlackGateway } from './gateway.ts';
import { registerSlackHandlers } from './handlers.ts';
import { SlackStatus } from './status.ts';
import { slackEdge } from './edge.ts';

/** The mounted Slack side: a request listener for /slack/events, a gateway for alerts, and the connection's health. */
export interface SlackSide {
  listener: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  gateway: SlackGateway;
  status: SlackStatus;
}

/**
 * Builds the Bolt app behind an HTTPReceiver whose request listener is
 * mounted on the shared restify server. The receiver checks Slack's
 * signature and timestamp before anything else runs. Nothing here waits
 * for Slack: the connection is checked in the background, so the bot
 * serves Teams and the intake API at once even when Slack is unreachable.
 */
export function createSlackSide(
  settings: { signingSecret: string; botToken: string; apiUrl?: string },
  app: Bluedesk,
  seen: SeenEvents,
  tasks: BackgroundTasks,
  log: Logger,
  hooks: { onJoinedChannel: () => void; onConnected: () => void },
): SlackSide {
  const logger = boltLogger(log);
  // No retries inside the client: the outbox retries with backoff and deadlines, and a
  // modal's trigger_id lapses in 3 s anyway. Rate limits come back as errors with Retry-After.
  const clientOptions = {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  };
  const client = new WebClient(settings.botToken, clientOptions);
  const status = new SlackStatus(client, log, hooks.onConnected);
  const receiver = new HTTPReceiver({
    signingSecret: settings.signingSecret,
    endpoints: '/slack/events',
    logger,
    // Errors in our handlers after the ack are already logged; before it they mean a payload we could not use.
    processEventErrorHandler: async ({ error, response }) => {
      log.warn('slack request not handled', { error: (error as Error).message });
      if (!response.headersSent) {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: 'bad_request' }));
      }
      return false;
    },
  });
  // Authorising from what we already know means Bolt never calls auth.test on a request's path.
  const bolt = new App({
    receiver,
    logger,
    authorize: async () => ({ botToken: settings.botToken, ...(status.botUserId ? { botUserId: status.botUserId } : {}), ...(status.botId ? { botId: status.botId } : {}) }),
    clientOptions,
  });
  registerSlackHandlers(bolt, app, seen, tasks, log, settings.apiUrl, { botUserId: () => status.botUserId, onJoinedChannel: hooks.onJoinedChannel });
  status.start();
  return { listener: slackEdge(settings.signingSecret, receiver.requestListener, log), gateway: new SlackGateway(client), status };
}

/** Bolt's logger, routed into ours (Bolt never logs the token or secret). */
function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  return {
    debug: () => undefined,
    info: (...m: unknown[]) => log.info(`slack: ${m.join(' ')}`),
    warn: (...m: unknown[]) => log.warn(`slack: ${m.join(' ')}`),
    error: (...m: unknown[]) => log.error(`slack: ${m.join(' ')}`),
    setLevel: (l: LogLevel) => { level = l; },
    getLevel: () => level,
    setName: () => undefined,
  };
}
