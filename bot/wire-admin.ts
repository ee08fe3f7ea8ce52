import { startAdminServer } from '../adapters/http/admin-server.ts';
import { StartupError } from '../data/data-dir.ts';
import type { Metrics } from './app/metrics.ts';

/** The outbox is stuck (not ready) when something not waiting for an unreachable place has been trying this long. */
export const STUCK_SECONDS = 300;

/** What readiness reads, each at the moment it is asked. */
export interface ReadinessSources {
  storageWritable: () => Promise<boolean>;
  decisionLogOpen: () => Promise<boolean>;
  slackState: () => string;
  outbox: () => { oldestSendingAgeSeconds: number } & Record<string, number>;
}

/**
 * The admin port: /metrics from the instance's registry, /livez, /readyz
 * (storage, the decision log, Slack, a stuck outbox) and /healthz. A port in
 * use is a start-up error naming ADMIN_PORT.
 */
export async function startAdmin(admin: { port: number; host: string }, metrics: Metrics, health: () => Promise<{ ok: boolean; detail: Record<string, unknown> }>, sources: ReadinessSources) {
  return startAdminServer({
    metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }),
    health,
    ready: async () => {
      const outbox = sources.outbox();
      const slackState = sources.slackState();
      return {
        storage: { ok: await sources.storageWritable() },
        decisionLog: { ok: await sources.decisionLogOpen() },
        slack: { ok: slackState !== 'unreachable', detail: slackState },
        outbox: { ok: outbox.oldestSendingAgeSeconds < STUCK_SECONDS, detail: outbox },
      };
    },
  }, admin.port, admin.host).catch((err) => {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new StartupError(`ADMIN_PORT ${admin.port} is already in use on ${admin.host}. Set ADMIN_PORT to a free port, or "off".`);
    throw err;
  });
}
