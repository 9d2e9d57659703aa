/**
 * The authorisation matrix (GB/T 22239 §8.1.4.2, ASVS V8.2/8.4), generated from the app's route
 * table (every /api/v1 route, filled by the onRoute hook) and the declared policy in
 * domain/roles.ts. A new route is covered the moment it is registered.
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, ROLE_SCOPE, ROLES, type Role } from '../../../domain/roles.js';
import { registerAccess } from '../../src/platform/access/access.plugin.js';
import type { RouteEntry } from '../../src/platform/auth/actor.js';
import type { AuthService } from '../../src/platform/auth/auth.service.js';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';
import { ledgerRecords, nextSerial, type ScopedRead } from './records.js';
import { CLUE_NOT_ORG_SCOPED, CLUE_SCOPED_READS } from './scoped-reads/clues.js';
import { DASHBOARD_NOT_ORG_SCOPED, DASHBOARD_SCOPED_READS } from './scoped-reads/dashboard.js';
import { DISCLOSURE_NOT_ORG_SCOPED, DISCLOSURE_SCOPED_READS } from './scoped-reads/disclosure.js';
import { EVALUATION_NOT_ORG_SCOPED, EVALUATION_SCOPED_READS } from './scoped-reads/evaluation.js';
import { HANDOVER_NOT_ORG_SCOPED, HANDOVER_SCOPED_READS } from './scoped-reads/handover.js';
import { MEETING_NOT_ORG_SCOPED, MEETING_SCOPED_READS } from './scoped-reads/meetings.js';
import { NOTICE_NOT_ORG_SCOPED, NOTICE_SCOPED_READS } from './scoped-reads/notices.js';
import { REPORT_NOT_ORG_SCOPED, REPORT_SCOPED_READS } from './scoped-reads/reports.js';
import { SUPERVISION_NOT_ORG_SCOPED, SUPERVISION_SCOPED_READS } from './scoped-reads/supervision.js';
import { SURVEY_NOT_ORG_SCOPED, SURVEY_SCOPED_READS } from './scoped-reads/surveys.js';
import {
  ACCESS_VALUES,
  absentParam,
  createOrgFixture,
  expectProblem,
  fillPath,
  homeOrg,
  isPermission,
  type OrgFixture,
  pathParams,
  roleAgents,
  routeKey,
} from './support.js';

/**
 * Reads by path parameter of records that belong to an organisation. Each entry says how to make
 * such a record in a given organisation; the matrix below then expects 200 inside the caller's
 * scope and 404 outside it (SPEC §2: "a denied read of another unit's record answers 404").
 */
