import { json, listen, readBody, serveFakeFile, type Download } from './http.ts';

/** One call the bot made to the Bot Framework connector. */
export interface ConnectorCall {
  method: 'POST' | 'PUT';
  path: string;
  conversationId: string;
  activityId?: string;
  authorization?: string;
  /** What the fake answered, e.g. the new activity id. */
  result?: { id: string };
  /** When it arrived (ms since the epoch), for pacing checks. */
  at: number;
  body: Record<string, unknown> & { type?: string; attachments?: Array<{ contentType: string; content: Record<string, unknown> }> };
}

/**
 * A loopback stand-in for the Teams connector service at an activity's
 * serviceUrl. It records sends (POST /v3/conversations/{id}/activities),
 * updates (PUT …/activities/{activityId}) and new conversations.
 */
export async function startFakeConnector() {
  const calls: ConnectorCall[] = [];
  let next = 1;
  const downloads: Download[] = [];
  /** Answers to give the next sends or updates instead of success, e.g. a 429 with Retry-After. */
  const failNext: Array<{ status: number; retryAfter?: string }> = [];
  /** Conversations that answer 403 (the bot was removed behind our back). */
  const forbidden = new Set<string>();
  /** Conversations Teams no longer knows: 404 ConversationNotFound (the app was removed and added again, or a Playground restarted). */
  const gone = new Set<string>();
  /** AAD object ids of people Teams will not open a chat with (403: they do not have the app). */
  const noApp = new Set<string>();
  /** While true, sends and updates answer 503, as when the service is down. */
  const state = { down: false };
  const server = await listen(async (req, res) => {
    // An inline image a user pasted: the connector serves its bytes.
    if (serveFakeFile(req, res, '/v3/attachments/', downloads)) return;
    const text = await readBody(req);
    const body = text ? JSON.parse(text) : {};
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const m = path.match(/^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/);
    const authorization = req.headers.authorization;
    if (req.method === 'POST' && path === '/v3/conversations') {
      const member = (body.members as Array<{ id?: string }> | undefined)?.[0]?.id ?? '';
      if (noApp.has(member)) return json(res, 403, { error: { code: 'Forbidden', message: 'The bot is not part of the conversation roster.' } });
      const id = `19:new-${next++}@thread.tacv2`;
      calls.push({ method: 'POST', path, conversationId: '', body, result: { id }, at: Date.now(), ...(authorization ? { authorization } : {}) });
      return json(res, 201, { id, activityId: `act-${next++}` });
    }
    if (!m || (req.method !== 'POST' && req.method !== 'PUT')) return json(res, 404, { error: { code: 'NotFound', message: path } });
    if (gone.has(decodeURIComponent(m[1]!))) return json(res, 404, { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } });
    const failure = state.down ? { status: 503 } : forbidden.has(decodeURIComponent(m[1]!)) ? { status: 403 } : failNext.shift();
    if (failure) {
      res.writeHead(failure.status, { 'content-type': 'application/json', ...(failure.retryAfter ? { 'retry-after': failure.retryAfter } : {}) });
      return res.end(JSON.stringify({ error: { code: 'Throttled', message: 'slow down' } }));
    }
    const conversationId = decodeURIComponent(m[1]!);
    const activityId = m[2] ? decodeURIComponent(m[2]) : undefined;
    const result = { id: activityId ?? `act-${next++}` };
    calls.push({ method: req.method as 'POST' | 'PUT', path, conversationId, body, result, at: Date.now(), ...(activityId ? { activityId } : {}), ...(authorization ? { authorization } : {}) });
    return json(res, 200, result);
  });
  return {
    url: server.url,
    calls,
    downloads,
    failNext,
    forbidden,
    gone,
    noApp,
    state,
    close: server.close,
    /** Cards sent or updated, newest last. */
    cards: () => calls.flatMap((c) => (c.body.attachments ?? []).map((a) => ({ call: c, card: a.content }))),
  };
}

export type FakeConnector = Awaited<ReturnType<typeof startFakeConnector>>;
