import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The fake login authority serves HTTPS with a test certificate. Node reads
// NODE_EXTRA_CA_CERTS only at start-up, so it is set here, before the test
// workers are forked. Any bundle the machine already names is kept.
const testCa = fileURLToPath(new URL('./test/fixtures/tls/cert.pem', import.meta.url));
const existing = process.env.NODE_EXTRA_CA_CERTS;
if (existing !== testCa) {
  const bundle = join(tmpdir(), `bluedesk-test-ca-${process.pid}.pem`);
  const previous = existing && existsSync(existing) ? readFileSync(existing, 'utf8') + '\n' : '';
  writeFileSync(bundle, previous + readFileSync(testCa, 'utf8'));
  process.env.NODE_EXTRA_CA_CERTS = bundle;
}

/**
 * Journeys that run a second time on PostgreSQL (BLUEDESK_TEST_STORAGE makes
 * the harness use a fresh schema): they speak only the platforms' protocols
 * and read the decision log through the harness, never a lowdb file.
 */
const POSTGRES_JOURNEYS = ['archive', 'escalate-story', 'escalation-actions', 'slack', 'teams', 'intake-api', 'sla', 'accounts', 'appeals', 'leavers-psd', 'crash-outbox']
  .map((f) => `test/integration/${f}.test.ts`);

/** True when something answers on the test database's port (the tests connect properly; this only decides whether to run them). */
function databaseAnswers(): Promise<boolean> {
  const url = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test');
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 5432), timeout: 1500 });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

// One id for this run (the compiled build is made once per run) and a list of the processes its tests start,
// which the global teardown stops whatever happened (test/global-setup.ts).
process.env.BLUEDESK_TEST_RUN ??= `${process.pid}-${Date.now()}`;
process.env.BLUEDESK_TEST_PIDS ??= join(tmpdir(), `bluedesk-test-pids-${process.env.BLUEDESK_TEST_RUN}`);

const postgres = await databaseAnswers();
if (!postgres) {
  if (process.env.BLUEDESK_REQUIRE_PG) throw new Error('BLUEDESK_REQUIRE_PG is set but no PostgreSQL answers (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)');
  process.stderr.write('\n*** No PostgreSQL answers: the journeys on PostgreSQL are SKIPPED (set DATABASE_URL, or start the server) ***\n\n');
}

export default defineConfig({
  test: {
    // Integration tests start real servers on loopback; keep them in separate forks. Most of a test's time is
    // waiting on loopback I/O, so three files run at once on two cores (measured in docs/PERFORMANCE.md).
    pool: 'forks',
    maxWorkers: 3,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/helpers/process-cleanup.ts'],
    projects: [
      { extends: true, test: { name: 'lowdb', include: ['test/**/*.test.ts'] } },
      ...(postgres ? [{ extends: true as const, test: { name: 'postgres', include: POSTGRES_JOURNEYS, env: { BLUEDESK_TEST_STORAGE: 'postgres' } } }] : []),
    ],
  },
});
