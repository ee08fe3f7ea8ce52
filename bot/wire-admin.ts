import { startAdminServer } from '../adapters/http/admin-server.ts';
import { StartupError } from '../data/data-dir.ts';
import type { HealthReport } from './app/health.ts';
import type { Metrics } from './app/metrics.ts';

/** What readiness reads, each at the moment it is asked. */
export interface ReadinessSources {
  storageWritable: () => Promise<boolean>;
  decisionLogOpen: () => Promise<boolean>;
}

/**
 * The admin port: /metrics from the instance's registry, /livez, /readyz and
 * /healthz (the detail). Readiness is what this instance needs to serve:
 * storage and the decision log. A platform outage or a stuck outbox does
 * not take it out of the load balancer (Teams and the intake API still
 * need it); they show in /healthz, the metrics and their alerts. A port in
 * use is a start-up error naming ADMIN_PORT.
 */
export async function startAdmin(admin: { port: number; host: string }, metrics: Metrics, health: () => Promise<HealthReport>, sources: ReadinessSources) {
  return startAdminServer({
    metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }),
    health: async () => {
      const { ok, ...detail } = await health();
      return { ok, detail };
    },
    ready: async () => ({
      storage: { ok: await sources.storageWritable() },
      decisionLog: { ok: await sources.decisionLogOpen() },
    }),
  }, admin.port, admin.host).catch((err) => {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new StartupError(`ADMIN_PORT ${admin.port} is already in use on ${admin.host}. Set ADMIN_PORT to a free port, or "off".`);
    throw err;
  });
}
