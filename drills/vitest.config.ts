import { defineConfig } from 'vitest/config';

/**
 * `npm run test:drills`: the long reliability drills of issue 10, one file at a time in one fork
 * (each file starts real servers), with long timeouts. The global setup collects every figure the
 * drills record and, at the end, prints one table and writes drills/results/<timestamp>.json.
 */
export default defineConfig({
  test: {
    include: ['drills/**/*.drill.ts'],
    globalSetup: ['drills/support/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 3_600_000,
    hookTimeout: 600_000,
    teardownTimeout: 120_000,
  },
});
