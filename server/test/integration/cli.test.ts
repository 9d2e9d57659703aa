import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { command as auditVerify } from '../../src/cli/audit-verify.js';
import { main } from '../../src/cli/index.js';
import type { CliIO } from '../../src/cli/lib/command.js';
import { loadConfig } from '../../src/config.js';
import { createDatabase, type Database, type Dialect } from '../../src/db/database.js';
import { createCryptoProvider } from '../../src/platform/crypto.js';
import { DIALECTS } from '../helpers.js';

const BASE_URL = process.env.TEST_DATABASE_URL ?? '';

function captureIO(env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), env };
  return { io, out, err, all: () => [...out, ...err].join('\n') };
}

async function run(env: NodeJS.ProcessEnv, ...argv: string[]) {
  const c = captureIO(env);
  const code = await main(argv, c.io);
  return { code, ...c };
}

async function pgAdmin(q: string) {
  const url = new URL(BASE_URL);
  url.pathname = '/postgres';
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

/** One empty installation per test: a data directory and, on PostgreSQL, a database of its own. */
function installations(dialect: Dialect) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-cli-test-'));
  const databases: string[] = [];
  const open: Database[] = [];
  return {
    async create(): Promise<NodeJS.ProcessEnv> {
      const name = `c_${crypto.randomBytes(5).toString('hex')}`;
      const env: NodeJS.ProcessEnv = {
        RECTIFY_DATA_DIR: path.join(root, name),
        RECTIFY_MASTER_KEY: crypto.randomBytes(32).toString('hex'),
        USER: 'tester',
      };
      if (dialect === 'postgres') {
        await pgAdmin(`CREATE DATABASE ${name}`);
        databases.push(name);
        const url = new URL(BASE_URL);
        url.pathname = `/${name}`;
        env.DATABASE_URL = url.toString();
      }
      return env;
    },
    db(env: NodeJS.ProcessEnv): Database {
      const config = loadConfig(env);
      const d = createDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath, poolSize: 1 });
      open.push(d);
      return d;
    },
    async closeAll() {
      while (open.length) await open.pop()!.close();
    },
    async dropAll() {
      for (const d of databases) await pgAdmin(`DROP DATABASE IF EXISTS ${d} WITH (FORCE)`);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Lets a test alter audit rows, which the database itself refuses (append-only triggers). */
async function allowAuditTampering(database: Database) {
  if (database.dialect === 'postgres') {
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(database.db);
  } else {
    await sql`DROP TRIGGER audit_log_no_update`.execute(database.db);
    await sql`DROP TRIGGER audit_log_no_delete`.execute(database.db);
  }
}

describe('command line dispatcher', () => {
  it('lists the commands, and answers 2 to a missing or unknown command and to bad arguments', async () => {
    const env = {};
    const help = await run(env, '--help');
    expect(help.code).toBe(0);
    for (const name of ['migrate', 'create-admin', 'audit-verify', 'backup', 'restore'])
      expect(help.out.join('\n')).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect((await run(env)).code).toBe(2);
    const unknown = await run(env, 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err.join('\n')).toContain('Unknown command: frobnicate');
    expect((await run(env, '../index')).code).toBe(2);
    const usage = await run(env, 'audit-verify', 'extra');
    expect(usage.code).toBe(2);
    expect(usage.err.join('\n')).toContain('unexpected argument extra');
    expect((await run(env, 'create-admin', '--bogus')).code).toBe(2);
    expect((await run(env, 'create-admin', '--role', 'office')).code).toBe(2);
    const cmdHelp = await run(env, 'restore', '--help');
    expect(cmdHelp.code).toBe(0);
    expect(cmdHelp.out.join('\n')).toContain('npm run cli -- restore <file> [--force]');
  });
});

describe.each(DIALECTS)('command line on %s', (dialect) => {
  const inst = installations(dialect);
  let env: NodeJS.ProcessEnv;
  afterEach(() => inst.closeAll());
  afterAll(() => inst.dropAll());

  it('migrate applies the migrations once and says which', async () => {
    env = await inst.create();
    const first = await run(env, 'migrate');
    expect(first.code, first.all()).toBe(0);
    expect(first.out.join('\n')).toMatch(/Applied \d+ migration\(s\)/);
    expect(first.out).toContain('  2026-11-27T0001-foundation');
    expect(first.out).toContain('  2026-11-27T0002-default-dictionaries');
    const again = await run(env, 'migrate');
    expect(again.code).toBe(0);
    expect(again.out.join('\n')).toContain('is up to date');
  });

  it('create-admin makes the first administrator and the root organisation, with a one-time password', async () => {
    env = await inst.create();
    const r = await run(env, 'create-admin');
    expect(r.code, r.all()).toBe(0);
    expect(r.out[0]).toBe('Administrator created: admin (secadmin, 安全管理员)');
    const password = /one-time password: (\S+)/.exec(r.out.join('\n'))![1]!;
    const d = inst.db(env);
    const user = await d.db.selectFrom('users').selectAll().where('username', '=', 'admin').executeTakeFirstOrThrow();
    expect(user).toMatchObject({ role: 'secadmin', mustChangePassword: 1, disabled: 0 });
    const org = await d.db
      .selectFrom('organisations')
      .selectAll()
      .where('id', '=', user.orgId)
      .executeTakeFirstOrThrow();
    expect(org).toMatchObject({ code: 'ROOT', parentId: null });
    const crypto = createCryptoProvider(Buffer.from(env.RECTIFY_MASTER_KEY!, 'hex'));
    expect(crypto.verifyPassword(password, user.passwordHash)).toBe(true);
    const log = await d.db.selectFrom('auditLog').select(['action', 'actorName', 'after']).orderBy('seq').execute();
    expect(log.map((l) => `${l.action} ${l.actorName}`)).toEqual(['org.create cli:tester', 'user.create cli:tester']);
    expect(log[1]!.after).not.toContain(password);
  });

  it('create-admin adds further administrators and refuses taken names and weak passwords', async () => {
    env = await inst.create();
    expect((await run(env, 'create-admin')).code).toBe(0);
    const second = await run(env, 'create-admin', '--role', 'sysadmin');
    expect(second.code).toBe(0);
    expect(second.out[0]).toBe('Administrator created: sysadmin (sysadmin, 系统管理员)');
    const third = await run(env, 'create-admin', '--role', 'secadmin');
    expect(third.out[0]).toBe('Administrator created: secadmin (secadmin, 安全管理员)');
    const fourth = await run(env, 'create-admin', '--role', 'secadmin');
    expect(fourth.out[0]).toBe('Administrator created: secadmin-2 (secadmin, 安全管理员)');

    const given = await run(
      env,
      'create-admin',
      '--role',
      'auditor',
      '--username',
      'Audit.Two',
      '--password',
      'Str0ng-Audit-Pass!',
    );
    expect(given.code, given.all()).toBe(0);
    expect(given.out.join('\n')).not.toContain('one-time password');
    const d = inst.db(env);
    const aud = await d.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', 'audit.two')
      .executeTakeFirstOrThrow();
    expect(aud).toMatchObject({ role: 'auditor', mustChangePassword: 0 });
    expect(
      Number(
        (await d.db.selectFrom('organisations').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n,
      ),
    ).toBe(1);

    const taken = await run(env, 'create-admin', '--username', 'AUDIT.two');
    expect(taken.code).toBe(1);
    expect(taken.err.join('\n')).toContain('taken');
    for (const weak of ['short1!', 'password', 'Password1!', 'Newadmin-2026!x']) {
      const r = await run(env, 'create-admin', '--username', 'newadmin', '--password', weak);
      expect(r.code, weak).toBe(1);
      expect(r.err.join('\n')).toContain('does not meet the policy');
    }
    expect((await run(env, 'create-admin', '--username', 'x')).code).toBe(2);
    expect((await run(env, 'audit-verify')).out).toEqual(['audit chain OK: 6 rows']);
  });

  it('audit-verify exits 0 on an intact chain and 1 with the first bad row when a row is altered', async () => {
    env = await inst.create();
    for (const role of ['secadmin', 'sysadmin', 'auditor'])
      expect((await run(env, 'create-admin', '--role', role)).code).toBe(0);
    const ok = captureIO(env);
    expect(await auditVerify.run([], ok.io)).toBe(0);
    expect(ok.out).toEqual(['audit chain OK: 4 rows']);

    const d = inst.db(env);
    await allowAuditTampering(d);
    await d.db.updateTable('auditLog').set({ after: '{"username":"mallory"}' }).where('seq', '=', 3).execute();
    const bad = captureIO(env);
    expect(await auditVerify.run([], bad.io)).toBe(1);
    expect(bad.out).toEqual([]);
    // (PostgreSQL names the chain too: its log is in several)
    expect(bad.err[0]).toMatch(
      /^audit chain BROKEN at position 3 \(seq 3(, chain \d+)?\): row content does not match its hash$/,
    );
    expect(bad.err[1]).toBe('2 row(s) before it verified.');
    // the same through the dispatcher
    expect((await run(env, 'audit-verify')).code).toBe(1);
  });

  it('audit-verify exits 1 when the end of the log is cut off or the master key is not the one that wrote it', async () => {
    env = await inst.create();
    for (const role of ['secadmin', 'sysadmin']) expect((await run(env, 'create-admin', '--role', role)).code).toBe(0);
    expect((await run(env, 'audit-verify')).code).toBe(0);

    const otherKey = await run({ ...env, RECTIFY_MASTER_KEY: crypto.randomBytes(32).toString('hex') }, 'audit-verify');
    expect(otherKey.code).toBe(1);
    expect(otherKey.err[0]).toMatch(
      /^audit chain BROKEN at position 1 \(seq 1(, chain \d+)?\): row content does not match its hash$/,
    );

    const d = inst.db(env);
    await allowAuditTampering(d);
    await d.db.deleteFrom('auditLog').where('seq', '=', 3).execute();
    const cut = await run(env, 'audit-verify');
    expect(cut.code).toBe(1);
    // On PostgreSQL the rows are on chains: the one that held seq 3 ends early.
    expect(cut.err[0]).toMatch(
      /^audit chain BROKEN at position 3 \(seq 3(, chain \d+)?\): log truncated: rows after seq \d+ up to seq 3 missing$/,
    );
  });
});
