import path from 'node:path';

/**
 * Configuration, read once from the environment at boot and checked; every variable is documented
 * in .env.example. A bad value stops the boot with a message that names it.
 */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | null; // null → embedded SQLite at sqlitePath
  sqlitePath: string;
  dataDir: string;
  filesDir: string;
  masterKey: Buffer; // wraps per-record SM4 keys and keys the audit HMAC chain
  adminPassword: string | null;
  demoPassword: string | null;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  loginRateLimitPerMinute: number;
  apiRateLimitPerMinute: number;
  trustProxy: boolean;
  secureCookies: boolean;
  logLevel: string;
  uploadMaxBytes: number;
  /** Evidence file store: local disk under filesDir (default), or an S3-compatible object store. */
  fileStore: 'local' | 's3';
  s3: { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string } | null;
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/**
 * The master key: 32 bytes as 64 hex characters. Without one, a key file is created in the data
 * directory on first start (fine for one machine; several instances must share RECTIFY_MASTER_KEY).
 */
export function parseMasterKey(raw: string | undefined): Buffer | null {
  if (!raw) return null;
  if (!/^[0-9a-fA-F]{64}$/.test(raw)) throw new ConfigError('RECTIFY_MASTER_KEY must be 64 hex characters');
  return Buffer.from(raw, 'hex');
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Omit<Config, 'masterKey'> & {
  masterKey: Buffer | null;
} {
  const dataDir = path.resolve(cwd, env.RECTIFY_DATA_DIR || 'data');
  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// (leave it empty for embedded SQLite)');
  }
  return {
    port: int(env, 'PORT', 3000, 0),
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    sqlitePath: path.resolve(cwd, env.SQLITE_PATH || path.join(dataDir, 'rectify.db')),
    dataDir,
    filesDir: path.resolve(cwd, env.RECTIFY_FILES_DIR || path.join(dataDir, 'files')),
    masterKey: parseMasterKey(env.RECTIFY_MASTER_KEY),
    adminPassword: env.RECTIFY_ADMIN_PASSWORD || null,
    demoPassword: env.RECTIFY_DEMO_PASSWORD || null,
    sessionIdleMinutes: int(env, 'SESSION_IDLE_MINUTES', 30, 1),
    sessionAbsoluteHours: int(env, 'SESSION_ABSOLUTE_HOURS', 12, 1),
    lockoutThreshold: int(env, 'LOCKOUT_THRESHOLD', 5, 1),
    lockoutMinutes: int(env, 'LOCKOUT_MINUTES', 30, 1),
    loginRateLimitPerMinute: int(env, 'LOGIN_RATE_LIMIT_PER_MINUTE', 30, 1),
    apiRateLimitPerMinute: int(env, 'API_RATE_LIMIT_PER_MINUTE', 1200, 1),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    secureCookies: bool(env, 'SECURE_COOKIES', false),
    logLevel: env.LOG_LEVEL || 'info',
    uploadMaxBytes: int(env, 'UPLOAD_MAX_BYTES', 50 * 1024 * 1024, 1024),
    ...fileStoreConfig(env),
  };
}

function fileStoreConfig(env: NodeJS.ProcessEnv): Pick<Config, 'fileStore' | 's3'> {
  const kind = env.FILE_STORE || 'local';
  if (kind === 'local') return { fileStore: 'local', s3: null };
  if (kind !== 's3') throw new ConfigError(`FILE_STORE must be local or s3, got "${kind}"`);
  const need = (name: string) => {
    const v = env[name];
    if (!v) throw new ConfigError(`${name} is required when FILE_STORE=s3`);
    return v;
  };
  const endpoint = need('S3_ENDPOINT');
  if (!/^https?:\/\/[^/]+/.test(endpoint)) throw new ConfigError('S3_ENDPOINT must be an http(s) URL');
  return {
    fileStore: 's3',
    s3: {
      endpoint: endpoint.replace(/\/+$/, ''),
      bucket: need('S3_BUCKET'),
      region: env.S3_REGION || 'us-east-1',
      accessKeyId: need('S3_ACCESS_KEY_ID'),
      secretAccessKey: need('S3_SECRET_ACCESS_KEY'),
    },
  };
}
