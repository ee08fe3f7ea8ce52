import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { randomUUID } from 'node:crypto';
import { requestContext, type Logger } from '../../bot/log.ts';

/** What the HTTP adapter needs from the rest of the bot. */
export interface HttpRoutes {
  teams: (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => Promise<void>;
  /** Bolt's request listener; absent when Slack is not configured. */
  slack?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Whether the bot can do its work (storage took the last write), with detail for operators. */
  health: () => Promise<{ ok: boolean; detail: Record<string, unknown> }>;
  /** POST /api/v1/escalations: reads its own raw body, since the signature covers it. */
  intake?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** The OpenAPI description served at GET /api/v1/openapi.json. */
  openapi?: unknown;
  /** The public list of official accounts (HTML and JSON). */
  officialAccounts?: (req: IncomingMessage, res: ServerResponse, format: 'html' | 'json') => void;
  /** Where a kept surge chart is, by its SHA-256 (GET /surge-charts/<sha256>.png); nothing for a malformed name. */
  surgeChart?: (sha256: string) => string | undefined;
  /** Told of every finished request: route, method, status and seconds (the latency histogram). */
  observe?: (route: string, method: string, status: number, seconds: number) => void;
}

/** A running HTTP server that can drain. */
export interface HttpServer {
  url: string;
  port: number;
  /** Stops accepting connections and resolves when in-flight requests have finished. */
  close(): Promise<void>;
}

/** The platform a request comes from, by path, for the log. */
const PLATFORM_OF: Array<[string, string]> = [['/api/messages', 'teams'], ['/slack/', 'slack'], ['/api/v1/', 'api']];
/** The routes latency is measured by; anything else is "other", so the metric cannot grow without bound. */
const KNOWN_ROUTES = ['/api/messages', '/slack/events', '/api/v1/escalations', '/api/v1/openapi.json', '/healthz', '/official-accounts', '/official-accounts.json', '/surge-charts'];

function routeOf(url: string): string {
  const path = url.split('?')[0] ?? '';
  return KNOWN_ROUTES.find((r) => path === r || (r === '/surge-charts' && path.startsWith('/surge-charts/'))) ?? 'other';
}

/** Largest request body accepted; Bot Framework activities and Slack payloads are far smaller. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Bolt's own limit for Slack request bodies. */
const SLACK_MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Refuses a body that is too large (before reading it, closing the
 * connection, since an unread body would be taken as the next request on a
 * kept-alive connection) or that is not JSON (read and discarded, never
 * written anywhere).
 */
function refuseLargeBodies(limit: number, json = true): restify.RequestHandler {
  return (req, res, next) => {
    const refuse = (status: 413 | 415, close: boolean) => {
      res.writeHead(status, { 'content-type': 'application/json', ...(close ? { connection: 'close' } : {}) });
      res.end(JSON.stringify(status === 413
        ? { error: 'too_large', message: `The body is larger than ${limit} bytes.` }
        : { error: 'unsupported_media_type', message: 'Send activities as application/json.' }));
      next(false);
    };
    if (Number(req.headers['content-length'] ?? 0) > limit) return refuse(413, true);
    if (json && !/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) req.destroy();
      });
      req.once('end', () => refuse(415, false));
      return undefined;
    }
    return next();
  };
}

/**
 * One restify server for everything, so one ingress serves Teams, Slack
 * and health checks. Bolt gets the raw request: it must see the exact
 * bytes to check Slack's signature, so /slack/events has no body parser.
 */
