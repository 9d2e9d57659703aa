import { sql } from 'kysely';
import type { Role } from '../../domain/roles.js';
import { AuditService } from '../../server/src/platform/audit/audit.service.js';
import { systemClock } from '../../server/src/platform/clock.js';
import { createCryptoProvider } from '../../server/src/platform/crypto.js';
import { openRuntime } from '../../server/src/runtime.js';
import type { Installation } from './server.js';

export const DRILL_PASSWORD = 'Drill-Passw0rd!';
export const CATEGORY = 'D_CAT';

export interface Seeded {
  rootOrgId: number;
  unitOrgId: number;
  roundUnitIds: number[];
}

/**
 * Migrates the installation's database and puts in what the drills start from: the root and one unit
 * organisation, users, a term, a round with `roundUnits` round-units in rectification, and a problem
 * category. Straight into the database (as server/test/helpers.ts does), before the server starts.
 * Passwords are hashed with 1,000 PBKDF2 rounds (the hash carries its count) to keep logins cheap.
 */
export async function seed(
  inst: Installation,
  opts: { users: { username: string; role: Role; unit?: boolean }[]; roundUnits?: number },
): Promise<Seeded> {
  const { config, database } = await openRuntime({ ...process.env, ...inst.env } as NodeJS.ProcessEnv);
  const db = database.db;
  const crypto = createCryptoProvider(config.masterKey, { pbkdf2Iterations: 1000 });
  const hash = crypto.hashPassword(DRILL_PASSWORD);
  const now = Date.now();
  try {
    const org = async (code: string, parentId: number | null, type: string) =>
      Number(
        (
          await db
            .insertInto('organisations')
            .values({
              parentId,
              code,
              name: code,
              shortName: null,
              type,
              supervisorLine: null,
              sort: 0,
              active: 1,
              version: 1,
              createdAt: now,
              updatedAt: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
    const rootOrgId = await org('ROOT', null, 'party_committee');
    const unitOrgId = await org('UNIT1', rootOrgId, 'inspected_unit');
    const rows = opts.users.map((u) => ({
      username: u.username.toLowerCase(),
      displayName: u.username,
      orgId: u.unit ? unitOrgId : rootOrgId,
      role: u.role,
      email: null,
      phone: null,
      passwordHash: hash,
      passwordChangedAt: now,
      mustChangePassword: 0,
      totpSecret: null,
      totpEnabled: 0,
      disabled: 0,
      version: 1,
      createdAt: now,
      updatedAt: now,
    }));
    for (let i = 0; i < rows.length; i += 200)
      await db
        .insertInto('users')
        .values(rows.slice(i, i + 200))
        .execute();
    const term = await db
      .insertInto('terms')
      .values({ number: 1, name: '第一届', startDate: null, endDate: null, version: 1, createdAt: now, updatedAt: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const round = await db
      .insertInto('rounds')
      .values({
        termId: Number(term.id),
        number: 1,
        name: '第1轮巡察',
        type: 'regular',
        onSiteStart: null,
        onSiteEnd: null,
        notes: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const roundUnitIds: number[] = [];
    for (let i = 0; i < (opts.roundUnits ?? 1); i++) {
      const unit = i === 0 ? unitOrgId : await org(`UNIT${i + 1}`, rootOrgId, 'inspected_unit');
      const r = await db
        .insertInto('roundUnits')
        .values({
          roundId: Number(round.id),
          termId: Number(term.id),
          unitOrgId: unit,
          teamId: null,
          status: 'rectifying',
          cycle: 1,
          feedbackDate: '2026-11-01',
          deadline: '2027-02-01',
          deadlineOverridden: 0,
          version: 1,
          createdAt: now,
          updatedAt: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      roundUnitIds.push(Number(r.id));
    }
    await db
      .insertInto('dictionaries')
      .values({
        kind: 'problem_category',
        code: CATEGORY,
        labelZhCn: CATEGORY,
        labelZhTw: CATEGORY,
        labelEn: CATEGORY,
        sort: 0,
        active: 1,
        extra: null,
        version: 1,
        updatedAt: now,
      })
      .execute();
    return { rootOrgId, unitOrgId, roundUnitIds };
  } finally {
    await database.close();
  }
}

/** Opens the installation's database from the drill itself (for checks while the server is idle). */
export async function openInstallation(inst: Installation) {
  const { config, database } = await openRuntime({ ...process.env, ...inst.env } as NodeJS.ProcessEnv);
  const audit = new AuditService(database.db, database.dialect, createCryptoProvider(config.masterKey), systemClock);
  return { config, database, db: database.db, audit };
}

/** Row count of a table (numbers on both dialects). */
export async function countRows(db: Awaited<ReturnType<typeof openInstallation>>['db'], table: string) {
  const r = await sql<{ n: string | number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(db);
  return Number(r.rows[0]!.n);
}
