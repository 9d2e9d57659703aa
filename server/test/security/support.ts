/**
 * Shared by the security suites: the declared policy turned into expectations, role fixtures, a
 * database fingerprint and the checks every refused answer must pass. Generated from
 * domain/roles.ts and from the app's own route table, never from hand-kept lists of routes.
 */
import { type Kysely, sql } from 'kysely';
import { expect } from 'vitest';
import { can, PERMISSIONS, type Permission, ROLES, type Role } from '../../../domain/roles.js';
import type { DB } from '../../src/db/types.js';
import type { Access, RouteEntry } from '../../src/platform/auth/actor.js';
import type { Agent, TestApp } from '../helpers.js';

export const ACCESS_VALUES: ReadonlySet<string> = new Set(['public', 'session', 'user', ...PERMISSIONS]);
export const isPermission = (a: Access): a is Permission => (PERMISSIONS as readonly string[]).includes(a);

/** Who calls a route as "an authorised user": the administrators first, then the office, then the rest. */
const PREFERENCE: readonly Role[] = ['sysadmin', 'secadmin', 'auditor', 'office', ...ROLES];

/** A role allowed to call a route of this access, or null for public routes (called anonymously). */
export function roleFor(access: Access): Role | null {
  if (access === 'public') return null;
  if (access === 'session' || access === 'user') return 'office';
  const role = PREFERENCE.find((r) => can(r, access));
  if (!role) throw new Error(`no role holds ${access}: add it to ROLE_PERMISSIONS or drop the route`);
  return role;
}

export const routeKey = (r: Pick<RouteEntry, 'method' | 'url'>) => `${r.method} ${r.url}`;
export const pathParams = (url: string) => [...url.matchAll(/:(\w+)/g)].map((m) => m[1]!);

/** The route's URL with every path parameter filled in (by name, or the same value for all). */
export function fillPath(url: string, values: string | Record<string, string>): string {
  return url.replace(/:(\w+)/g, (_, name: string) =>
    typeof values === 'string' ? values : (values[name] ?? encodeURIComponent('x')),
  );
}

/** A value for a path parameter that exists nowhere: the largest id, or a date/text nobody uses. */
export function absentParam(name: string): string {
  if (/date/i.test(name)) return '2099-12-31';
  if (/id$/i.test(name)) return '2147483647';
  return 'zz-absent';
}

type Res = { statusCode: number; headers: Record<string, unknown>; body: string; json<T = any>(): T };

/** Internals that must never reach a client, from SQLite, PostgreSQL, Node or the file system. */
export const LEAKS: readonly RegExp[] = [
  /SQLITE_/,
  /syntax error/i,
  /at Object\./,
  /node_modules/,
  /\n\s+at [^\n]+\(/, // stack frames
  /\.(ts|js):\d+:\d+/,
  /relation "[^"]*" does not exist/,
  /violates (unique|foreign key|not-null|check) constraint/,
  /duplicate key value/,
  /UNIQUE constraint failed/,
  /FOREIGN KEY constraint failed/,
  /invalid (byte sequence|input syntax)/,
  /TypeError|ReferenceError|RangeError/,
  /Cannot read propert/,
];

export function leakIn(body: string): RegExp | null {
  return LEAKS.find((re) => re.test(body)) ?? null;
}

/** An RFC 9457 problem document with a stable code, in the status asked for. */
export function expectProblem(res: Res, status?: number, code?: string): { code: string; detail: string } {
  const ctx = `${res.statusCode} ${res.body.slice(0, 300)}`;
  if (status !== undefined) expect(res.statusCode, ctx).toBe(status);
  expect(res.statusCode, ctx).toBeGreaterThanOrEqual(400);
  expect(String(res.headers['content-type']), ctx).toContain('application/problem+json');
  const p = res.json();
  expect(typeof p.code, ctx).toBe('string');
  expect(p.status, ctx).toBe(res.statusCode);
  expect(typeof p.detail, ctx).toBe('string');
  if (code !== undefined) expect(p.code, ctx).toBe(code);
  expect(leakIn(res.body), ctx).toBeNull();
  return p;
}

/** The organisation fixture of every scope test: a small city with one liaison link. */
export interface OrgFixture {
  root: number;
  unitA: number;
  unitA1: number; // below A
  unitB: number;
  supervisor: number; // liaises with A only
  discipline: number;
  followup: number;
}