const SCOPED_READS: Record<string, ScopedRead> = {
  ...SUPERVISION_SCOPED_READS,
  ...HANDOVER_SCOPED_READS,
  ...CLUE_SCOPED_READS,
  ...MEETING_SCOPED_READS,
  ...SURVEY_SCOPED_READS,
  ...EVALUATION_SCOPED_READS,
  ...DASHBOARD_SCOPED_READS,
  ...NOTICE_SCOPED_READS,
  ...REPORT_SCOPED_READS,
  ...DISCLOSURE_SCOPED_READS,
  // The organisation tree is reference data for the three administrators (they keep it).
  'GET /api/v1/organisations/:id': { adminsSeeAll: true, make: async (_t, orgId) => orgId },
  // Accounts are kept by the security administrator for everyone; others see their scope's users.
  'GET /api/v1/users/:id': {
    adminsSeeAll: true,
    make: (t, orgId) => t.createUser({ username: `scoped_${orgId}_${nextSerial()}`, role: 'unit', orgId }),
  },
  // Business records: 三员分立 administrators see none of them.
  'GET /api/v1/rounds/:id': { adminsSeeAll: false, make: async (t, o) => (await ledgerRecords(t, o)).round },
  'GET /api/v1/rounds/:id/teams': { adminsSeeAll: false, make: async (t, o) => (await ledgerRecords(t, o)).round },
  'GET /api/v1/round-units/:id': { adminsSeeAll: false, make: async (t, o) => (await ledgerRecords(t, o)).roundUnit },
  'GET /api/v1/round-units/:id/briefings': {
    adminsSeeAll: false,
    make: async (t, o) => (await ledgerRecords(t, o)).roundUnit,
  },
  'GET /api/v1/round-units/:id/problems': {
    adminsSeeAll: false,
    make: async (t, o) => (await ledgerRecords(t, o)).roundUnit,
  },
  'GET /api/v1/round-units/:id/immediate-items': {
    adminsSeeAll: false,
    make: async (t, o) => (await ledgerRecords(t, o)).roundUnit,
  },
  'GET /api/v1/problems/:id': { adminsSeeAll: false, make: async (t, o) => (await ledgerRecords(t, o)).problem },
  'GET /api/v1/measures/:id': { adminsSeeAll: false, make: async (t, o) => (await ledgerRecords(t, o)).measure },
  'GET /api/v1/measures/:id/extensions': {
    adminsSeeAll: false,
    make: async (t, o) => (await ledgerRecords(t, o)).measure,
  },
  'GET /api/v1/immediate-items/:id': {
    adminsSeeAll: false,
    make: async (t, o) => (await ledgerRecords(t, o)).immediate,
  },
  // Evidence (M6): a file of a unit is read, downloaded and zipped only by callers who see the unit.
  'GET /api/v1/files/:id': { adminsSeeAll: false, make: async (t, o) => (await ledgerRecords(t, o)).file },
  'GET /api/v1/files/:id/content': { adminsSeeAll: false, make: async (t, o) => (await ledgerRecords(t, o)).file },
  'GET /api/v1/round-units/:id/files': {
    adminsSeeAll: false,
    make: async (t, o) => (await ledgerRecords(t, o)).roundUnit,
  },
  'GET /api/v1/round-units/:id/materials.zip': {
    adminsSeeAll: false,
    make: async (t, o) => (await ledgerRecords(t, o)).roundUnit,
  },
  'GET /api/v1/measures/:id/evidence': {
    adminsSeeAll: false,
    make: async (t, o) => (await ledgerRecords(t, o)).measure,
  },
  // Progress reports (M6): a submitted report is seen by whoever sees its unit.
  'GET /api/v1/round-units/:id/progress-reports': {
    adminsSeeAll: false,
    make: async (t, o) => (await ledgerRecords(t, o)).roundUnit,
  },
  'GET /api/v1/progress-reports/:id': {
    adminsSeeAll: false,
    make: async (t, o) => (await ledgerRecords(t, o)).progressReport,
  },
  'GET /api/v1/progress-reports/:id/versions': {
    adminsSeeAll: false,
    make: async (t, o) => (await ledgerRecords(t, o)).progressReport,
  },
  'GET /api/v1/progress-reports/:id/versions/:revision': {
    adminsSeeAll: false,
    make: async (t, o) => (await ledgerRecords(t, o)).progressReport,
    url: (id) => `/api/v1/progress-reports/${id}/versions/1`,
  },
  'GET /api/v1/progress-reports/:id/compare': {
    adminsSeeAll: false,
    make: async (t, o) => (await ledgerRecords(t, o)).progressReport,
    url: (id) => `/api/v1/progress-reports/${id}/compare?from=1&to=1`,
  },
  // 对账销号 (M7)
  'GET /api/v1/closures/:id': { adminsSeeAll: false, make: async (t, o) => (await ledgerRecords(t, o)).closure },
  'GET /api/v1/measures/:id/closures': {
    adminsSeeAll: false,
    make: async (t, o) => (await ledgerRecords(t, o)).measure,
  },
};
/** Reads by path parameter that are not about one organisation's records, and why. */
const NOT_ORG_SCOPED: Record<string, string> = {
  ...SUPERVISION_NOT_ORG_SCOPED,
  ...HANDOVER_NOT_ORG_SCOPED,
  ...CLUE_NOT_ORG_SCOPED,
  ...MEETING_NOT_ORG_SCOPED,
  ...SURVEY_NOT_ORG_SCOPED,
  ...EVALUATION_NOT_ORG_SCOPED,
  ...DASHBOARD_NOT_ORG_SCOPED,
  ...NOTICE_NOT_ORG_SCOPED,
  ...REPORT_NOT_ORG_SCOPED,
  ...DISCLOSURE_NOT_ORG_SCOPED,
  'GET /api/v1/dictionaries/:id': 'reference data, the same for every reader',
  'GET /api/v1/calendar/:date': 'the working calendar, the same for every reader',
  'GET /api/v1/campaigns/:id':
    'a sector-wide campaign (一盘棋) known to every ledger reader; its figures count only the units in scope',
};

