import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['domain/**/*.test.ts', 'server/**/*.test.ts'],
    globalSetup: ['server/test/global-setup.ts'],
    // Generous: a timeout here guards against hangs, never measures speed (that is `npm run bench`).
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    reporters: ['default', './server/test/dialect-reporter.ts'],
  },
});