export async function createOrgFixture(t: TestApp): Promise<OrgFixture> {
  const unitA = await t.createOrg({ code: 'UNIT-A', name: '甲单位' });
  const unitA1 = await t.createOrg({ code: 'UNIT-A1', name: '甲单位下属', parentId: unitA });
  const unitB = await t.createOrg({ code: 'UNIT-B', name: '乙单位' });
  const supervisor = await t.createOrg({
    code: 'SUP-S',
    name: '纪委监委第一监督检查室',
    type: 'supervisor',
    supervisorLine: 'discipline',
  });
  const discipline = await t.createOrg({ code: 'DISC', name: '党风政风室', type: 'discipline_office' });
  const followup = await t.createOrg({ code: 'FOLLOW', name: '督查室', type: 'followup_office' });
  await t.ctx.db
    .insertInto('liaisonLinks')
    .values({ unitOrgId: unitA, supervisorOrgId: supervisor, categories: null, createdAt: t.clock.now() })
    .execute();
  return { root: t.rootOrgId, unitA, unitA1, unitB, supervisor, discipline, followup };
}

/** Where each role's user sits in the fixture. */
export function homeOrg(role: Role, f: OrgFixture): number {
  switch (role) {
    case 'unit':
    case 'unit_head':
      return f.unitA;
    case 'supervisor':
      return f.supervisor;
    case 'discipline':
      return f.discipline;
    case 'followup':
      return f.followup;
    default:
      return f.root;
  }
}

export const userOf = (role: Role) => `sec_${role}`;

/** One signed-in agent per role, each user at its home organisation. */
export async function roleAgents(t: TestApp, f: OrgFixture): Promise<Record<Role, Agent>> {
  const agents = {} as Record<Role, Agent>;
  for (const role of ROLES) {
    await t.createUser({ username: userOf(role), role, orgId: homeOrg(role, f) });
    agents[role] = await t.login(userOf(role));
  }
  return agents;
}

/** Organisation tables and columns, read from the catalogue so that new modules' tables count too. */
async function tableColumns(db: Kysely<DB>, dialect: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (dialect === 'sqlite') {
    const tables = await sql<{ name: string }>`
      SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(db);
    for (const { name } of tables.rows) {
      const cols = await sql<{ name: string }>`SELECT name FROM pragma_table_info(${name})`.execute(db);
      out.set(
        name,
        cols.rows.map((c) => c.name),
      );
    }
  } else {
    const cols = await sql<{ tableName: string; columnName: string }>`
      SELECT c.table_name, c.column_name FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`.execute(db);
    for (const { tableName, columnName } of cols.rows) {
      out.set(tableName, [...(out.get(tableName) ?? []), columnName]);
    }
  }
  return out;
}

/**
 * A cheap fingerprint of the whole database in one query: per table the row count, and where the
 * table has them the sum of `version` (every edit bumps it), how many rows are revoked, locked or
 * disabled, plus the audit head. A refused request must leave it unchanged.
 */
export async function fingerprinter(t: TestApp): Promise<() => Promise<Record<string, string>>> {
  const tables = await tableColumns(t.ctx.db, t.dialect);
  const parts: string[] = [];
  for (const [table, cols] of tables) {
    const q = (c: string) => `"${c}"`;
    const metrics = [`count(*)`];
    if (cols.includes('version')) metrics.push(`coalesce(sum(${q('version')}), 0)`);
    for (const c of ['revoked_at', 'locked_until', 'totp_secret']) if (cols.includes(c)) metrics.push(`count(${q(c)})`);
    for (const c of ['disabled', 'must_change_password', 'totp_enabled', 'failures']) {
      if (cols.includes(c)) metrics.push(`coalesce(sum(${q(c)}), 0)`);
    }
    const expr = metrics.map((m) => `CAST(${m} AS varchar(40))`).join(` || ',' || `);
    parts.push(`SELECT '${table}' AS k, ${expr} AS v FROM ${q(table)}`);
  }
  parts.push(`SELECT 'audit_head.seq' AS k, CAST(max(seq) AS varchar(40)) AS v FROM "audit_head"`);
  const query = sql.raw<{ k: string; v: string }>(parts.join(' UNION ALL '));
  return async () => {
    const r = await query.execute(t.ctx.db);
    return Object.fromEntries(r.rows.map((x) => [x.k, String(x.v)]));
  };
}

/** Tables whose fingerprint differs. */
export function changedTables(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
}

/** Settings are cached for a few seconds per instance; a test that writes them underneath drops the cache. */
export function dropSettingsCache(t: TestApp): void {
  (t.ctx.settings as unknown as { cache: unknown }).cache = null;
}