export async function startHttpServer(routes: HttpRoutes, port: number, log: Logger, host = '0.0.0.0'): Promise<HttpServer> {
  const server = restify.createServer({ name: 'bluedesk', handleUncaughtExceptions: false });
  let inFlight = 0;
  let idle: (() => void) | undefined;
  // A body parser calls on from the socket's 'end' event, outside the request's async context: handlers enter it again.
  const contexts = new WeakMap<IncomingMessage, { requestId: string; platform?: string }>();
  // restify tells async handlers by their kind, so the wrapper is one.
  const inRequest = <Req extends IncomingMessage, Res>(handler: (req: Req, res: Res) => Promise<void>) => async (req: Req, res: Res): Promise<void> => {
    const context = contexts.get(req);
    return context ? requestContext.run(context, () => handler(req, res)) : handler(req, res);
  };
  server.pre((req, res, next) => {
    inFlight += 1;
    const started = process.hrtime.bigint();
    res.once('close', () => {
      inFlight -= 1;
      routes.observe?.(routeOf(req.url ?? ''), req.method ?? '', res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
      if (inFlight === 0) idle?.();
    });
    // Every line logged while serving this request carries its id and platform; a caller's own id is kept if it is sane.
    const given = String(req.headers['x-request-id'] ?? '');
    const requestId = /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    const platform = PLATFORM_OF.find(([prefix]) => (req.url ?? '').startsWith(prefix))?.[1];
    const context = { requestId, ...(platform ? { platform } : {}) };
    contexts.set(req, context);
    requestContext.run(context, () => next());
  });

  // JSON only: the full bodyParser would write multipart uploads to disk before authentication.
  server.post('/api/messages', refuseLargeBodies(MAX_BODY_BYTES), restify.plugins.jsonBodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false } as restify.plugins.JsonBodyParserOptions), inRequest(async (req, res) => {
    await routes.teams(req as IncomingMessage & { body?: unknown }, res);
  }));

  if (routes.slack) {
    const slack = routes.slack;
    // Bolt refuses bodies over 4 MB but leaves them unread; refuse them here first and close the connection.
    server.post('/slack/events', refuseLargeBodies(SLACK_MAX_BODY_BYTES, false), async (req, res) => {
      await new Promise<void>((resolve) => {
        res.once('close', () => resolve());
        void slack(req, res).catch((err) => {
          log.error('slack request failed', { error: (err as Error).message });
          if (!res.headersSent) { res.writeHead(400, { connection: 'close' }); res.end(); }
        });
      });
    });
  }

  if (routes.intake) {
    const intake = routes.intake;
    server.post('/api/v1/escalations', async (req, res) => {
      await intake(req, res);
    });
  }
  if (routes.openapi) {
    const spec = routes.openapi;
    server.get('/api/v1/openapi.json', async (_req, res) => {
      res.send(200, spec);
    });
  }

  if (routes.surgeChart) {
    const find = routes.surgeChart;
    // Charts are named by their content's hash, so they never change: cached for a year.
    server.get('/surge-charts/:file', async (req, res) => {
      const sha = /^([0-9a-f]{64})\.png$/.exec(String((req.params as { file?: string }).file ?? ''))?.[1];
      const path = sha ? find(sha) : undefined;
      const png = path ? await readFile(path).catch(() => undefined) : undefined;
      if (!png) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'not_found' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length, 'cache-control': 'public, max-age=31536000, immutable' });
      res.end(png);
    });
  }
  if (routes.officialAccounts) {
    const list = routes.officialAccounts;
    server.get('/official-accounts.json', async (req, res) => {
      list(req, res, 'json');
    });
    server.get('/official-accounts', async (req, res) => {
      list(req, res, 'html');
    });
  }

  server.get('/healthz', async (_req, res) => {
    const { ok, detail } = await routes.health();
    res.send(ok ? 200 : 503, detail);
  });

  server.on('restifyError', (req, res, err, cb) => {
    if ((err as { statusCode?: number }).statusCode! >= 500) log.error('http error', { path: req.path(), error: err.message });
    return cb();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as unknown as AddressInfo;
  const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    port: address.port,
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => undefined);
        // Idle keep-alive sockets would hold close() open; in-flight requests still finish.
        server.server.closeIdleConnections?.();
        if (inFlight === 0) return resolve();
        idle = resolve;
      }),
  };
}
