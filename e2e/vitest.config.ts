import { defineConfig } from 'vitest/config';

/** Browser tests: one file at a time in one fork (each file starts its own server and Chromium). */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
    // expect.poll waits on what the page shows; a slow machine needs more than the default second.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