describe('the access policy is part of building the app', () => {
  const fakeAuth = {} as AuthService;
  async function build(routes: (v1: ReturnType<typeof Fastify>) => void) {
    const app = Fastify();
    registerAccess(app as never, fakeAuth);
    app.get('/api/health', async () => ({ ok: true })); // outside /api/v1: no policy needed
    await app.register(async (v1) => routes(v1 as never), { prefix: '/api/v1' });
    await app.ready();
    return app as unknown as { routeTable: RouteEntry[]; close(): Promise<void> };
  }

  it('refuses to build when an /api/v1 route declares no config.access', async () => {
    await expect(build((v1) => v1.get('/things', async () => []))).rejects.toThrow(
      'route GET /api/v1/things declares no valid access policy (config.access)',
    );
    await expect(build((v1) => v1.post('/things/:id', { config: {} }, async () => []))).rejects.toThrow(
      /POST \/api\/v1\/things\/:id declares no valid access policy/,
    );
  });

  it('refuses to build when config.access is not a known permission', async () => {
    await expect(
      build((v1) => v1.get('/things', { config: { access: 'org.reed' as never } }, async () => [])),
    ).rejects.toThrow(/declares no valid access policy/);
  });

  it('builds, and lists the route in the route table, when the access is declared', async () => {
    const app = await build((v1) => {
      v1.get('/things', { config: { access: 'org.read' } }, async () => []);
      v1.route({
        method: ['PUT', 'DELETE'],
        url: '/things/:id',
        config: { access: 'org.write' },
        handler: async () => [],
      });
    });
    expect(app.routeTable).toEqual([
      { method: 'GET', url: '/api/v1/things', access: 'org.read' },
      { method: 'PUT', url: '/api/v1/things/:id', access: 'org.write' },
      { method: 'DELETE', url: '/api/v1/things/:id', access: 'org.write' },
    ]);
    await app.close();
  });
});

