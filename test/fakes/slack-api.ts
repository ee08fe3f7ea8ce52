import { json, listen, readBody, serveFakeFile, type Download } from './http.ts';

/** One Web API call the bot made. */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
  /** What the fake answered. */
  result?: Record<string, unknown>;
  /** When it arrived (ms since the epoch), for pacing checks. */
  at: number;
}

/**
 * A loopback stand-in for the Slack Web API (`slackApiUrl`). It answers the
 * methods Bluedesk uses the way Slack documents them, and records every call.
 */
export async function startFakeSlackApi(opts: { teamId: string; botUserId?: string; socketUrl?: () => string | undefined }) {
  const calls: SlackCall[] = [];
  let ts = 1_700_000_000;
  const downloads: Download[] = [];
  /** Channels the bot is not a member of: posts answer not_in_channel, conversations.info says is_member false. */
  const notInChannel = new Set<string>();
  /** Answers to give the next calls instead of success: an HTTP status (429 with Retry-After) or a Slack error code. */
  const failNext: Array<{ status?: number; retryAfter?: string; error?: string; method?: string }> = [];
  /** Channels (or users' DMs) every post to which Slack refuses with this error code, e.g. `user_disabled`. */
  const refuse = new Map<string, string>();
  /** While true, every call answers 503, as when Slack is down. */
  const state = { down: false };
  const server = await listen(async (req, res) => {
    if (serveFakeFile(req, res, '/files/', downloads)) return;
    const method = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/api\//, '');
    const text = await readBody(req);
    const type = req.headers['content-type'] ?? '';
    const args: Record<string, unknown> = type.includes('json') ? JSON.parse(text || '{}') : Object.fromEntries(new URLSearchParams(text));
    for (const k of ['blocks', 'view', 'attachments']) if (typeof args[k] === 'string') args[k] = JSON.parse(args[k] as string);
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    const call: SlackCall = { method, args, at: Date.now(), ...(token ? { token } : {}) };
    calls.push(call);
    const answer = (body: Record<string, unknown>) => {
      call.result = body;
      json(res, 200, body);
    };
    if (state.down) {
      call.result = { http: 503 };
      return json(res, 503, { ok: false });
    }
    const failIndex = failNext.findIndex((f) => !f.method || f.method === method);
    if (failIndex >= 0) {
      const f = failNext.splice(failIndex, 1)[0]!;
      if (f.status) {
        call.result = { http: f.status };
        res.writeHead(f.status, { 'content-type': 'application/json', ...(f.retryAfter ? { 'retry-after': f.retryAfter } : {}) });
        return res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      }
      return answer({ ok: false, error: f.error ?? 'internal_error' });
    }
    if ((method === 'chat.postMessage' || method === 'chat.update') && notInChannel.has(String(args.channel))) return answer({ ok: false, error: 'not_in_channel' });
    if (method === 'chat.postMessage' && refuse.has(String(args.channel))) return answer({ ok: false, error: refuse.get(String(args.channel)) });
    switch (method) {
      case 'conversations.info':
        return answer({ ok: true, channel: { id: args.channel, is_member: !notInChannel.has(String(args.channel)), is_archived: false } });
      case 'apps.connections.open': {
        // Socket Mode: the app-level token (xapp-) asks for a WebSocket URL.
        const url = opts.socketUrl?.();
        if (!token?.startsWith('xapp-')) return answer({ ok: false, error: 'not_allowed_token_type' });
        return url ? answer({ ok: true, url }) : answer({ ok: false, error: 'socket_mode_not_enabled' });
      }
      case 'auth.test':
        return answer({ ok: true, url: 'https://example.slack.com/', team: 'Example', user: 'bluedesk', team_id: opts.teamId, user_id: opts.botUserId ?? 'U0BLUEDESK', bot_id: 'B0BLUEDESK' });
      case 'chat.postMessage':
        return answer({ ok: true, channel: args.channel, ts: `${ts++}.000100`, message: { text: args.text } });
      case 'chat.update':
        return answer({ ok: true, channel: args.channel, ts: args.ts, text: args.text });
      case 'chat.postEphemeral':
        return answer({ ok: true, message_ts: `${ts++}.000200` });
      case 'views.open':
      case 'views.update':
      case 'views.push':
        return answer({ ok: true, view: { id: `V${ts++}`, ...(args.view as object) } });
      default:
        return answer({ ok: false, error: 'unknown_method' });
    }
  });
  return {
    url: `${server.url}/api/`,
    host: server.url,
    calls,
    downloads,
    notInChannel,
    refuse,
    failNext,
    state,
    close: server.close,
    of: (method: string) => calls.filter((c) => c.method === method),
  };
}

export type FakeSlackApi = Awaited<ReturnType<typeof startFakeSlackApi>>;
