import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../../config.js';
import { createDatabase, type Database, type Dialect } from '../../db/database.js';
import { AuditRepository } from '../../platform/audit/audit.repository.js';
import { type AuditContext, AuditService } from '../../platform/audit/audit.service.js';
import { systemClock } from '../../platform/clock.js';
import { createCryptoProvider } from '../../platform/crypto.js';
import { listTar, readEntry, readEntryBuffer, type TarEntry, TarWriter } from './tar.js';

/**
 * Backup and restore (SPEC M17, §4 "backup and restore round-trip exactly").
 *
 * One backup is one POSIX tar file:
 *   database/rectify.sqlite   SQLite: a consistent image made with SQLite's online backup API
 *   database/rectify.pgdump   PostgreSQL: `pg_dump -Fc` of the schema in use, taken in the same
 *                             snapshot as the row counts of the manifest
 *   files/<path>              every file under RECTIFY_FILES_DIR (evidence, attachments …)
 *   manifest.json             written last: dialect, creation time, migrations, row count per table,
 *                             the audit head (seq + hash), size and SM3 of the database image and of
 *                             every file, and an HMAC-SM3 of all of that under a key derived from the
 *                             master key (so a changed manifest is refused, like a changed file)
 *
 * The master key (data/master.key or RECTIFY_MASTER_KEY) is NOT in the backup. It keys the audit
 * chain, the sealed secrets (TOTP, SMTP password, clues) and the manifest's MAC: restoring needs the
 * same key, so it must be kept, separately and safely, with the backups.
 */

export const MASTER_KEY_WARNING = [
  'The master key (data/master.key or RECTIFY_MASTER_KEY) is NOT in the backup. Keep it separately',
  'and safely: without the same key a restore is refused, the audit chain cannot be verified and',
  'sealed secrets (TOTP, SMTP/webhook secrets, clues) cannot be opened.',
].join('\n');

const MANIFEST = 'manifest.json';
const FORMAT = 'rectify-backup';
const FORMAT_VERSION = 1;
/**
 * Tables a freshly migrated, never used database already has rows in: migration bookkeeping, the
 * audit head, and the reference data that migrations seed. A database "holds data" when any other
 * table has rows; any use of the system (even changing a dictionary) leaves audit_log rows.
 */
const PRESEEDED = new Set(['kysely_migration', 'kysely_migration_lock', 'audit_head', 'dictionaries', 'calendar_days']);

export interface BackupManifest {
  format: typeof FORMAT;
  version: typeof FORMAT_VERSION;
  createdAt: string;
  dialect: Dialect;
  /** PostgreSQL: the schema that was dumped (a restore target must use the same one). */
  schema: string | null;
  database: { entry: string; size: number; sm3: string; tool: string };
  migrations: string[];
  tables: Record<string, number>;
  /** The head of the audit chain that holds the latest row (the restore verifies every chain). */
  auditHead: { seq: number; hash: string } | null;
  files: { path: string; size: number; sm3: string }[];
  /** Identifies the master key (a one-way derivation), to tell "other key" from "altered". */
  keyId: string;
  mac: string;
}

export class BackupError extends Error {}

type Log = (line: string) => void;

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function manifestKeys(masterKey: Buffer) {
  const c = createCryptoProvider(masterKey);
  return {
    keyId: c.hmacSm3(c.subkey('backup-key-id'), 'rectify-backup').slice(0, 16),
    mac: (m: Omit<BackupManifest, 'mac'>) => c.hmacSm3(c.subkey('backup-manifest'), canonicalJson(m)),
  };
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

function sm3File(file: string): { size: number; sm3: string } {
  const fd = fs.openSync(file, 'r');
  try {
    const hash = crypto.createHash('sm3');
    const buf = Buffer.allocUnsafe(1024 * 1024);
    let pos = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      pos += n;
    }
    return { size: pos, sm3: hash.digest('hex') };
  } finally {
    fs.closeSync(fd);
  }
}

/** Regular files under dir, as sorted '/'-separated relative paths. Links and others are reported, not followed. */
function walkFiles(dir: string, exclude: Set<string>, log: Log): string[] {
  const out: string[] = [];
  if (!fs.existsSync(dir)) return out;
  const visit = (rel: string) => {
    const abs = rel ? path.join(dir, rel) : dir;
    for (const d of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      const full = path.join(dir, r);
      if (exclude.has(path.resolve(full))) continue;
      if (d.isDirectory()) visit(r);
      else if (d.isFile()) out.push(r);
      else log(`  skipped ${full}: not a regular file`);
    }
  };
  visit('');
  return out;
}

