import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { command as backupCommand } from '../../src/cli/backup.js';
import { main } from '../../src/cli/index.js';
import type { CliIO } from '../../src/cli/lib/command.js';
import { listTar, TarWriter } from '../../src/cli/lib/tar.js';
import { command as restoreCommand } from '../../src/cli/restore.js';
import { loadConfig } from '../../src/config.js';
import { createDatabase, type Database, type Dialect } from '../../src/db/database.js';
import { AuditRepository } from '../../src/platform/audit/audit.repository.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createCryptoProvider } from '../../src/platform/crypto.js';
import { openRuntime } from '../../src/runtime.js';
import { Agent, DIALECTS, PASSWORD } from '../helpers.js';

const BASE_URL = process.env.TEST_DATABASE_URL ?? '';
const rand = () => crypto.randomBytes(5).toString('hex');

function captureIO(env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), env };
  return { io, out, err, text: () => [...out, ...err].join('\n') };
}

async function pgAdmin<T>(database: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(BASE_URL);
  url.pathname = `/${database}`;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

function withSearchPath(url: string, schema: string) {
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

/** Every row of every table, as sorted JSON lines, so that two databases can be compared exactly. */
async function allRows(database: Database): Promise<Record<string, string[]>> {
  const names =
    database.dialect === 'sqlite'
      ? (
          await sql<{
            name: string;
          }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(database.db)
        ).rows.map((r) => r.name)
      : (
          await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(database.db)
        ).rows.map((r) => r.name);
  const out: Record<string, string[]> = {};
  for (const n of names.sort()) {
    const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(n)}`.execute(database.db);
    out[n] = rows.rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

function fileDigests(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath, e.name);
    out[path.relative(dir, full).split(path.sep).join('/')] = crypto
      .createHash('sm3')
      .update(fs.readFileSync(full))
      .digest('hex');
  }
  return out;
}

/**
 * Fresh installations: a new data directory and, on PostgreSQL, a new database of its own, used
 * through its public schema as a production installation is (pg_dump/pg_restore keep schema names,
 * so a restore target must use the schema of the backup).
 */
class Installations {
  private databases: string[] = [];
  constructor(
    private readonly dialect: Dialect,
    private readonly root: string,
    private readonly key: string,
  ) {}
  async create(prefix = 'r'): Promise<NodeJS.ProcessEnv> {
    const name = `${prefix}_${rand()}`;
    const env: NodeJS.ProcessEnv = { RECTIFY_DATA_DIR: path.join(this.root, name), RECTIFY_MASTER_KEY: this.key };
    if (this.dialect === 'postgres') {
      await pgAdmin('postgres', (c) => c.query(`CREATE DATABASE ${name}`));
      this.databases.push(name);
      const url = new URL(BASE_URL);
      url.pathname = `/${name}`;
      env.DATABASE_URL = url.toString();
    }
    return env;
  }
  async dropAll() {
    for (const d of this.databases)
      await pgAdmin('postgres', (c) => c.query(`DROP DATABASE IF EXISTS ${d} WITH (FORCE)`));
  }
}

function openTarget(env: NodeJS.ProcessEnv): Database {
  const config = loadConfig(env);
  return createDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath, poolSize: 2 });
}

/** Whether the restore left the target untouched: no tables (or no database file) and no files. */
async function untouched(env: NodeJS.ProcessEnv): Promise<boolean> {
  const config = loadConfig(env);
  if (fs.existsSync(config.filesDir)) return false;
  if (!config.databaseUrl) return !fs.existsSync(config.sqlitePath);
  const database = openTarget(env);
  try {
    const r = await sql<{ n: number }>`SELECT count(*) AS n FROM information_schema.tables
      WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`.execute(database.db);
    return Number(r.rows[0]!.n) === 0;
  } finally {
    await database.close();
  }
}

/** Rewrites an archive entry by entry, letting `change` alter one entry's bytes. */
function rewriteArchive(from: string, to: string, change: (name: string, data: Buffer) => Buffer) {
  const fd = fs.openSync(from, 'r');
  const out = fs.openSync(to, 'w');
  try {
    const w = new TarWriter(out);
    for (const e of listTar(fd)) {
      const data = Buffer.alloc(e.size);
      fs.readSync(fd, data, 0, e.size, e.offset);
      w.addBuffer(e.name, change(e.name, data));
    }
    w.finish();
  } finally {
    fs.closeSync(fd);
    fs.closeSync(out);
  }
}

function flipByteOf(archive: string, copy: string, entryName: string, at: number) {
  fs.copyFileSync(archive, copy);
  const fd = fs.openSync(copy, 'r+');
  try {
    const entry = listTar(fd).find((e) => e.name === entryName)!;
    const b = Buffer.alloc(1);
    fs.readSync(fd, b, 0, 1, entry.offset + at);
    b[0] = b[0]! ^ 0xff;
    fs.writeSync(fd, b, 0, 1, entry.offset + at);
  } finally {
    fs.closeSync(fd);
  }
}

describe.each(DIALECTS)('backup and restore on %s', (dialect) => {
  let root: string;
  let sourceEnv: NodeJS.ProcessEnv;
  let targets: Installations;
  let archive: string;
  let sourceRows: Record<string, string[]>;
  let sourceFiles: Record<string, string>;
  let sourceHead: { seq: number; hash: string };
  const key = crypto.randomBytes(32).toString('hex');

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-backup-test-'));
    targets = new Installations(dialect, root, key);
    sourceEnv = { ...(await targets.create('s')), USER: 'operator' };

    // A source installation with data written through the API (so with an audit trail) and files.
    const { config, database } = await openRuntime(sourceEnv);
    const clock = new ManualClock();
    const app = await buildApp({
      config,
      database,
      clock,
      crypto: createCryptoProvider(config.masterKey, { pbkdf2Iterations: 1000 }),
      serveWeb: false,
    });
    const c = app.ctx;
    const now = clock.now();
    const org = await c.db
      .insertInto('organisations')
      .values({
        parentId: null,
        code: 'ROOT',
        name: '中共玉溪市委',
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
    await c.db
      .insertInto('users')
      .values({
        username: 'sys',
        displayName: '系统管理员',
        orgId: Number(org.id),
        role: 'sysadmin',
        email: null,
        phone: null,
        passwordHash: c.crypto.hashPassword(PASSWORD),
        passwordChangedAt: now,
        mustChangePassword: 0,
        totpSecret: null,
        totpEnabled: 0,
        disabled: 0,
        version: 1,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    const sys = new Agent(app);
    expect((await sys.post('/api/v1/auth/login', { username: 'sys', password: PASSWORD })).statusCode).toBe(200);
    for (let i = 0; i < 30; i++) {
      clock.advance(1000);
      const r = await sys.post('/api/v1/dictionaries', {
        kind: 'action_type',
        code: `extra_${i}`,
        labelZhCn: `监督方式 ${i} “引号” 'quote' \\ 反斜杠`,
        extra: null,
      });
      expect(r.statusCode).toBe(201);
    }
    expect((await sys.put('/api/v1/calendar/2028-01-03', { kind: 'holiday', note: '测试' })).statusCode).toBe(200);
    await app.close();
    await database.close();

    const files = config.filesDir;
    fs.mkdirSync(path.join(files, '2026/11/佐证材料'), { recursive: true });
    fs.writeFileSync(path.join(files, '2026/11/佐证材料/整改报告.pdf'), crypto.randomBytes(3 * 1024 * 1024 + 17));
    fs.writeFileSync(path.join(files, '2026/11/empty.txt'), '');
    fs.writeFileSync(path.join(files, 'readme.txt'), 'evidence\n');
    const deep = path.join(files, 'a'.repeat(80), 'b'.repeat(80));
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(deep, `${'c'.repeat(90)}.docx`), crypto.randomBytes(1000));

    archive = path.join(root, 'backup.tar');
    const cap = captureIO(sourceEnv);
    expect(await backupCommand.run([archive], cap.io), cap.text()).toBe(0);
    expect(cap.text()).toContain('Backup written');
    expect(cap.text()).toContain('NOT in the backup');

    const src = openTarget(sourceEnv);
    try {
      sourceRows = await allRows(src);
      sourceHead = (await new AuditRepository(src.dialect).latestHead(src.db))!;
      expect(sourceHead.seq).toBeGreaterThan(0);
    } finally {
      await src.close();
    }
    sourceFiles = fileDigests(files);
  });

  afterAll(async () => {
    await targets.dropAll();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('writes one tar with the database image, every file and a manifest of counts, digests and the audit head', () => {
    const fd = fs.openSync(archive, 'r');
    try {
      const entries = listTar(fd);
      const names = entries.map((e) => e.name);
      expect(names).toContain(dialect === 'sqlite' ? 'database/rectify.sqlite' : 'database/rectify.pgdump');
      expect(names).toContain('files/2026/11/佐证材料/整改报告.pdf');
      expect(names).toContain('files/2026/11/empty.txt');
      expect(names.at(-1)).toBe('manifest.json');
      const m = entries.find((e) => e.name === 'manifest.json')!;
      const buf = Buffer.alloc(m.size);
      fs.readSync(fd, buf, 0, m.size, m.offset);
      const manifest = JSON.parse(buf.toString('utf8'));
      expect(manifest).toMatchObject({ format: 'rectify-backup', version: 1, dialect });
      expect(manifest.tables.dictionaries).toBe(sourceRows.dictionaries!.length);
      expect(manifest.tables.audit_log).toBe(sourceRows.audit_log!.length);
      expect(manifest.auditHead).toEqual(sourceHead);
      expect(Object.fromEntries(manifest.files.map((f: any) => [f.path, f.sm3]))).toEqual(sourceFiles);
      expect(JSON.stringify(manifest)).not.toContain(key); // the master key is never in a backup
      expect(fs.statSync(archive).mode & 0o077).toBe(0);
    } finally {
      fs.closeSync(fd);
    }
    // the backup itself is in the audit trail
    expect(sourceRows.audit_log!.some((r) => r.includes('system.backup') && r.includes('cli:operator'))).toBe(true);
  });

  it('restores every row, the audit head and every file exactly into a fresh installation', async () => {
    const env = await targets.create();
    const cap = captureIO(env);
    expect(await restoreCommand.run([archive], cap.io), cap.text()).toBe(0);
    expect(cap.text()).toContain('counts and digests match');
    const t = openTarget(env);
    try {
      const rows = await allRows(t);
      expect(Object.keys(rows)).toEqual(Object.keys(sourceRows));
      for (const table of Object.keys(sourceRows)) expect(rows[table], table).toEqual(sourceRows[table]);
      expect(await new AuditRepository(t.dialect).latestHead(t.db)).toEqual(sourceHead);
    } finally {
      await t.close();
    }
    expect(fileDigests(loadConfig(env).filesDir)).toEqual(sourceFiles);
    const verify = captureIO(env);
    expect(await main(['audit-verify'], verify.io), verify.text()).toBe(0);
    expect(verify.out.join('\n')).toBe(`audit chain OK: ${sourceHead.seq} rows`);

    // and the restored installation works: the administrator signs in and new ids follow the old ones
    const { config, database } = await openRuntime(env);
    const app = await buildApp({ config, database, clock: new ManualClock(), serveWeb: false });
    try {
      const sys = new Agent(app);
      expect((await sys.post('/api/v1/auth/login', { username: 'sys', password: PASSWORD })).statusCode).toBe(200);
      const list = (await sys.get('/api/v1/dictionaries?kind=action_type')).json().items as any[];
      expect(list.filter((i) => i.code.startsWith('extra_'))).toHaveLength(30);
      const created = await sys.post('/api/v1/dictionaries', {
        kind: 'action_type',
        code: 'after_restore',
        labelZhCn: '新',
      });
      expect(created.statusCode).toBe(201);
      expect(created.json().id).toBeGreaterThan(Math.max(...list.map((i) => i.id)));
      expect((await app.ctx.audit.verify()).ok).toBe(true);
    } finally {
      await app.close();
      await database.close();
    }
  });

  it('refuses to overwrite a database or files that hold data unless --force, and then replaces them', async () => {
    const env = await targets.create();
    expect(await restoreCommand.run([archive], captureIO(env).io)).toBe(0);
    // the installation moves on after the restore
    const { database } = await openRuntime(env);
    await database.db.deleteFrom('calendarDays').where('date', '=', '2028-01-03').execute();
    if (dialect === 'postgres') await sql`CREATE TABLE stray_table (x integer)`.execute(database.db);
    await database.close();
    const filesDir = loadConfig(env).filesDir;
    fs.writeFileSync(path.join(filesDir, 'stray.txt'), 'not in the backup');

    const refused = captureIO(env);
    expect(await restoreCommand.run([archive], refused.io)).toBe(1);
    expect(refused.err.join('\n')).toMatch(/not empty.*--force/);
    expect(fs.existsSync(path.join(filesDir, 'stray.txt'))).toBe(true);

    const forced = captureIO(env);
    expect(await restoreCommand.run([archive, '--force'], forced.io), forced.text()).toBe(0);
    const t = openTarget(env);
    try {
      expect(await allRows(t)).toEqual(sourceRows); // also: the stray table is gone
    } finally {
      await t.close();
    }
    expect(fileDigests(filesDir)).toEqual(sourceFiles);
  });

  it('refuses a backup whose file, database image or manifest was altered, and leaves the target alone', async () => {
    const cases: [string, () => void, RegExp][] = [
      [
        'file',
        () => flipByteOf(archive, path.join(root, 'bad-file.tar'), 'files/2026/11/佐证材料/整改报告.pdf', 1_000_000),
        /整改报告\.pdf does not match its SM3 digest/,
      ],
      [
        'database',
        () =>
          flipByteOf(
            archive,
            path.join(root, 'bad-database.tar'),
            dialect === 'sqlite' ? 'database/rectify.sqlite' : 'database/rectify.pgdump',
            200,
          ),
        /database\/rectify\.(sqlite|pgdump) does not match its SM3 digest/,
      ],
      [
        'manifest',
        () =>
          rewriteArchive(archive, path.join(root, 'bad-manifest.tar'), (name, data) => {
            if (name !== 'manifest.json') return data;
            const m = JSON.parse(data.toString('utf8'));
            m.tables.users += 1;
            return Buffer.from(JSON.stringify(m));
          }),
        /manifest was altered/,
      ],
      [
        'extra-entry',
        () =>
          rewriteArchive(archive, path.join(root, 'bad-extra-entry.tar'), (name, data) =>
            name === 'files/readme.txt' ? Buffer.from('evidence, edited\n') : data,
          ),
        /readme\.txt has 17 bytes, the manifest says 9/,
      ],
    ];
    for (const [label, make, message] of cases) {
      make();
      const env = await targets.create();
      const cap = captureIO(env);
      expect(await restoreCommand.run([path.join(root, `bad-${label}.tar`)], cap.io), label).toBe(1);
      expect(cap.err.join('\n'), label).toMatch(message);
      expect(await untouched(env), label).toBe(true);
    }

    // a truncated archive
    const truncated = path.join(root, 'truncated.tar');
    fs.writeFileSync(truncated, fs.readFileSync(archive).subarray(0, 1_500_000));
    const env = await targets.create();
    const cap = captureIO(env);
    expect(await restoreCommand.run([truncated], cap.io)).toBe(1);
    expect(cap.err.join('\n')).toMatch(/truncated/);
    expect(await untouched(env)).toBe(true);
  });

  it('refuses a restore under another master key, another dialect or without any key', async () => {
    const env = await targets.create();
    const other = captureIO({ ...env, RECTIFY_MASTER_KEY: crypto.randomBytes(32).toString('hex') });
    expect(await restoreCommand.run([archive], other.io)).toBe(1);
    expect(other.err.join('\n')).toContain('different master key');

    const none = captureIO({ ...env, RECTIFY_MASTER_KEY: '' });
    expect(await restoreCommand.run([archive], none.io)).toBe(1);
    expect(none.err.join('\n')).toContain('no master key');
    expect(fs.existsSync(path.join(env.RECTIFY_DATA_DIR!, 'master.key'))).toBe(false);

    const otherDialect: NodeJS.ProcessEnv =
      dialect === 'sqlite'
        ? { ...env, DATABASE_URL: withSearchPath(BASE_URL || 'postgres://nobody@127.0.0.1:1/none', 'x') }
        : { RECTIFY_DATA_DIR: path.join(root, 'sqlite-target'), RECTIFY_MASTER_KEY: key };
    const wrong = captureIO(otherDialect);
    expect(await restoreCommand.run([archive], wrong.io)).toBe(1);
    expect(wrong.err.join('\n')).toMatch(/backup is of a (sqlite|postgres) database/);
    if (dialect === 'postgres') {
      const elsewhere = captureIO({ ...env, DATABASE_URL: withSearchPath(env.DATABASE_URL!, 'elsewhere') });
      expect(await restoreCommand.run([archive], elsewhere.io)).toBe(1);
      expect(elsewhere.err.join('\n')).toContain(
        'the backup holds schema "public" but the target connection uses "elsewhere"',
      );
    }
    expect(await untouched(env)).toBe(true);
  });

  it('does not overwrite an existing backup file without --force', async () => {
    const cap = captureIO(sourceEnv);
    expect(await backupCommand.run([archive], cap.io)).toBe(1);
    expect(cap.err.join('\n')).toContain('--force');
    const copy = path.join(root, 'again.tar');
    fs.writeFileSync(copy, 'old');
    expect(await backupCommand.run([copy, '--force'], captureIO(sourceEnv).io)).toBe(0);
    expect(fs.statSync(copy).size).toBeGreaterThan(1_000_000);
    expect(fs.readdirSync(root).filter((f) => f.includes('.partial-') || f.startsWith('.rectify-backup-'))).toEqual([]);
    const usage = captureIO(sourceEnv);
    expect(await main(['backup'], usage.io)).toBe(2);
    expect(await main(['restore', 'a', 'b'], usage.io)).toBe(2);
  });
});
