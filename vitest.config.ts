import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real servers on loopback; keep them in separate forks.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