function safeRelativePath(p: string): boolean {
  return (
    typeof p === 'string' &&
    p.length > 0 &&
    p.length <= 4096 &&
    !p.startsWith('/') &&
    !p.includes('\\') &&
    !p.includes('\0') &&
    p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..')
  );
}

/** A connection URL for pg_dump/pg_restore without its password, which goes in PGPASSWORD instead of `ps`. */
function pgToolConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env = { ...process.env };
  if (u.password) {
    env.PGPASSWORD = decodeURIComponent(u.password);
    u.password = '';
  }
  return { dbname: u.toString(), env };
}

function runTool(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err = (err + d).slice(-4000);
    });
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        new BackupError(
          e.code === 'ENOENT'
            ? `${cmd} not found: install the PostgreSQL client tools (the server's major version)`
            : `${cmd}: ${e.message}`,
        ),
      ),
    );
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new BackupError(`${cmd} failed (exit ${code}): ${err.trim()}`)),
    );
  });
}

async function pgToolMajor(tool: string): Promise<{ major: number; version: string }> {
  const v = (await runTool(tool, ['--version'])).trim();
  const m = /\(PostgreSQL\)\s+(\d+)/.exec(v) ?? /(\d+)\.\d+/.exec(v);
  return { major: Number(m?.[1] ?? 0), version: v };
}

async function checkPgToolVersion(client: pg.Client, tool: string, log: Log): Promise<string> {
  const { major, version } = await pgToolMajor(tool);
  const server = Number((await client.query('SHOW server_version_num')).rows[0].server_version_num);
  const serverMajor = Math.floor(server / 10000);
  if (major < serverMajor)
    throw new BackupError(`${version} is older than the server (PostgreSQL ${serverMajor}); install a newer client`);
  if (major !== serverMajor) log(`  note: ${version} differs from the server's major version ${serverMajor}`);
  return version;
}

// ————————————————————————————————————————— backup —————————————————————————————————————————

interface Snapshot {
  schema: string | null;
  tables: Record<string, number>;
  auditHead: { seq: number; hash: string } | null;
  migrations: string[];
  tool: string;
}

async function snapshotSqlite(database: Database, image: string): Promise<Snapshot> {
  // The online backup API copies pages in steps; writers are only held up for a moment each step.
  await database.sqlite!.backup(image);
  const copy = new SQLite(image);
  try {
    copy.pragma('journal_mode = DELETE'); // a self-contained single file
    const names = (
      copy.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
        name: string;
      }[]
    )
      .map((r) => r.name)
      .sort();
    const tables: Record<string, number> = {};
    for (const n of names)
      tables[n] = Number((copy.prepare(`SELECT count(*) AS n FROM ${ident(n)}`).get() as { n: number }).n);
    const head = names.includes('audit_head')
      ? (copy.prepare('SELECT seq, hash FROM audit_head ORDER BY seq DESC, id LIMIT 1').get() as
          | { seq: number; hash: string }
          | undefined)
      : undefined;
    const migrations = names.includes('kysely_migration')
      ? (copy.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[]).map((r) => r.name)
      : [];
    return {
      schema: null,
      tables,
      auditHead: head ? { seq: Number(head.seq), hash: head.hash } : null,
      migrations,
      tool: `SQLite ${copy.prepare('SELECT sqlite_version() AS v').pluck().get()} online backup`,
    };
  } finally {
    copy.close();
  }
}

