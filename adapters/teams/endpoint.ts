import type { Activity } from 'botbuilder';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Bluedesk } from '../../bot/app/bluedesk.ts';
import type { CardImages } from '../../bot/app/gateway.ts';
import type { Clock } from '../../bot/domain/clock.ts';
import { describeError, type Logger } from '../../bot/log.ts';
import type { BluedeskState } from '../../bot/state.ts';
import type { StateStore } from '../../data/state-store.ts';
import { activityProblem } from './activity-schema.ts';
import { TeamsBot } from './bot.ts';
import { createCloudAdapter, type BluedeskCloudAdapter } from './cloud-adapter.ts';
import { TeamsConversations } from './conversations.ts';
import { TeamsGateway } from './gateway.ts';

/** A parsed JSON request, as the HTTP adapter hands it over. */
export type JsonRequest = IncomingMessage & { body?: unknown };

/** The mounted Teams side: a handler for /api/messages and a gateway for alerts. */
export interface TeamsSide {
  handle(req: JsonRequest, res: ServerResponse): Promise<void>;
  gateway: TeamsGateway;
}

/**
 * Builds the Teams side on botbuilder's CloudAdapter. Requests are checked
 * for shape first (4xx, never a crash), then authenticated by botbuilder;
 * any failure before our turn logic runs is an authentication failure and
 * is answered 401 (botbuilder itself answers some of them 500).
 */
export function createTeamsSide(
  botFramework: Record<string, string>,
  app: Bluedesk,
  store: StateStore<Pick<BluedeskState, 'teamsConversations'>>,
  clock: Clock,
  log: Logger,
  onNewConversation: () => void = () => undefined,
  images?: CardImages,
): TeamsSide {
  const adapter: BluedeskCloudAdapter = createCloudAdapter(botFramework);
  const conversations = new TeamsConversations(store, clock, onNewConversation);
  const bot = new TeamsBot(app, conversations, log);

  async function handle(req: JsonRequest, res: ServerResponse): Promise<void> {
    const problem = activityProblem(req.body);
    if (problem) return send(res, 400, { error: 'bad_request', message: problem });
    const auth = req.headers.authorization ?? '';
    let turnStarted = false;
    try {
      const invoke = await adapter.run(auth, req.body as Activity, async (ctx) => {
        turnStarted = true;
        await bot.onTurn(ctx);
      });
      return send(res, invoke?.status ?? 200, invoke?.body);
    } catch (err) {
      if (!turnStarted) {
        log.warn('teams request refused: not authenticated', { reason: describeError(err).slice(0, 200) });
        return send(res, 401, { error: 'unauthorized' });
      }
      log.error('teams turn failed', { error: describeError(err), type: (req.body as Activity).type });
      return send(res, 500, { error: 'internal_error' });
    }
  }

  return { handle, gateway: new TeamsGateway(adapter, botFramework.MicrosoftAppId ?? '', conversations, images) };
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (res.headersSent) return;
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
