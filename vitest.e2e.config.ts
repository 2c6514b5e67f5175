import { defineConfig } from 'vitest/config';

/** End-to-end tests against real processes (.ci/run runs them after `npm test`). */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 300_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