async function snapshotPostgres(url: string, image: string, log: Log): Promise<Snapshot> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tool = await checkPgToolVersion(client, 'pg_dump', log);
    // Counts, head and dump all read the same snapshot: the manifest describes exactly the image.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = (await client.query('SELECT pg_export_snapshot() AS s')).rows[0].s as string;
    const schema = (await client.query('SELECT current_schema() AS s')).rows[0].s as string | null;
    if (!schema) throw new BackupError('the connection has no current schema (check search_path)');
    const names = (
      await client.query(
        `SELECT table_name AS t FROM information_schema.tables
         WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
        [schema],
      )
    ).rows.map((r) => r.t as string);
    const tables: Record<string, number> = {};
    for (const n of names)
      tables[n] = Number((await client.query(`SELECT count(*) AS n FROM ${ident(schema)}.${ident(n)}`)).rows[0].n);
    const head = names.includes('audit_head')
      ? (await client.query(`SELECT seq, hash FROM ${ident(schema)}.audit_head ORDER BY seq DESC, id LIMIT 1`)).rows[0]
      : undefined;
    const migrations = names.includes('kysely_migration')
      ? (await client.query(`SELECT name FROM ${ident(schema)}.kysely_migration ORDER BY name`)).rows.map(
          (r) => r.name as string,
        )
      : [];
    const conn = pgToolConnection(url);
    await runTool(
      'pg_dump',
      [
        '--format=custom',
        `--snapshot=${snapshot}`,
        `--schema=${ident(schema)}`,
        `--file=${image}`,
        `--dbname=${conn.dbname}`,
      ],
      conn.env,
    );
    await client.query('COMMIT');
    return {
      schema,
      tables,
      auditHead: head ? { seq: Number(head.seq), hash: head.hash } : null,
      migrations,
      tool,
    };
  } finally {
    await client.end();
  }
}

/** Files never put in a backup even when they lie under the files directory. */
function excludedPaths(config: Config, extra: string[] = []): Set<string> {
  const s = new Set<string>([path.resolve(config.dataDir, 'master.key'), ...extra.map((p) => path.resolve(p))]);
  if (!config.databaseUrl)
    for (const suffix of ['', '-wal', '-shm', '-journal']) s.add(`${config.sqlitePath}${suffix}`);
  return s;
}

export async function createBackup(opts: {
  config: Config;
  database: Database;
  file: string;
  force?: boolean;
  actor: AuditContext;
  log?: Log;
}): Promise<BackupManifest> {
  const { config, database } = opts;
  const log = opts.log ?? (() => {});
  const out = path.resolve(opts.file);
  const filesDir = path.resolve(config.filesDir);
  if (out === filesDir || out.startsWith(`${filesDir}${path.sep}`))
    throw new BackupError('the backup file must not be inside the files directory it backs up');
  if (fs.existsSync(out) && !opts.force) throw new BackupError(`${out} exists (use --force to replace it)`);
  if (database.dialect === 'postgres' && !config.databaseUrl) throw new BackupError('DATABASE_URL is not set');
  fs.mkdirSync(path.dirname(out), { recursive: true });

  // The backup is an export of everything: it goes into the audit trail first (and so into the backup).
  const cryptoProvider = createCryptoProvider(config.masterKey);
  const audit = new AuditService(database.db, database.dialect, cryptoProvider, systemClock);
  await audit.ensureHeads();
  await audit.recordAlone(opts.actor, {
    action: 'system.backup',
    entity: 'system',
    after: { file: path.basename(out), dialect: database.dialect },
  });

  const stage = fs.mkdtempSync(path.join(path.dirname(out), '.rectify-backup-'));
  const partial = `${out}.partial-${crypto.randomBytes(4).toString('hex')}`;
  let fd: number | null = null;
  try {
    const image = path.join(stage, 'database');
    log(`Snapshotting the ${database.dialect} database…`);
    const snap =
      database.dialect === 'sqlite'
        ? await snapshotSqlite(database, image)
        : await snapshotPostgres(config.databaseUrl!, image, log);

    fd = fs.openSync(partial, 'wx', 0o600);
    const tar = new TarWriter(fd);
    const dbEntry = tar.addFile(
      database.dialect === 'sqlite' ? 'database/rectify.sqlite' : 'database/rectify.pgdump',
      image,
    );
    fs.rmSync(image, { force: true });

    const files: BackupManifest['files'] = [];
    const names = walkFiles(filesDir, excludedPaths(config, [out, partial, stage]), log);
    log(`Copying ${names.length} file(s) from ${filesDir}…`);
    for (const rel of names) {
      const w = tar.addFile(`files/${rel}`, path.join(filesDir, rel));
      files.push({ path: rel, size: w.size, sm3: w.sm3 });
    }

    const keys = manifestKeys(config.masterKey);
    const body: Omit<BackupManifest, 'mac'> = {
      format: FORMAT,
      version: FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      dialect: database.dialect,
      schema: snap.schema,
      database: { entry: dbEntry.name, size: dbEntry.size, sm3: dbEntry.sm3, tool: snap.tool },
      migrations: snap.migrations,
      tables: snap.tables,
      auditHead: snap.auditHead,
      files,
      keyId: keys.keyId,
    };
    const manifest: BackupManifest = { ...body, mac: keys.mac(body) };
    tar.addBuffer(MANIFEST, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'));
    tar.finish();
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(partial, out);
    return manifest;
  } catch (e) {
    if (fd !== null) fs.closeSync(fd);
    fs.rmSync(partial, { force: true });
    throw e;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

// ————————————————————————————————————————— restore —————————————————————————————————————————

export interface RestoreReport {
  manifest: BackupManifest;
  /** Everything that did not match after the restore; empty when the restore is exact. */
  problems: string[];
  auditVerified: boolean;
}

function readManifest(fd: number, entries: TarEntry[], masterKey: Buffer): BackupManifest {
  const found = entries.filter((e) => e.name === MANIFEST);
  if (found.length !== 1) throw new BackupError('not a Rectify backup: manifest.json missing or repeated');
  let m: BackupManifest;
  try {
    m = JSON.parse(readEntryBuffer(fd, found[0]!, 1024 * 1024 * 1024).toString('utf8'));
  } catch {
    throw new BackupError('manifest.json is not valid JSON');
  }
  if (!m || m.format !== FORMAT) throw new BackupError('not a Rectify backup (manifest format)');
  if (m.version !== FORMAT_VERSION) throw new BackupError(`backup format version ${m.version} is not supported`);
  const keys = manifestKeys(masterKey);
  if (m.keyId !== keys.keyId)
    throw new BackupError(
      'the backup was made under a different master key (or its manifest was altered). Restore with the ' +
        "original key: put it in RECTIFY_MASTER_KEY or the data directory's master.key",
    );
  const { mac, ...body } = m;
  if (typeof mac !== 'string' || mac !== keys.mac(body))
    throw new BackupError('the manifest was altered: its MAC does not match');
  if (
    !['sqlite', 'postgres'].includes(m.dialect) ||
    !m.database ||
    typeof m.database.entry !== 'string' ||
    !Array.isArray(m.files) ||
    !m.tables ||
    typeof m.tables !== 'object'
  )
    throw new BackupError('manifest.json is incomplete');
  return m;
}

/** Every entry present exactly once, nothing else, sizes as listed, and no unsafe path. */
function checkEntries(m: BackupManifest, entries: TarEntry[]): Map<string, TarEntry> {
  const byName = new Map<string, TarEntry>();
  for (const e of entries) {
    if (byName.has(e.name)) throw new BackupError(`${e.name} appears twice in the archive`);
    byName.set(e.name, e);
  }
  const expected = new Map<string, number>([[m.database.entry, m.database.size]]);
  for (const f of m.files) {
    if (!safeRelativePath(f.path)) throw new BackupError(`unsafe file path in the manifest: ${f.path}`);
    expected.set(`files/${f.path}`, f.size);
  }
  for (const [name, size] of expected) {
    const e = byName.get(name);
    if (!e) throw new BackupError(`${name} is listed in the manifest but missing from the archive`);
    if (e.size !== size) throw new BackupError(`${name} has ${e.size} bytes, the manifest says ${size}`);
  }
  for (const name of byName.keys())
    if (name !== MANIFEST && !expected.has(name))
      throw new BackupError(`${name} is in the archive but not in the manifest`);
  return byName;
}

/** Copies an entry out while hashing it; refuses it when the SM3 differs from the manifest. */
function extractVerified(fd: number, entry: TarEntry, to: string, sm3: string) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  const out = fs.openSync(to, 'wx', 0o600);
  const hash = crypto.createHash('sm3');
  try {
    readEntry(fd, entry, (chunk) => {
      hash.update(chunk);
      let off = 0;
      while (off < chunk.length) off += fs.writeSync(out, chunk, off, chunk.length - off);
    });
    fs.fsyncSync(out);
  } finally {
    fs.closeSync(out);
  }
  if (hash.digest('hex') !== sm3) throw new BackupError(`${entry.name} does not match its SM3 digest in the manifest`);
}

async function sqliteRowCounts(file: string): Promise<Record<string, number>> {
  if (!fs.existsSync(file)) return {};
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const names = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    const out: Record<string, number> = {};
    for (const n of names)
      out[n] = Number((db.prepare(`SELECT count(*) AS n FROM ${ident(n)}`).get() as { n: number }).n);
    return out;
  } finally {
    db.close();
  }
}

async function pgTarget(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const row = (
    await client.query(`SELECT current_schema() AS cur, current_setting('search_path') AS sp, current_user AS u`)
  ).rows[0];
  let schema: string | null = row.cur;
  if (!schema) {
    for (const raw of String(row.sp).split(',')) {
      const s = raw.trim().replace(/^"(.*)"$/, '$1');
      if (s === '$user') continue;
      schema = s;
      break;
    }
  }
  const tables = async () => {
    const names = (
      await client.query(
        `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`,
        [schema],
      )
    ).rows.map((r) => r.t as string);
    const out: Record<string, number> = {};
    for (const n of names)
      out[n] = Number((await client.query(`SELECT count(*) AS n FROM ${ident(schema!)}.${ident(n)}`)).rows[0].n);
    return out;
  };
  return { client, schema, tables };
}

function occupied(counts: Record<string, number>): string[] {
  return Object.entries(counts)
    .filter(([t, n]) => !PRESEEDED.has(t) && n > 0)
    .map(([t, n]) => `${t}: ${n}`);
}

function moveDir(from: string, to: string) {
  try {
    fs.renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    fs.cpSync(from, to, { recursive: true });
    fs.rmSync(from, { recursive: true, force: true });
  }
}

/**
 * Restores a backup into the configured database and files directory. Refuses, before touching
 * anything: a manifest that does not verify under this installation's master key, an archive whose
 * entries or digests differ from the manifest, another dialect, and a target that holds data (unless
 * `force`). Afterwards re-reads the target and compares row counts, the audit head and every file's
 * digest with the manifest, and verifies the audit chain. Stop the server before restoring.
 */
export async function restoreBackup(opts: {
  config: Config;
  file: string;
  force?: boolean;
  log?: Log;
}): Promise<RestoreReport> {
  const { config } = opts;
  const log = opts.log ?? (() => {});
  const file = path.resolve(opts.file);
  if (!fs.existsSync(file)) throw new BackupError(`${file} does not exist`);
  const fd = fs.openSync(file, 'r');
  const cleanups: (() => unknown)[] = [];
  try {
    const entries = listTar(fd);
    const m = readManifest(fd, entries, config.masterKey);
    const byName = checkEntries(m, entries);
    const dialect: Dialect = config.databaseUrl ? 'postgres' : 'sqlite';
    if (m.dialect !== dialect)
      throw new BackupError(`the backup is of a ${m.dialect} database; the configured target is ${dialect}`);
    log(`Backup of ${m.createdAt}: ${m.dialect}, ${Object.keys(m.tables).length} tables, ${m.files.length} file(s)`);

    // 1. The target must be empty unless told otherwise.
    const filesDir = path.resolve(config.filesDir);
    const target = dialect === 'postgres' ? await pgTarget(config.databaseUrl!) : null;
    if (target) cleanups.push(() => target.client.end());
    if (target && target.schema !== m.schema)
      throw new BackupError(
        `the backup holds schema "${m.schema}" but the target connection uses "${target.schema}": set the ` +
          `search_path of DATABASE_URL (…?options=-c%20search_path%3D${m.schema}) or restore into a database using "${m.schema}"`,
      );
    const before = target ? await target.tables() : await sqliteRowCounts(config.sqlitePath);
    const busy = occupied(before);
    const existingFiles = walkFiles(filesDir, new Set(), () => {});
    if (existingFiles.length) busy.push(`${existingFiles.length} file(s) in ${filesDir}`);
    if (busy.length && !opts.force)
      throw new BackupError(`the target is not empty (${busy.join(', ')}); use --force to replace it`);

    // 2. Unpack beside the targets and check every digest before anything is replaced.
    const rand = crypto.randomBytes(4).toString('hex');
    const dbStage =
      dialect === 'sqlite'
        ? `${config.sqlitePath}.restore-${rand}`
        : path.join(config.dataDir, `.restore-${rand}.pgdump`);
    fs.mkdirSync(path.dirname(dbStage), { recursive: true });
    cleanups.push(() => fs.rmSync(dbStage, { force: true }));
    log('Checking the database image…');
    extractVerified(fd, byName.get(m.database.entry)!, dbStage, m.database.sm3);
    const filesStage = `${filesDir}.restore-${rand}`;
    fs.mkdirSync(filesStage, { recursive: true, mode: 0o700 });
    cleanups.push(() => fs.rmSync(filesStage, { recursive: true, force: true }));
    log(`Checking ${m.files.length} file(s)…`);
    for (const f of m.files) extractVerified(fd, byName.get(`files/${f.path}`)!, path.join(filesStage, f.path), f.sm3);

    // 3. Replace the database.
    log('Restoring the database…');
    if (dialect === 'sqlite') {
      for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(`${config.sqlitePath}${suffix}`, { force: true });
      fs.renameSync(dbStage, config.sqlitePath);
    } else {
      await checkPgToolVersion(target!.client, 'pg_restore', log);
      // Tables the backup does not have (e.g. from newer migrations) would survive --clean: drop them first.
      const extra = Object.keys(before).filter((t) => !(t in m.tables));
      if (extra.length) {
        await target!.client.query('BEGIN');
        for (const t of extra)
          await target!.client.query(`DROP TABLE IF EXISTS ${ident(m.schema!)}.${ident(t)} CASCADE`);
        await target!.client.query('COMMIT');
      }
      const conn = pgToolConnection(config.databaseUrl!);
      await runTool(
        'pg_restore',
        [
          '--clean',
          '--if-exists',
          '--no-owner',
          '--no-privileges',
          '--single-transaction',
          '--exit-on-error',
          `--dbname=${conn.dbname}`,
          dbStage,
        ],
        conn.env,
      );
    }

    // 4. Replace the files directory.
    log('Restoring the files…');
    fs.mkdirSync(path.dirname(filesDir), { recursive: true });
    if (fs.existsSync(filesDir)) {
      const old = `${filesDir}.old-${rand}`;
      fs.renameSync(filesDir, old);
      moveDir(filesStage, filesDir);
      fs.rmSync(old, { recursive: true, force: true });
    } else {
      moveDir(filesStage, filesDir);
    }

    // 5. Check the result against the manifest.
    log('Checking the restored data against the manifest…');
    const problems: string[] = [];
    const database = createDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath, poolSize: 2 });
    let auditVerified = false;
    try {
      for (const [table, expected] of Object.entries(m.tables)) {
        const r = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`
          .execute(database.db)
          .catch(() => null);
        const n = r ? Number(r.rows[0]?.n) : null;
        if (n !== expected) problems.push(`table ${table}: ${n ?? 'missing'} rows, the manifest says ${expected}`);
      }
      const got = await new AuditRepository(database.dialect).latestHead(database.db).catch(() => null);
      if (JSON.stringify(got) !== JSON.stringify(m.auditHead))
        problems.push(`audit head is ${JSON.stringify(got)}, the manifest says ${JSON.stringify(m.auditHead)}`);
      const audit = new AuditService(
        database.db,
        database.dialect,
        createCryptoProvider(config.masterKey),
        systemClock,
      );
      const v = await audit.verify();
      auditVerified = v.ok;
      if (!v.ok)
        problems.push(
          `audit chain does not verify at position ${v.firstBad?.position} (seq ${v.firstBad?.seq}${v.firstBad?.chain ? `, chain ${v.firstBad.chain}` : ''}): ${v.firstBad?.reason}`,
        );
    } finally {
      await database.close();
    }
    const restored = new Set(walkFiles(filesDir, new Set(), () => {}));
    for (const f of m.files) {
      if (!restored.delete(f.path)) {
        problems.push(`file ${f.path} is missing after the restore`);
        continue;
      }
      if (sm3File(path.join(filesDir, f.path)).sm3 !== f.sm3) problems.push(`file ${f.path} differs after the restore`);
    }
    for (const extra of restored) problems.push(`file ${extra} is not in the backup`);
    return { manifest: m, problems, auditVerified };
  } finally {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch {
        /* best effort */
      }
    }
    fs.closeSync(fd);
  }
}
