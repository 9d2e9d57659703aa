import fs from 'node:fs';
import { inject } from 'vitest';

export type DrillDatabase = 'sqlite' | 'postgres' | '-';

/** One line of the final table. `pass` null = not measured (skipped or not built), said in `note`. */
export interface Figure {
  drill: string;
  database: DrillDatabase;
  figure: string;
  value: number | string;
  target: string;
  pass: boolean | null;
  note?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    drillResultsFile: string;
  }
}

/** Appends a figure to this run's collection file (read by the global teardown). */
export function record(f: Figure): Figure {
  fs.appendFileSync(inject('drillResultsFile'), `${JSON.stringify(f)}\n`);
  return f;
}

/** Records that a drill (or its PostgreSQL half) did not run, loudly. */
export function skipped(drill: string, database: DrillDatabase, why: string) {
  console.warn(`\n*** DRILL SKIPPED: ${drill} on ${database}: ${why} ***\n`);
  record({ drill, database, figure: 'skipped', value: '-', target: '-', pass: null, note: why });
}

/** The PostgreSQL the drills use, or null (then every PostgreSQL half says it was skipped). */
export const PG_URL = process.env.TEST_DATABASE_URL || null;
export const DATABASES: ('sqlite' | 'postgres')[] = ['sqlite', 'postgres'];
