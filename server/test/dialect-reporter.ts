import type { Reporter, TestModule } from 'vitest/node';

/**
 * Closes the run with the counts per database, so a CI log shows that the integration tests ran on
 * SQLite and on PostgreSQL (or that PostgreSQL was skipped), and with the plain `N passed, N failed`
 * line that log readers look for.
 */
export default class DialectReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const tally = { sqlite: { passed: 0, failed: 0 }, postgres: { passed: 0, failed: 0 } };
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'skipped' || state === 'pending') {
          skipped++;
          continue;
        }
        const ok = state === 'passed';
        if (ok) passed++;
        else failed++;
        const name = test.fullName;
        const dialect = /\bpostgres(ql)?\b/i.test(name) ? 'postgres' : /\bsqlite\b/i.test(name) ? 'sqlite' : null;
        if (dialect) tally[dialect][ok ? 'passed' : 'failed']++;
      }
    }
    const pg = process.env.TEST_DATABASE_URL
      ? `${tally.postgres.passed} passed, ${tally.postgres.failed} failed`
      : 'SKIPPED (TEST_DATABASE_URL not set)';
    console.log('\nIntegration tests by database:');
    console.log(`  SQLite:     ${tally.sqlite.passed} passed, ${tally.sqlite.failed} failed`);
    console.log(`  PostgreSQL: ${pg}`);
    console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  }
}
