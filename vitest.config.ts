import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real servers on loopback; keep them in separate forks.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
