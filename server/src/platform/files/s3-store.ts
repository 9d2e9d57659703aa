import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { removeWritten, stageToTemp, sweepPartFiles } from './local-store.js';
import {
  type FileStore,
  isDigest,
  type OpenedBlob,
  type StagedBlob,
  StoreIntegrityError,
  StoreMissingError,
} from './store.js';

export interface S3Settings {
  /** `http(s)://host[:port]`, no trailing slash; objects are addressed path-style under it. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface S3StoreOptions {
  /** A request fails when nothing moves on its socket for this long (default 30 s). */
  timeoutMs?: number;
  /** Hard deadline of a request without an object body (HEAD, list, bucket); default `timeoutMs`. */
  controlDeadlineMs?: number;
  /** Hard deadline of an object upload or download; default 10 × `timeoutMs`. */
  transferDeadlineMs?: number;
  /** Keys per ListObjectsV2 page (S3 caps it at 1000). */
  listPageSize?: number;
  /** Parallel connections to the endpoint. */
  maxSockets?: number;
}

/** A non-2xx answer from the object store, or a request that could not complete. */
export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const EMPTY_SHA256 = crypto.createHash('sha256').digest('hex');
const KEY_PREFIX = 'evidence/';

/** RFC 3986 percent-encoding as SigV4 wants it: everything except A-Z a-z 0-9 - _ . ~ */
export function encodeRfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `/a b/c$` → `/a%20b/c%24`: each segment encoded once, slashes kept (the S3 rule). */
export function canonicalPath(pathname: string): string {
  return pathname
    .split('/')
    .map((seg) => encodeRfc3986(decodeURIComponent(seg)))
    .join('/');
}

/** Query parameters encoded and sorted by name, then value; `name=` for an empty value. */
export function canonicalQuery(params: Iterable<[string, string]>): string {
  return [...params]
    .map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const)
    .sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

const amzDate = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
const sha256 = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => crypto.createHmac('sha256', key).update(data, 'utf8').digest();

export interface SigningRequest {
  method: string;
  /** Absolute URL; its path and query are canonicalised for the signature. */
  url: URL;
  /** Headers to sign and send besides host and x-amz-*; names any case. */
  headers?: Record<string, string>;
  /** Hex SHA-256 of the body (or `UNSIGNED-PAYLOAD`). */
  payloadHash: string;
}

/**
 * AWS Signature Version 4 (HMAC-SHA256) for service `s3`. Returns the headers to send: the given
 * ones, `x-amz-date`, `x-amz-content-sha256` and `authorization`; every one of them and `host` is
 * signed.
 */
