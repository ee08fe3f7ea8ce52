import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type Logger as BoltLogger, type Receiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Bluedesk } from '../../bot/app/bluedesk.ts';
import type { CardImages } from '../../bot/app/gateway.ts';
import type { Logger } from '../../bot/log.ts';
import type { SeenEvents } from '../../bot/app/seen-events.ts';
import type { BackgroundTasks } from '../../bot/app/background.ts';
import { SlackGateway } from './gateway.ts';
import { registerSlackHandlers, slackHandles } from './handlers.ts';
import { describeSlackError, SlackStatus } from './status.ts';
import { slackEdge } from './edge.ts';

/** The Slack side: a request listener for /slack/events (HTTP mode only), a gateway for alerts, and the connection's health. */
export interface SlackSide {
  /** Absent in Socket Mode: nothing calls in, so /slack/events is not mounted. */
  listener?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  gateway: SlackGateway;
  status: SlackStatus;
  /** Connects the Socket Mode WebSocket (in the background, retrying); nothing in HTTP mode. */
  start(): void;
  stop(): Promise<void>;
}

/**
 * Builds the Bolt app behind an HTTPReceiver whose request listener is
 * mounted on the shared restify server. The receiver checks Slack's
 * signature and timestamp before anything else runs. Nothing here waits
 * for Slack: the connection is checked in the background, so the bot
 * serves Teams and the intake API at once even when Slack is unreachable.
 */
export function createSlackSide(
  settings: { botToken: string; signingSecret?: string; appToken?: string; apiUrl?: string },
  app: Bluedesk,
  seen: SeenEvents,
  tasks: BackgroundTasks,
  log: Logger,
  hooks: { onJoinedChannel: () => void; onConnected: () => void },
  images?: CardImages,
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
  const socket = settings.appToken ? socketReceiver(settings.appToken, clientOptions, logger, log, status) : undefined;
  const http = socket ? undefined : new HTTPReceiver({
    signingSecret: settings.signingSecret ?? '',
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
  const receiver: Receiver = socket ?? http!;
  // Authorising from what we already know means Bolt never calls auth.test on a request's path.
  const bolt = new App({
    receiver,
    logger,
    authorize: async () => ({ botToken: settings.botToken, ...(status.botUserId ? { botUserId: status.botUserId } : {}), ...(status.botId ? { botId: status.botId } : {}) }),
    clientOptions,
    // Bluedesk keeps its own state; Bolt's conversation store would only be read and written on every request.
    convoStore: false,
  });
  registerSlackHandlers(bolt, app, seen, tasks, log, settings.apiUrl, { botUserId: () => status.botUserId, onJoinedChannel: hooks.onJoinedChannel });
  status.start();
  let stopped = false;
  return {
    ...(http ? { listener: slackEdge(settings.signingSecret ?? '', http.requestListener, log, slackHandles) } : {}),
    gateway: new SlackGateway(client, images),
    status,
    start: () => {
      if (!socket) return;
      status.socket('connecting');
      // Connecting waits for nothing: Teams and the intake API serve at once; a refused connection is tried again with backoff.
      const connect = async (attempt: number): Promise<void> => {
        try {
          await bolt.start();
        } catch (err) {
          if (stopped) return;
          const retryMs = Math.min(300_000, 2000 * 2 ** attempt);
          log.warn('Slack Socket Mode could not connect: will try again', { error: describeSlackError(err), retryInSeconds: retryMs / 1000 });
          setTimeout(() => void connect(attempt + 1), retryMs).unref();
        }
      };
      void tasks.run('slack socket mode', () => connect(0));
    },
    stop: async () => {
      stopped = true;
      status.stop();
      if (socket) await socket.stop().catch(() => undefined);
    },
  };
}

/**
 * Bolt's Socket Mode receiver: Bluedesk opens a WebSocket to Slack (police
 * networks often take no inbound HTTPS), Slack sends each event in an
 * envelope, and Bolt acknowledges it by `envelope_id`. Retries of an event
 * (`retry_attempt`) are answered once, as over HTTP, by the event id.
 * The connection's state joins the Slack health.
 */
function socketReceiver(appToken: string, clientOptions: Record<string, unknown>, logger: BoltLogger, log: Logger, status: SlackStatus): SocketModeReceiver {
  const receiver = new SocketModeReceiver({
    appToken, logger, installerOptions: { clientOptions },
    // A payload our handlers could not use is acknowledged all the same: Slack would only send it again.
    processEventErrorHandler: async ({ error }) => {
      log.warn('slack event not handled', { error: (error as Error).message });
      return true;
    },
  });
  const client = receiver.client;
  client.on('connected', () => { status.socket('connected'); log.info('slack socket mode connected'); });
  client.on('reconnecting', () => status.socket('reconnecting'));
  client.on('disconnected', () => status.socket('disconnected'));
  return receiver;
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
