import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import type { Role } from '../../domain/roles.js';
import { buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';
import { createDatabase, type Database, type Dialect } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { ManualClock } from '../src/platform/clock.js';
import type { AppContext } from '../src/platform/context.js';
import { createCryptoProvider } from '../src/platform/crypto.js';

/** Every database test runs on each of these (kysely's test-setup habit). */
export const DIALECTS: Dialect[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export const PASSWORD = 'Test-Passw0rd!';

/** A fresh, migrated database: an in-memory SQLite, or a new schema on the test PostgreSQL. */
export async function createTestDatabase(dialect: Dialect): Promise<Database & { dropSchema?: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const database = createDatabase({ databaseUrl: null, sqlitePath: ':memory:' });
    await migrateToLatest(database.db);
    return database;
  }
  const base = process.env.TEST_DATABASE_URL!;
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const database = createDatabase({ databaseUrl: url, sqlitePath: '', poolSize: 5 });
  await migrateToLatest(database.db);
  const close = database.close;
  return {
    ...database,
    close: async () => {
      await close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  const raw = loadConfig({ RECTIFY_DATA_DIR: '/tmp/rectify-test' } as NodeJS.ProcessEnv);
  return {
    ...raw,
    masterKey: crypto.randomBytes(32),
    apiRateLimitPerMinute: 100_000,
    loginRateLimitPerMinute: 100_000,
    ...overrides,
  };
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  clock: ManualClock;
  dialect: Dialect;
  rootOrgId: number;
  close(): Promise<void>;
  /** Inserts a user directly (fast), with PASSWORD unless told otherwise. */
  createUser(u: {
    username: string;
    role: Role;
    orgId?: number;
    password?: string;
    mustChangePassword?: boolean;
  }): Promise<number>;
  createOrg(o: {
    code: string;
    name?: string;
    type?: string;
    parentId?: number | null;
    supervisorLine?: string | null;
  }): Promise<number>;
  login(username: string, password?: string): Promise<Agent>;
  anonymous(): Agent;
}

export async function createTestApp(dialect: Dialect, overrides: Partial<Config> = {}): Promise<TestApp> {
  const database = await createTestDatabase(dialect);
  const clock = new ManualClock();
  // Each app its own file store, so a test that damages a stored file damages only its own.
  const filesDir = path.join(os.tmpdir(), 'rectify-test', `files-${crypto.randomBytes(6).toString('hex')}`);
  const config = testConfig({ filesDir, ...overrides });
  const app = await buildApp({
    config,
    database,
    clock,
    crypto: createCryptoProvider(config.masterKey, { pbkdf2Iterations: 1000 }),
    serveWeb: false,
  });
  const ctx = app.ctx;
  const now = clock.now();
  const root = await ctx.db
    .insertInto('organisations')
    .values({
      parentId: null,
      code: 'ROOT',
      name: '中共市委',
      shortName: null,
      type: 'party_committee',
      supervisorLine: null,
      sort: 0,
      active: 1,
      version: 1,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rootOrgId = Number(root.id);

  const t: TestApp = {
    app,
    ctx,
    clock,
    dialect,
    rootOrgId,
    close: async () => {
      await app.close();
      await database.close();
      if (config.filesDir === filesDir) fs.rmSync(filesDir, { recursive: true, force: true });
    },
    async createUser(u) {
      const r = await ctx.db
        .insertInto('users')
        .values({
          username: u.username.toLowerCase(),
          displayName: u.username,
          orgId: u.orgId ?? rootOrgId,
          role: u.role,
          email: null,
          phone: null,
          passwordHash: ctx.crypto.hashPassword(u.password ?? PASSWORD),
          passwordChangedAt: clock.now(),
          mustChangePassword: u.mustChangePassword ? 1 : 0,
          totpSecret: null,
          totpEnabled: 0,
          disabled: 0,
          version: 1,
          createdAt: clock.now(),
          updatedAt: clock.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(r.id);
    },
    async createOrg(o) {
      const r = await ctx.db
        .insertInto('organisations')
        .values({
          parentId: o.parentId === undefined ? rootOrgId : o.parentId,
          code: o.code,
          name: o.name ?? o.code,
          shortName: null,
          type: o.type ?? 'inspected_unit',
          supervisorLine: o.supervisorLine ?? null,
          sort: 0,
          active: 1,
          version: 1,
          createdAt: clock.now(),
          updatedAt: clock.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(r.id);
    },
    async login(username, password = PASSWORD) {
      const agent = new Agent(app);
      const res = await agent.post('/api/v1/auth/login', { username, password });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      return agent;
    },
    anonymous: () => new Agent(app),
  };
  return t;
}

/** A browser-like client over inject: keeps the session cookie and sends the CSRF token on writes. */
export class Agent {
  cookies: Record<string, string> = {};
  csrf: string | null = null;
  bearer: string | null = null;
  locale: string | null = null;

  constructor(private readonly app: FastifyInstance) {}

  async request(
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse & { json<T = any>(): T }> {
    const h: Record<string, string> = { ...headers };
    const cookie = Object.entries(this.cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    if (cookie) h.cookie = cookie;
    if (this.csrf && !['GET', 'HEAD'].includes(method)) h['x-csrf-token'] = this.csrf;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    if (this.locale) h['accept-language'] = this.locale;
    const res = await this.app.inject({
      method: method as 'GET',
      url,
      payload: body as object | undefined,
      headers: h,
    });
    for (const c of res.cookies as { name: string; value: string; expires?: Date }[]) {
      if (!c.value || (c.expires && c.expires.getTime() < Date.now() - 1000 * 86400 * 365 * 10))
        delete this.cookies[c.name];
      else this.cookies[c.name] = c.value;
    }
    if (res.headers['content-type']?.toString().includes('json')) {
      try {
        const j = res.json();
        if (j && typeof j === 'object' && 'csrfToken' in j && typeof j.csrfToken === 'string') this.csrf = j.csrfToken;
      } catch {
        /* not JSON after all */
      }
    }
    return res as never;
  }
  get(url: string, headers?: Record<string, string>) {
    return this.request('GET', url, undefined, headers);
  }
  post(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', url, body ?? {}, headers);
  }
  patch(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('PATCH', url, body ?? {}, headers);
  }
  put(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('PUT', url, body ?? {}, headers);
  }
  delete(url: string, headers?: Record<string, string>) {
    return this.request('DELETE', url, undefined, headers);
  }
}
