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
  /** Files uploaded through files.getUploadURLExternal: their bytes as posted to the upload URL, and whether they were completed. */
  const uploads = new Map<string, { filename: string; length: number; alt?: string; bytes?: Buffer; completed: boolean }>();
  const server = await listen(async (req, res) => {
    if (serveFakeFile(req, res, '/files/', downloads)) return;
    // The upload URL Slack hands out: the file's bytes are posted to it, raw or as a form, before completion.
    const upload = /^\/upload\/(F\w+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (upload && req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const u = uploads.get(upload[1]!);
      if (!u) return json(res, 404, { ok: false });
      u.bytes = fileBytes(Buffer.concat(chunks), String(req.headers['content-type'] ?? ''));
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(`OK - ${u.bytes.length}`);
    }
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
      case 'files.getUploadURLExternal': {
        const id = `F${ts++}`;
        uploads.set(id, { filename: String(args.filename), length: Number(args.length), ...(args.alt_text ? { alt: String(args.alt_text) } : {}), completed: false });
        return answer({ ok: true, upload_url: `${server.url}/upload/${id}`, file_id: id });
      }
      case 'files.completeUploadExternal': {
        const files = (typeof args.files === 'string' ? JSON.parse(args.files) : args.files) as Array<{ id: string; title?: string }>;
        for (const f of files) {
          const u = uploads.get(f.id);
          if (!u?.bytes) return answer({ ok: false, error: 'file_not_found' });
          u.completed = true;
        }
        return answer({ ok: true, files: files.map((f) => ({ id: f.id, title: f.title ?? uploads.get(f.id)!.filename, mimetype: 'image/png' })) });
      }
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
    uploads,
    failNext,
    state,
    close: server.close,
    of: (method: string) => calls.filter((c) => c.method === method),
  };
}

export type FakeSlackApi = Awaited<ReturnType<typeof startFakeSlackApi>>;

/** The file in an upload: the body itself, or the one part of a multipart form (as @slack/web-api sends it). */
function fileBytes(body: Buffer, contentType: string): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!/^multipart\/form-data/i.test(contentType) || !boundary) return body;
  const marker = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const start = body.indexOf(marker);
  const headersEnd = body.indexOf('\r\n\r\n', start);
  const end = body.indexOf(Buffer.concat([Buffer.from('\r\n'), marker]), headersEnd);
  return body.subarray(headersEnd + 4, end);
}
