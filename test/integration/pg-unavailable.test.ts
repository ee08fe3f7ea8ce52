import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ServiceUnavailable, StartupError } from '../../data/data-dir.ts';
import { PgDatabase } from '../../data/pg/pg-database.ts';
import { memoryLogger } from '../helpers/harness.ts';
import { describePg, freshSchema, PG_URL } from '../helpers/postgres.ts';

/** A loopback port that forwards to the test database once `open()` is called: a database that comes up late. */
async function lateDatabase() {
  const upstream = new URL(PG_URL);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return {
    port,
    url: PG_URL.replace(`${upstream.hostname}:${upstream.port || 5432}`, `127.0.0.1:${port}`),
    open: () => new Promise<void>((resolve) => {
      server = createServer((inbound) => {
        const outbound = connect(Number(upstream.port || 5432), upstream.hostname);
        for (const s of [inbound, outbound]) { sockets.add(s); s.on('error', () => s.destroy()); s.on('close', () => sockets.delete(s)); }
        inbound.pipe(outbound).pipe(inbound);
      });
      server.listen(port, '127.0.0.1', resolve);
    }),
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (server) server.close(() => resolve());
      else resolve();
    }),
  };
}

/**
 * PostgreSQL briefly down at start-up is waited for, each wait logged, and
 * Bluedesk starts when it answers; still down after the wait, it exits 69
 * (a service manager restarts that), never 78, which is kept for wrong settings.
 */
await describePg('PostgreSQL not answering at start-up', () => {
  let target: Awaited<ReturnType<typeof freshSchema>>;
  beforeAll(async () => { target = await freshSchema('late'); });
  afterAll(async () => target?.drop());

  it('is waited for, with each wait logged, and used once it answers', async () => {
    const late = await lateDatabase();
    const log = memoryLogger();
    try {
      setTimeout(() => void late.open(), 2500).unref();
      const db = await PgDatabase.open({ url: late.url, schema: target.schema }, { listen: false, wait: { seconds: 30, log: log.warn } });
      await db.close();
      expect(log.lines.filter((l) => l.msg === 'PostgreSQL is not answering yet: waiting before trying again').length).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(log.lines)).not.toContain('postgres://');
    } finally {
      await late.close();
    }
  }, 40_000);

  it('still down after the wait: ServiceUnavailable (exit 69), not a configuration error', async () => {
    const late = await lateDatabase();
    const err = await PgDatabase.open({ url: late.url, schema: target.schema }, { listen: false, wait: { seconds: 2 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceUnavailable);
    expect((err as ServiceUnavailable).exitCode).toBe(69);
    expect((err as Error).message).toContain('did not answer within 2 s (DATABASE_WAIT_SECONDS)');
  });

  it('a wrong setting (a database that does not exist) fails at once, as a configuration error (exit 78)', async () => {
    const started = Date.now();
    const err = await PgDatabase.open({ url: PG_URL.replace(/\/[^/]*$/, '/no_such_database_here'), schema: target.schema }, { listen: false, wait: { seconds: 30 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartupError);
    expect(err).not.toBeInstanceOf(ServiceUnavailable);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
