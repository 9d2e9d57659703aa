/**
 * The server answers a request's session and scope from what it read at the access epoch
 * (platform/auth/access-cache.ts). These tests change sessions, users, organisations and liaison
 * links with plain SQL — not through the application's services, as another server, the CLI or a
 * database administrator would — and check that the very next request sees the change.
 */

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../domain/roles.js';
import { createTestApp, DIALECTS, type TestApp } from '../helpers.js';
import { expectProblem } from './support.js';

describe.each(DIALECTS)('sessions and scopes kept between requests on %s', (dialect) => {
  let t: TestApp;
  let n = 0;
  const epoch = async () =>
    Number(
      (await sql<{ epoch: number }>`SELECT epoch FROM access_epoch WHERE id = 1`.execute(t.ctx.db)).rows[0]!.epoch,
    );
  const signedIn = async (role: Role = 'office', orgId?: number) => {
    const username = `ac${++n}`;
    const id = await t.createUser({ username, role, orgId });
    const agent = await t.login(username);
    expect((await agent.get('/api/v1/auth/me')).statusCode).toBe(200); // the session is now kept
    return { agent, id, username };
  };
  const visibleOrgs = async (agent: Awaited<ReturnType<typeof signedIn>>['agent']) => {
    const res = await agent.get('/api/v1/organisations?limit=200');
    expect(res.statusCode).toBe(200);
    return new Set((res.json().items as { id: number }[]).map((o) => Number(o.id)));
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  it('refuses a session revoked by a write outside the application on the next request', async () => {
    const { agent, username } = await signedIn();
    await sql`UPDATE sessions SET revoked_at = ${t.clock.now()}
      WHERE user_id = (SELECT id FROM users WHERE username = ${username})`.execute(t.ctx.db);
    expectProblem(await agent.get('/api/v1/auth/me'), 401, 'SESSION_EXPIRED');
  });

  it('refuses a session whose row was deleted', async () => {
    const { agent, id } = await signedIn();
    await sql`DELETE FROM sessions WHERE user_id = ${id}`.execute(t.ctx.db);
    expect((await agent.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('refuses a user disabled by plain SQL, and answers a changed role, name and organisation at once', async () => {
    const { agent, id } = await signedIn('office');
    const other = await t.createOrg({ code: `ac-org-${n}`, name: 'Before' });
    await sql`UPDATE users SET role = 'leader', display_name = 'Renamed', org_id = ${other} WHERE id = ${id}`.execute(
      t.ctx.db,
    );
    let me = (await agent.get('/api/v1/auth/me')).json();
    expect([me.role, me.displayName, me.orgId, me.orgName]).toEqual(['leader', 'Renamed', other, 'Before']);
    await sql`UPDATE organisations SET name = 'After' WHERE id = ${other}`.execute(t.ctx.db);
    me = (await agent.get('/api/v1/auth/me')).json();
    expect(me.orgName).toBe('After');
    await sql`UPDATE users SET disabled = 1 WHERE id = ${id}`.execute(t.ctx.db);
    expect((await agent.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it("narrows and widens a supervising body's scope as its liaison links change", async () => {
    const supervisor = await t.createOrg({ code: `ac-sup-${n}`, type: 'supervisor' });
    const [u1, u2] = [await t.createOrg({ code: `ac-u1-${n}` }), await t.createOrg({ code: `ac-u2-${n}` })];
    const link = (unit: number) =>
      sql`INSERT INTO liaison_links (unit_org_id, supervisor_org_id, categories, created_at)
        VALUES (${unit}, ${supervisor}, NULL, ${t.clock.now()})`.execute(t.ctx.db);
    await link(u1);
    const { agent } = await signedIn('supervisor', supervisor);
    expect(await visibleOrgs(agent)).toEqual(new Set([supervisor, u1]));
    await link(u2);
    expect(await visibleOrgs(agent)).toEqual(new Set([supervisor, u1, u2]));
    await sql`DELETE FROM liaison_links WHERE unit_org_id = ${u1} AND supervisor_org_id = ${supervisor}`.execute(
      t.ctx.db,
    );
    expect(await visibleOrgs(agent)).toEqual(new Set([supervisor, u2]));
  });

  it("follows a unit's subtree as organisations are added and moved", async () => {
    const unit = await t.createOrg({ code: `ac-unit-${n}` });
    const { agent } = await signedIn('unit', unit);
    expect(await visibleOrgs(agent)).toEqual(new Set([unit]));
    const child = await t.createOrg({ code: `ac-child-${n}`, parentId: unit });
    expect(await visibleOrgs(agent)).toEqual(new Set([unit, child]));
    await sql`UPDATE organisations SET parent_id = ${t.rootOrgId} WHERE id = ${child}`.execute(t.ctx.db);
    expect(await visibleOrgs(agent)).toEqual(new Set([unit]));
  });

  it('does not move the epoch for a session merely being used, nor for a new sign-in', async () => {
    const { agent } = await signedIn();
    const before = await epoch();
    t.clock.advance(60_000); // past the touch interval: last_seen_at is written
    expect((await agent.get('/api/v1/auth/me')).statusCode).toBe(200);
    await signedIn();
    expect(await epoch()).toBe(before);
  });

  it('still ends an idle session, and keeps one another server kept alive', async () => {
    const { agent, id } = await signedIn();
    t.clock.advance(29 * 60_000);
    // Another server saw the session meanwhile: this one's kept row is older than the database's.
    await sql`UPDATE sessions SET last_seen_at = ${t.clock.now()} WHERE user_id = ${id}`.execute(t.ctx.db);
    t.clock.advance(2 * 60_000);
    expect((await agent.get('/api/v1/auth/me')).statusCode).toBe(200);
    t.clock.advance(31 * 60_000);
    expectProblem(await agent.get('/api/v1/auth/me'), 401, 'SESSION_EXPIRED');
  });
});