export function signV4(
  req: SigningRequest,
  creds: Pick<S3Settings, 'accessKeyId' | 'secretAccessKey' | 'region'>,
  now: Date = new Date(),
): Record<string, string> {
  const stamp = amzDate(now);
  const day = stamp.slice(0, 8);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) out[k.toLowerCase()] = v;
  out['x-amz-date'] = stamp;
  out['x-amz-content-sha256'] = req.payloadHash;
  const signed: Record<string, string> = { ...out, host: req.url.host };
  const names = Object.keys(signed).sort();
  const canonicalHeaders = names.map((n) => `${n}:${signed[n].trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    req.method,
    canonicalPath(req.url.pathname),
    canonicalQuery(req.url.searchParams),
    canonicalHeaders,
    signedHeaders,
    req.payloadHash,
  ].join('\n');
  const scope = `${day}/${creds.region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', stamp, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, day), creds.region), 's3'), 'aws4_request');
  const signature = crypto.createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  out.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`;
  return out;
}

function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e] as string;
  });
}

const xmlTag = (xml: string, tag: string) => {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m ? decodeXml(m[1]) : null;
};

interface RequestSpec {
  method: 'GET' | 'HEAD' | 'PUT';
  /** Object key, or null for the bucket itself. */
  key: string | null;
  query?: Record<string, string>;
  /** Body: bytes, or a factory (called again if the request is retried) with its length and hash. */
  body?: Buffer | { open: () => Readable; length: number; sha256: string; md5: string };
  transfer?: boolean;
}

/**
 * Evidence in an S3-compatible object store (FILE_STORE=s3), so several app instances share one
 * store. Objects are `evidence/<sm3>` in one bucket, addressed path-style; requests are signed with
 * SigV4 by hand. Uploads are staged on local disk first (like the local store) and read back through
 * a verified temporary copy, so every byte served has been checked against its SM3 digest.
 */
export class S3FileStore implements FileStore {
  readonly kind = 's3' as const;
  private readonly tmpDir: string;
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;
  private readonly controlDeadlineMs: number;
  private readonly transferDeadlineMs: number;
  private readonly listPageSize: number;
  private bucketReady: Promise<void> | null = null;
  private readonly probeQuery = { 'list-type': '2', prefix: KEY_PREFIX, 'max-keys': '1' };

  constructor(
    readonly s3: S3Settings,
    readonly dataDir: string,
    options: S3StoreOptions = {},
  ) {
    this.tmpDir = path.join(path.resolve(dataDir), 'tmp', 's3-staging');
    this.base = new URL(s3.endpoint.replace(/\/+$/, ''));
    if (!/^https?:$/.test(this.base.protocol)) throw new Error('S3 endpoint must be an http(s) URL');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.controlDeadlineMs = options.controlDeadlineMs ?? this.timeoutMs;
    this.transferDeadlineMs = options.transferDeadlineMs ?? this.timeoutMs * 10;
    this.listPageSize = Math.min(1000, Math.max(1, options.listPageSize ?? 1000));
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 16 };
    this.agent = this.base.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  /** The object key of a digest: `evidence/<sm3>`. */
  keyOf(sm3: string): string {
    if (!isDigest(sm3)) throw new Error('not an SM3 digest');
    return `${KEY_PREFIX}${sm3}`;
  }

  async stage(source: Readable, maxBytes: number): Promise<StagedBlob> {
    const { file, sm3, size } = await stageToTemp(this.tmpDir, source, maxBytes);
    return {
      sm3,
      size,
      path: file,
      commit: async () => {
        await this.ensureBucket();
        if (!(await this.has(sm3))) {
          const hashes = await hashFile(file);
          await this.ok(
            await this.request({
              method: 'PUT',
              key: this.keyOf(sm3),
              body: { open: () => fs.createReadStream(file), length: size, ...hashes },
              transfer: true,
            }),
          );
        }
        await fsp.rm(file, { force: true });
      },
      // The bucket is shared by instances this one cannot see: one of them may have just found these
      // bytes stored and be writing a row naming them, so an unnamed object stays (it costs space only).
      retract: async () => {},
      discard: () => fsp.rm(file, { force: true }),
    };
  }

  async has(sm3: string): Promise<boolean> {
    if (!isDigest(sm3)) return false;
    await this.ensureBucket();
    const res = await this.request({ method: 'HEAD', key: this.keyOf(sm3) });
    if (res.statusCode === 404) {
      res.resume();
      return false;
    }
    await this.ok(res);
    return true;
  }

  async open(sm3: string): Promise<OpenedBlob> {
    const key = this.keyOf(sm3);
    await this.ensureBucket();
    const res = await this.request({ method: 'GET', key, transfer: true });
    if (res.statusCode === 404) {
      res.resume();
      throw new StoreMissingError(sm3);
    }
    await this.expectOk(res);
    await fsp.mkdir(this.tmpDir, { recursive: true });
    const file = path.join(this.tmpDir, `read-${process.pid}-${crypto.randomBytes(12).toString('hex')}.part`);
    const hash = crypto.createHash('sm3');
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
    try {
      await pipeline(res, tap, out);
      const actual = hash.digest('hex');
      if (actual !== sm3) throw new StoreIntegrityError(sm3, actual);
    } catch (e) {
      await removeWritten(out, file);
      throw e;
    }
    return { size, stream: () => fs.createReadStream(file), close: () => fsp.rm(file, { force: true }) };
  }

  sweepTemporary(olderThanMs: number, now?: number): Promise<number> {
    return sweepPartFiles(this.tmpDir, olderThanMs, now);
  }

  async *list(): AsyncIterable<string> {
    await this.ensureBucket();
    let token: string | null = null;
    do {
      const query: Record<string, string> = {
        'list-type': '2',
        prefix: KEY_PREFIX,
        'max-keys': String(this.listPageSize),
      };
      if (token) query['continuation-token'] = token;
      const res = await this.request({ method: 'GET', key: null, query });
      await this.expectOk(res);
      const xml = (await readBody(res, 64 * 1024 * 1024)).toString('utf8');
      for (const m of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
        const key = xmlTag(m[1], 'Key') ?? '';
        const digest = key.slice(KEY_PREFIX.length);
        if (key.startsWith(KEY_PREFIX) && isDigest(digest)) yield digest;
      }
      const truncated = xmlTag(xml, 'IsTruncated') === 'true';
      token = truncated ? xmlTag(xml, 'NextContinuationToken') : null;
      if (truncated && !token)
        throw new S3Error(502, 'InvalidListing', 'S3 listing truncated without a continuation token');
    } while (token);
  }

  /** Releases pooled connections (tests, shutdown). */
  close(): void {
    this.agent.destroy();
  }

  /** The bucket exists (created on first use; another instance creating it at the same time is fine). */
  private ensureBucket(): Promise<void> {
    this.bucketReady ??= (async () => {
      // a one-key listing rather than HEAD: an error answer then carries its S3 code
      const probe = await this.request({ method: 'GET', key: null, query: this.probeQuery });
      if (probe.statusCode !== 404) return this.ok(probe);
      probe.resume();
      const body =
        this.s3.region === 'us-east-1'
          ? Buffer.alloc(0)
          : Buffer.from(
              `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>${this.s3.region}</LocationConstraint></CreateBucketConfiguration>`,
            );
      const put = await this.request({ method: 'PUT', key: null, body });
      if (put.statusCode === 409) {
        put.resume(); // BucketAlreadyOwnedByYou / a concurrent creation: fine if we can reach it now
        return this.ok(await this.request({ method: 'GET', key: null, query: this.probeQuery }));
      }
      return this.ok(put);
    })().catch((e) => {
      this.bucketReady = null; // try again on the next call
      throw e;
    });
    return this.bucketReady;
  }

  /** Resolves when the answer's status and headers arrive; the caller consumes the body. */
  private async request(spec: RequestSpec, retried = false): Promise<http.IncomingMessage> {
    const basePath = this.base.pathname.replace(/\/+$/, '');
    const url = new URL(this.base.origin);
    url.pathname = `${basePath}/${this.s3.bucket}${spec.key === null ? '' : `/${spec.key}`}`;
    const query = canonicalQuery(Object.entries(spec.query ?? {}));
    url.search = query;
    const body = spec.body;
    const headers: Record<string, string> = {};
    let payloadHash = EMPTY_SHA256;
    if (Buffer.isBuffer(body)) {
      payloadHash = sha256(body);
      headers['content-md5'] = crypto.createHash('md5').update(body).digest('base64');
    } else if (body) {
      payloadHash = body.sha256;
      headers['content-md5'] = body.md5;
    }
    const signed = signV4({ method: spec.method, url, headers, payloadHash }, this.s3);
    if (spec.method === 'PUT') signed['content-length'] = String(body?.length ?? 0);
    const what = `S3 ${spec.method} ${spec.key ?? `bucket ${this.s3.bucket}`}`;
    const deadline = spec.transfer ? this.transferDeadlineMs : this.controlDeadlineMs;
    const lib = url.protocol === 'https:' ? https : http;

    return new Promise<http.IncomingMessage>((resolve, reject) => {
      let settled = false;
      let response: http.IncomingMessage | null = null;
      const fail = (err: Error) => {
        if (settled) {
          response?.destroy(err); // the body is being read: make the reader fail too
          return;
        }
        settled = true;
        reject(err);
      };
      const deadlineHit = new AbortController();
      const timer = setTimeout(() => deadlineHit.abort(), deadline);
      const req = lib.request(url, {
        method: spec.method,
        headers: signed,
        agent: this.agent,
        signal: deadlineHit.signal,
      });
      req.on('close', () => clearTimeout(timer));
      req.setTimeout(this.timeoutMs, () => {
        req.destroy(new S3Error(504, 'Timeout', `${what}: nothing sent or received for ${this.timeoutMs} ms`));
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (deadlineHit.signal.aborted) {
          return fail(new S3Error(504, 'Timeout', `${what}: not done within ${deadline} ms`));
        }
        if (!settled && !retried && req.reusedSocket && e.code === 'ECONNRESET') {
          // a kept-alive connection the server had just closed: send once more on a fresh one
          settled = true;
          this.request(spec, true).then(resolve, reject);
          return;
        }
        fail(e instanceof S3Error ? e : new S3Error(502, e.code ?? 'NetworkError', `${what}: ${e.message}`));
      });
      req.on('response', (res) => {
        response = res;
        settled = true;
        resolve(res);
      });
      if (!body) req.end();
      else if (Buffer.isBuffer(body)) req.end(body);
      else {
        const src = body.open();
        src.on('error', (e) => req.destroy(e));
        req.on('close', () => src.destroy()); // a failed or retried request leaves no open file behind
        src.pipe(req);
      }
    });
  }

  /** Like expectOk, for an answer whose body is not wanted. */
  private async ok(res: http.IncomingMessage): Promise<void> {
    await this.expectOk(res);
    res.resume();
  }

  /** Throws an S3Error naming the status and S3 error code unless the answer is 2xx (body left unread). */
  private async expectOk(res: http.IncomingMessage): Promise<void> {
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return;
    const text = (await readBody(res, 64 * 1024).catch(() => Buffer.alloc(0))).toString('utf8');
    const code = xmlTag(text, 'Code') ?? http.STATUS_CODES[status]?.replace(/\s+/g, '') ?? 'Unknown';
    const message = xmlTag(text, 'Message');
    const req = (res as http.IncomingMessage & { req?: http.ClientRequest }).req;
    throw new S3Error(
      status,
      code,
      `S3 ${req?.method ?? ''} ${req?.path ?? ''} answered ${status} ${code}${message ? `: ${message}` : ''}`,
    );
  }
}

async function readBody(res: http.IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      res.destroy();
      throw new S3Error(502, 'ResponseTooLarge', `S3 answer larger than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** SHA-256 (hex, for the signature) and MD5 (base64, Content-MD5) of a file, in one read. */
async function hashFile(file: string): Promise<{ sha256: string; md5: string }> {
  const s = crypto.createHash('sha256');
  const m = crypto.createHash('md5');
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    s.update(chunk);
    m.update(chunk);
  }
  return { sha256: s.digest('hex'), md5: m.digest('base64') };
}