describe.each(DIALECTS)('route policy on %s', (dialect) => {
  let t: TestApp;
  let f: OrgFixture;
  let agents: Record<Role, Agent>;
  let routes: RouteEntry[];

  beforeAll(async () => {
    t = await createTestApp(dialect);
    f = await createOrgFixture(t);
    agents = await roleAgents(t, f);
    routes = t.app.routeTable.filter((r) => r.url.startsWith('/api/v1'));
  });
  afterAll(() => t.close());

  it('knows every /api/v1 route, and every one declares a valid access value', async () => {
    const valid = routes.filter((r) => ACCESS_VALUES.has(r.access));
    const pct = routes.length ? Math.round((1000 * valid.length) / routes.length) / 10 : 0;
    console.log(`route-table (${dialect}): ${routes.length} routes, ${pct}% with a policy`);
    expect(routes.length).toBeGreaterThanOrEqual(25);
    expect(valid).toEqual(routes);
    expect(new Set(routes.map(routeKey)).size).toBe(routes.length);

    // Nothing escapes the table: every operation of the OpenAPI document is in it.
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const documented = Object.entries<Record<string, unknown>>(doc.paths)
      .filter(([p]) => p.startsWith('/api/v1'))
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`));
    const known = new Set(routes.map(routeKey));
    expect(documented.filter((k) => !known.has(k))).toEqual([]);
  });

  it('refuses an anonymous caller on every non-public route with 401, however the path is spelled', async () => {
    let checked = 0;
    for (const r of routes.filter((x) => x.access !== 'public')) {
      const url = fillPath(r.url, Object.fromEntries(pathParams(r.url).map((p) => [p, absentParam(p)])));
      const body = r.method === 'GET' || r.method === 'DELETE' ? undefined : { anything: 1 };
      const variants: { url: string; headers?: Record<string, string> }[] = [
        { url },
        { url: url.replace('/api/', '/%61pi/') }, // the router decodes it; the policy must still apply
        { url: url.replace('/v1/', '/%76%31/') },
        { url, headers: { cookie: 'rectify_session=forged-session-token' } },
        { url, headers: { authorization: 'Bearer rct_forgedtoken' } },
      ];
      for (const v of variants) {
        const res = await t.app.inject({ method: r.method as 'GET', url: v.url, payload: body, headers: v.headers });
        expect(res.statusCode, `${r.method} ${v.url}`).toBe(401);
        expectProblem(res, 401, 'UNAUTHENTICATED');
        checked++;
      }
      if (r.method === 'GET') {
        const head = await t.app.inject({ method: 'HEAD', url });
        expect(head.statusCode, `HEAD ${url}`).toBe(401);
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('answers 403 FORBIDDEN to every role that lacks the route permission (matrix from ROLE_PERMISSIONS)', async () => {
    const matrix: string[] = [];
    for (const r of routes) {
      if (!isPermission(r.access)) continue;
      const url = fillPath(r.url, Object.fromEntries(pathParams(r.url).map((p) => [p, absentParam(p)])));
      for (const role of ROLES.filter((x) => !can(x, r.access as never))) {
        const res = await agents[role].request(r.method, url, r.method === 'GET' ? undefined : {});
        expect(res.statusCode, `${role} ${r.method} ${r.url}: ${res.body}`).toBe(403);
        expectProblem(res, 403, 'FORBIDDEN');
        matrix.push(`${role} ${r.method} ${r.url}`);
      }
    }
    // 三员分立: the audit log is for the auditor only, and the auditor keeps nothing else.
    expect(matrix).toContain('sysadmin GET /api/v1/audit');
    expect(matrix).toContain('secadmin GET /api/v1/audit');
    expect(matrix).toContain('auditor POST /api/v1/organisations');
    expect(matrix).toContain('office PUT /api/v1/settings/security/security.totpRequiredRoles');
    expect(matrix.length).toBeGreaterThan(100);
  });

  it('lets every role holding the permission through every GET route without path parameters', async () => {
    let checked = 0;
    for (const r of routes) {
      if (r.method !== 'GET' || pathParams(r.url).length || r.access === 'public') continue;
      const holders = isPermission(r.access) ? ROLES.filter((x) => can(x, r.access as never)) : ROLES;
      expect(holders.length, `${r.url}: nobody may call it`).toBeGreaterThan(0);
      for (const role of holders) {
        const res = await agents[role].get(r.url);
        expect(res.statusCode, `${role} GET ${r.url}: ${res.body.slice(0, 200)}`).not.toBe(403);
        expect(res.statusCode, `${role} GET ${r.url}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
        if (res.statusCode >= 400) expectProblem(res); // e.g. a required query parameter
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('does not refuse a holder of the permission as FORBIDDEN on the other routes either', async () => {
    for (const r of routes) {
      if (!isPermission(r.access) || (r.method === 'GET' && !pathParams(r.url).length)) continue;
      const url = fillPath(r.url, Object.fromEntries(pathParams(r.url).map((p) => [p, absentParam(p)])));
      for (const role of ROLES.filter((x) => can(x, r.access as never))) {
        const res = await agents[role].request(r.method, url, r.method === 'GET' ? undefined : {});
        expect(res.statusCode, `${role} ${r.method} ${url}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
        if (res.statusCode >= 400) {
          const p = expectProblem(res);
          expect(p.code, `${role} ${r.method} ${url}`).not.toBe('FORBIDDEN');
        }
      }
    }
  });

  it('classifies every read by path parameter as scoped or not (add new ones to SCOPED_READS)', () => {
    const reads = routes.filter((r) => r.method === 'GET' && pathParams(r.url).length).map(routeKey);
    const unclassified = reads.filter((k) => !(k in SCOPED_READS) && !(k in NOT_ORG_SCOPED));
    expect(unclassified, 'add each to SCOPED_READS (with a maker) or NOT_ORG_SCOPED (with a reason)').toEqual([]);
    expect(reads).toContain('GET /api/v1/organisations/:id');
  });

  /** What the caller may see of each fixture organisation, from ROLE_SCOPE and the liaison link. */
  function visible(role: Role, orgId: number, adminsSeeAll: boolean): boolean {
    const below: Record<number, number[]> = {
      [f.root]: Object.values(f),
      [f.unitA]: [f.unitA, f.unitA1],
    };
    const home = homeOrg(role, f);
    switch (ROLE_SCOPE[role]) {
      case 'all':
        return true;
      case 'own':
        return (below[home] ?? [home]).includes(orgId);
      case 'liaised':
        return orgId === home || orgId === f.unitA; // the fixture links the supervisor to A only
      default:
        return adminsSeeAll;
    }
  }

  it('answers 404 for a record outside the caller scope, exactly as for a record that does not exist', {
    timeout: 300_000,
  }, async () => {
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined, instance: undefined });
    let inScope = 0;
    let outOfScope = 0;
    for (const [key, spec] of Object.entries(SCOPED_READS)) {
      const route = routes.find((r) => routeKey(r) === key);
      if (!route) continue; // that module is not registered in this build
      const orgIds = Object.values(f);
      const records = new Map<number, number>();
      for (const orgId of orgIds) records.set(orgId, await spec.make(t, orgId));
      for (const role of ROLES.filter((x) => can(x, route.access as never))) {
        const urlOf = (recordId: string) => (spec.url ? spec.url(recordId) : fillPath(route.url, recordId));
        const missing = await agents[role].get(urlOf('2147483647'));
        expectProblem(missing, 404, 'NOT_FOUND');
        for (const orgId of orgIds) {
          const res = await agents[role].get(urlOf(String(records.get(orgId))));
          const where = `${role} ${key} record of org ${orgId}`;
          if (visible(role, orgId, spec.adminsSeeAll)) {
            expect(res.statusCode, `${where}: ${res.body.slice(0, 200)}`).toBe(200);
            inScope++;
          } else {
            expectProblem(res, 404, 'NOT_FOUND');
            expect(strip(res.json()), where).toEqual(strip(missing.json()));
            outOfScope++;
          }
        }
      }
    }
    console.log(
      `scope matrix (${dialect}): ${Object.keys(SCOPED_READS).length} scoped reads, ${inScope} answered in scope, ${outOfScope} refused as 404`,
    );
    expect(inScope).toBeGreaterThan(10);
    expect(outOfScope).toBeGreaterThan(10);
  });

  it('lets a unit user read its own organisation but not another unit (404)', async () => {
    expect((await agents.unit.get(`/api/v1/organisations/${f.unitA}`)).statusCode).toBe(200);
    expect((await agents.unit.get(`/api/v1/organisations/${f.unitA1}`)).statusCode).toBe(200);
    expectProblem(await agents.unit.get(`/api/v1/organisations/${f.unitB}`), 404, 'NOT_FOUND');
    expectProblem(await agents.unit.get(`/api/v1/organisations/${f.root}`), 404, 'NOT_FOUND');
  });

  it('lets a supervisor read the unit it liaises with but not another unit (404)', async () => {
    expect((await agents.supervisor.get(`/api/v1/organisations/${f.unitA}`)).statusCode).toBe(200);
    expect((await agents.supervisor.get(`/api/v1/organisations/${f.supervisor}`)).statusCode).toBe(200);
    expectProblem(await agents.supervisor.get(`/api/v1/organisations/${f.unitB}`), 404, 'NOT_FOUND');
    expectProblem(await agents.supervisor.get(`/api/v1/organisations/${f.discipline}`), 404, 'NOT_FOUND');
  });

  it('lists only organisations in the caller scope', async () => {
    for (const role of ROLES.filter((x) => can(x, 'org.read'))) {
      const res = await agents[role].get('/api/v1/organisations?limit=1000');
      expect(res.statusCode, role).toBe(200);
      const ids = (res.json().items as { id: number }[]).map((o) => o.id);
      for (const orgId of Object.values(f)) {
        expect(ids.includes(orgId), `${role} lists org ${orgId}`).toBe(visible(role, orgId, true));
      }
    }
  });
});
