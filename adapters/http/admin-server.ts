import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the admin port serves: metrics, liveness, readiness and the old health check. */
export interface AdminRoutes {
  /** Prometheus text exposition, with its content type. */
  metrics: () => Promise<{ contentType: string; body: string }>;
  /** Each readiness check by name: true when it passes. */
  ready: () => Promise<Record<string, { ok: boolean; detail?: unknown }>>;
  health: () => Promise<{ ok: boolean; detail: Record<string, unknown> }>;
}

/**
 * The admin port (ADMIN_PORT, on 127.0.0.1 unless ADMIN_HOST says otherwise):
 * GET /metrics for Prometheus, /livez (the process answers), /readyz (it can
 * do its work), /healthz. Kept off the public port, so the reverse proxy
 * never exposes them.
 */
export async function startAdminServer(routes: AdminRoutes, port: number, host: string): Promise<{ url: string; close: () => Promise<void> }> {
  const send = (res: ServerResponse, status: number, body: string, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  const server = createServer((req: IncomingMessage, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, JSON.stringify({ error: 'method_not_allowed' }));
    const answer = async () => {
      switch (path) {
        case '/metrics': {
          const m = await routes.metrics();
          return send(res, 200, m.body, m.contentType);
        }
        case '/livez': return send(res, 200, JSON.stringify({ status: 'alive' }));
        case '/readyz': {
          const checks = await routes.ready();
          const failing = Object.entries(checks).filter(([, c]) => !c.ok).map(([name]) => name);
          return send(res, failing.length ? 503 : 200, JSON.stringify({ status: failing.length ? 'not ready' : 'ready', failing, checks }));
        }
        case '/healthz': {
          const h = await routes.health();
          return send(res, h.ok ? 200 : 503, JSON.stringify(h.detail));
        }
        default: return send(res, 404, JSON.stringify({ error: 'not_found', paths: ['/metrics', '/livez', '/readyz', '/healthz'] }));
      }
    };
    answer().catch((err: unknown) => send(res, 500, JSON.stringify({ error: 'check_failed', message: (err as Error).message })));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
