import { App, HTTPReceiver, LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import webApi from '@slack/web-api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Bluedesk } from '../../bot/app/bluedesk.ts';
import type { Logger } from '../../bot/log.ts';
import type { SeenEvents } from '../../bot/app/seen-events.ts';
import type { BackgroundTasks } from '../../bot/app/background.ts';
import { SlackGateway } from './gateway.ts';
import { registerSlackHandlers } from './handlers.ts';

/** The mounted Slack side: a request listener for /slack/events and a gateway for alerts. */
export interface SlackSide {
  listener: (req: IncomingMessage, res: ServerResponse) => void;
  gateway: SlackGateway;
}

/**
 * Builds the Bolt app behind an HTTPReceiver whose request listener is
 * mounted on the shared restify server. The receiver checks Slack's
 * signature and timestamp before anything else runs.
 */
export async function createSlackSide(
  settings: { signingSecret: string; botToken: string; apiUrl?: string },
  app: Bluedesk,
  seen: SeenEvents,
  tasks: BackgroundTasks,
  log: Logger,
): Promise<SlackSide> {
  const logger = boltLogger(log);
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
  const bolt = new App({
    receiver,
    token: settings.botToken,
    logger,
    deferInitialization: true,
    clientOptions: {
      ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
      // Not named-importable from ESM (a CommonJS re-export); five retries keep shutdown bounded.
      retryConfig: webApi.retryPolicies.fiveRetriesInFiveMinutes,
    },
  });
  await bolt.init();
  registerSlackHandlers(bolt, app, seen, tasks, log, settings.apiUrl);
  return { listener: receiver.requestListener, gateway: new SlackGateway(bolt.client) };
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
