import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createFileStore } from '../../src/platform/files/index.js';
import { LocalFileStore } from '../../src/platform/files/local-store.js';
import { S3Error, S3FileStore, type S3Settings, signV4 } from '../../src/platform/files/s3-store.js';
import {
  type FileStore,
  type OpenedBlob,
  StoreIntegrityError,
  StoreLimitError,
  StoreMissingError,
} from '../../src/platform/files/store.js';

// A real S3-protocol server: npm `@20minutes/s3rver` (a maintained fork of s3rver that, unlike
// s3rver 3.x, checks SigV4 signatures), run in a child process on a free port with its own directory.
// Its listing continuation tokens use DES, which Node's OpenSSL 3 only offers with the legacy provider.
const S3RVER_KEY = 'S3RVER'; // the one account s3rver knows: access key id and secret are both this
const S3RVER_MAIN = `
const S3rver = require(${JSON.stringify(createRequire(import.meta.url).resolve('@20minutes/s3rver'))});
const server = new S3rver({ address: '127.0.0.1', port: 0, directory: process.argv[1], silent: true, vhostBuckets: false });
server.run().then((addr) => process.stdout.write(JSON.stringify({ port: addr.port }) + '\\n'));
process.stdin.on('end', () => process.exit(0)).resume(); // dies with the test process
`;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-file-store-'));
const s3rverDir = path.join(work, 's3rver');
let server: ChildProcess | null = null;
let endpoint = '';
const opened: S3FileStore[] = [];

beforeAll(async () => {
  fs.mkdirSync(s3rverDir);
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', S3RVER_MAIN, s3rverDir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  server = child;
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
    child.once('error', reject);
  });
  endpoint = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const s of opened) s.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server?.once('exit', r));
    server.kill();
    await exited;
  }
  fs.rmSync(work, { recursive: true, force: true });
});

const sm3 = (b: Buffer) => crypto.createHash('sm3').update(b).digest('hex');

/** A readable of `bytes` in chunks of at most `chunk` bytes, read lazily like an upload. */
function streamOf(bytes: Buffer, chunk = 16 * 1024): Readable {
  let at = 0;
  return new Readable({
    read() {
      if (at >= bytes.length) return this.push(null);
      this.push(bytes.subarray(at, at + chunk));
      at += chunk;
    },
  });
}

/** Emits `chunks` chunks of data, then fails like a cut-off upload. */
function failingStream(chunks: number, error = new Error('client went away')): Readable {
  let n = 0;
  return new Readable({
    read() {
      if (n++ < chunks) this.push(crypto.randomBytes(8 * 1024));
      else setImmediate(() => this.destroy(error));
    },
  });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

async function listAll(store: FileStore): Promise<string[]> {
  const out: string[] = [];
  for await (const d of store.list()) out.push(d);
  return out;
}

/** Every regular file under `dir` (absolute paths). */
function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

const inside = (dir: string, file: string) => !path.relative(dir, file).startsWith('..');

async function readOpened(blob: OpenedBlob): Promise<Buffer> {
  try {
    return await readAll(blob.stream());
  } finally {
    await blob.close();
  }
}

/** One store under test, in a sandbox directory of its own. */
interface Subject {
  store: FileStore;
  /** Everything the store may write locally is under this directory... */
  sandbox: string;
  /** ...and, once nothing is staged or open, only blobs are left: no temporary file. */
  leftovers(): string[];
  /** Flips one byte of the stored object, behind the store's back. */
  corrupt(sm3: string): Promise<void>;
}

let seq = 0;
const subjects: Record<'local' | 's3', () => Subject> = {
  local: () => {
    const sandbox = path.join(work, `local-${++seq}`);
    const root = path.join(sandbox, 'files');
    const store = new LocalFileStore(root);
    return {
      store,
      sandbox,
      leftovers: () => walk(sandbox).filter((f) => !(inside(root, f) && /^[0-9a-f]{64}$/.test(path.basename(f)))),
      corrupt: async (digest) => flipByte(store.pathOf(digest)),
    };
  },
  s3: () => {
    const sandbox = path.join(work, `s3-${++seq}`);
    const bucket = `evidence-${seq}`;
    // small pages so that list() has to follow continuation tokens
    const store = new S3FileStore(s3Settings(bucket), sandbox, { listPageSize: 40 });
    opened.push(store);
    return {
      store,
      sandbox,
      leftovers: () => walk(sandbox), // S3 keeps nothing locally once committed or closed
      corrupt: async (digest) => {
        const file = walk(path.join(s3rverDir, bucket)).find((f) => path.basename(f) === `${digest}._S3rver_object`);
        if (!file) throw new Error(`s3rver has no file for ${digest}`);
        await flipByte(file);
      },
    };
  },
};

function s3Settings(bucket: string, over: Partial<S3Settings> = {}): S3Settings {
  return {
    endpoint,
    bucket,
    region: 'us-east-1',
    accessKeyId: S3RVER_KEY,
    secretAccessKey: S3RVER_KEY,
    ...over,
  };
}

async function flipByte(file: string) {
  const bytes = await fsp.readFile(file);
  bytes[Math.floor(bytes.length / 2)] ^= 0x01;
  await fsp.writeFile(file, bytes);
}

describe.each(['local', 's3'] as const)('%s file store (contract)', (kind) => {
  const make = () => subjects[kind]();

  /** Nothing outside the sandbox's allowed places, and no temporary file left. */
  function expectClean(s: Subject) {
    for (const f of walk(s.sandbox)) expect(inside(s.sandbox, f)).toBe(true);
    expect(s.leftovers()).toEqual([]);
  }

  it('stages, commits and opens the same bytes under their SM3 digest', async () => {
    const s = make();
    const bytes = crypto.randomBytes(300 * 1024 + 17);
    const staged = await s.store.stage(streamOf(bytes), 1024 * 1024);
    expect(staged.sm3).toBe(sm3(bytes));
    expect(staged.size).toBe(bytes.length);
    expect(fs.readFileSync(staged.path).equals(bytes)).toBe(true);
    expect(inside(s.sandbox, staged.path)).toBe(true);
    expect(await s.store.has(staged.sm3)).toBe(false);

    await staged.commit();
    expect(fs.existsSync(staged.path)).toBe(false);
    expect(await s.store.has(staged.sm3)).toBe(true);
    const blob = await s.store.open(staged.sm3);
    expect(blob.size).toBe(bytes.length);
    const back = await readOpened(blob);
    expect(back.equals(bytes)).toBe(true);
    expect(sm3(back)).toBe(staged.sm3);
    expect(await listAll(s.store)).toEqual([staged.sm3]);

    await staged.commit(); // idempotent
    await staged.discard(); // safe after commit
    expect(await listAll(s.store)).toEqual([staged.sm3]);
    expectClean(s);
  });

  it('sweeps staged files a killed process left behind, and only those older than the limit', async () => {
    const s = make();
    const old = await s.store.stage(streamOf(crypto.randomBytes(1000)), 1024 * 1024);
    const fresh = await s.store.stage(streamOf(crypto.randomBytes(1000)), 1024 * 1024);
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    fs.utimesSync(old.path, twoHoursAgo, twoHoursAgo);
    expect(await s.store.sweepTemporary(3_600_000)).toBe(1);
    expect(fs.existsSync(old.path)).toBe(false);
    expect(fs.existsSync(fresh.path)).toBe(true);
    await fresh.commit();
    expect(await listAll(s.store)).toEqual([fresh.sm3]);
    expect(await s.store.sweepTemporary(3_600_000)).toBe(0);
    expectClean(s);
  });

  it('stores an empty file', async () => {
    const s = make();
    const staged = await s.store.stage(Readable.from([]), 10);
    expect(staged.sm3).toBe(sm3(Buffer.alloc(0)));
    await staged.commit();
    const blob = await s.store.open(staged.sm3);
    expect(blob.size).toBe(0);
    expect((await readOpened(blob)).length).toBe(0);
    expectClean(s);
  });

  it('stores the same bytes once when they are uploaded twice', async () => {
    const s = make();
    const bytes = crypto.randomBytes(40_000);
    const a = await s.store.stage(streamOf(bytes), 1e6);
    const b = await s.store.stage(streamOf(bytes, 999), 1e6);
    expect(a.path).not.toBe(b.path);
    expect(b.sm3).toBe(a.sm3);
    await a.commit();
    await b.commit();
    expect(await listAll(s.store)).toEqual([a.sm3]);
    expect((await readOpened(await s.store.open(a.sm3))).equals(bytes)).toBe(true);
    expectClean(s);
  });

  it('leaves nothing behind when the upload stream fails half-way', async () => {
    const s = make();
    await expect(s.store.stage(failingStream(5), 1e6)).rejects.toThrow('client went away');
    await expect(s.store.stage(failingStream(0), 1e6)).rejects.toThrow('client went away');
    expect(await listAll(s.store)).toEqual([]);
    expectClean(s);
  });

  it('refuses more than maxBytes with StoreLimitError and leaves nothing behind', async () => {
    const s = make();
    const limit = 50_000;
    const err = await s.store.stage(streamOf(crypto.randomBytes(limit + 1), 7000), limit).catch((e) => e);
    expect(err).toBeInstanceOf(StoreLimitError);
    expect((err as StoreLimitError).maxBytes).toBe(limit);
    const exact = await s.store.stage(streamOf(crypto.randomBytes(limit), 7000), limit); // the limit itself is fine
    await exact.discard();
    await exact.discard(); // twice is fine
    expect(await listAll(s.store)).toEqual([]);
    expectClean(s);
  });

  it('refuses to serve a stored object whose bytes changed (StoreIntegrityError)', async () => {
    const s = make();
    const bytes = crypto.randomBytes(70_000);
    const staged = await s.store.stage(streamOf(bytes), 1e6);
    await staged.commit();
    await s.corrupt(staged.sm3);
    const err = await s.store.open(staged.sm3).catch((e) => e);
    expect(err).toBeInstanceOf(StoreIntegrityError);
    expect((err as StoreIntegrityError).sm3).toBe(staged.sm3);
    expect((err as StoreIntegrityError).actual).not.toBe(staged.sm3);
    expectClean(s);
  });

  it('answers StoreMissingError for a digest it does not hold', async () => {
    const s = make();
    const absent = sm3(crypto.randomBytes(32));
    expect(await s.store.has(absent)).toBe(false);
    expect(await s.store.has('not-a-digest')).toBe(false);
    const err = await s.store.open(absent).catch((e) => e);
    expect(err).toBeInstanceOf(StoreMissingError);
    expect((err as StoreMissingError).sm3).toBe(absent);
    await expect(s.store.open('../../etc/passwd')).rejects.toThrow();
    expectClean(s);
  });

  it('takes 200 concurrent uploads of 150 distinct contents as exactly 150 blobs, each intact', async () => {
    const s = make();
    const distinct = Array.from({ length: 150 }, (_, i) => crypto.randomBytes(1000 + i * 97));
    const uploads = [...distinct, ...distinct.slice(0, 50).map((b) => Buffer.from(b))];
    for (let i = uploads.length - 1; i > 0; i--) {
      const j = crypto.randomInt(i + 1);
      [uploads[i], uploads[j]] = [uploads[j], uploads[i]];
    }
    const digests = await Promise.all(
      uploads.map(async (bytes) => {
        const staged = await s.store.stage(streamOf(bytes, 4096), 1e6);
        await staged.commit();
        return staged.sm3;
      }),
    );
    const expected = distinct.map(sm3).sort();
    expect(new Set(digests).size).toBe(150);
    const listed = await listAll(s.store);
    expect(listed.length).toBe(150);
    expect([...listed].sort()).toEqual(expected);
    for (const bytes of distinct) {
      const back = await readOpened(await s.store.open(sm3(bytes)));
      expect(back.equals(bytes)).toBe(true);
    }
    expectClean(s);
  });
});

describe.each(['local', 's3'] as const)('%s file store: taking a commit back (retract)', (kind) => {
  const make = () => subjects[kind]();
  const named = (yes: boolean) => async () => yes;

  it(
    kind === 'local' ? 'removes a blob it stored that no row names' : 'keeps the object (the bucket is shared)',
    async () => {
      const s = make();
      const staged = await s.store.stage(streamOf(crypto.randomBytes(5000)), 1e6);
      await staged.commit();
      await staged.retract(named(false));
      await staged.discard();
      expect(await s.store.has(staged.sm3)).toBe(kind === 's3');
      expect(s.leftovers()).toEqual([]);
    },
  );

  it('keeps a blob a row names, one it found already stored, and one another upload of the same bytes holds', async () => {
    const s = make();
    const bytes = crypto.randomBytes(5000);
    const first = await s.store.stage(streamOf(bytes), 1e6);
    await first.commit();
    await first.retract(named(true)); // a row names it
    await first.discard();
    expect(await s.store.has(first.sm3)).toBe(true);

    const again = await s.store.stage(streamOf(bytes), 1e6);
    await again.commit(); // found it stored: not this upload's to take back
    await again.retract(named(false));
    await again.discard();
    expect(await s.store.has(first.sm3)).toBe(true);

    const other = crypto.randomBytes(6000);
    const a = await s.store.stage(streamOf(other), 1e6);
    const b = await s.store.stage(streamOf(other), 1e6);
    await a.commit();
    await b.commit(); // found a's blob: b is about to write a row naming it
    await a.retract(named(false)); // a's row failed, b's is not written yet
    await a.discard();
    expect(await s.store.has(a.sm3)).toBe(true);
    await b.discard();
    expect(s.leftovers()).toEqual([]);
  });
});

describe('local file store: a failing disk', () => {
  const failing = (code: string) =>
    Object.assign(new Error(`${code}: failed, fsync`), { code, errno: code === 'EIO' ? -5 : -22, syscall: 'fsync' });

  it('fails the commit when the directory fsync reports an I/O error, and ignores a refusal', async () => {
    const root = path.join(work, `disk-${++seq}`);
    const store = new LocalFileStore(root);
    const real = store.disk;
    store.disk = { ...real, syncDir: async () => Promise.reject(failing('EIO')) };
    const staged = await store.stage(streamOf(crypto.randomBytes(3000)), 1e6);
    await expect(staged.commit()).rejects.toMatchObject({ code: 'EIO' });
    // the upload failed: its blob is taken back, and nothing is left in the temp directory
    await staged.retract(async () => false);
    await staged.discard();
    expect(await store.has(staged.sm3)).toBe(false);
    expect(walk(root)).toEqual([]);

    store.disk = { ...real, syncDir: async () => Promise.reject(failing('EINVAL')) }; // a file system that refuses
    const ok = await store.stage(streamOf(crypto.randomBytes(3000)), 1e6);
    await ok.commit();
    await ok.discard();
    expect(await store.has(ok.sm3)).toBe(true);
  });

  it('leaves no temp file when the fsync of a staged file fails', async () => {
    const root = path.join(work, `disk-${++seq}`);
    const store = new LocalFileStore(root);
    store.disk = { ...store.disk, syncFile: async () => Promise.reject(failing('EIO')) };
    await expect(store.stage(streamOf(crypto.randomBytes(3000)), 1e6)).rejects.toMatchObject({ code: 'EIO' });
    expect(walk(root)).toEqual([]);
  });

  it('leaves no temp file when the upload fails while the file is still being opened', async () => {
    // pipeline() settles on the source's error before the write stream has closed; a slow open
    // (a busy disk) then creates the file after a hasty clean-up. This disk opens after 30 ms.
    const root = path.join(work, `disk-${++seq}`);
    const store = new LocalFileStore(root);
    const real = store.disk;
    store.disk = {
      ...real,
      create: (file) => {
        let inner: Writable | undefined;
        return new Writable({
          construct(done) {
            setTimeout(() => {
              inner = real.create(file);
              inner.once('open', () => done());
              inner.once('error', done);
            }, 30);
          },
          write(chunk, enc, done) {
            inner?.write(chunk, enc, done);
          },
          final(done) {
            inner?.end(done);
          },
          destroy(err, done) {
            if (!inner || inner.closed) return done(err);
            inner.once('close', () => done(err));
            inner.destroy();
          },
        });
      },
    };
    for (const chunks of [0, 0, 3]) {
      await expect(store.stage(failingStream(chunks), 1e6)).rejects.toThrow('client went away');
    }
    await new Promise((resolve) => setTimeout(resolve, 60)); // any late open has happened by now
    expect(walk(root)).toEqual([]);
  });
});

describe('S3 file store: protocol', () => {
  // The examples AWS publishes for S3 SigV4 (credentials AKIAIOSFODNN7EXAMPLE, 2013-05-24).
  const EXAMPLE = {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    region: 'us-east-1',
  };
  const at = new Date(Date.UTC(2013, 4, 24));
  const EMPTY = crypto.createHash('sha256').digest('hex');
  const signatureOf = (h: Record<string, string>) => /Signature=([0-9a-f]{64})$/.exec(h.authorization)?.[1];

  it('signs requests exactly as the AWS SigV4 examples do', () => {
    const get = signV4(
      {
        method: 'GET',
        url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
        headers: { Range: 'bytes=0-9' },
        payloadHash: EMPTY,
      },
      EXAMPLE,
      at,
    );
    expect(get.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(get['x-amz-date']).toBe('20130524T000000Z');

    const put = signV4(
      {
        method: 'PUT',
        url: new URL('https://examplebucket.s3.amazonaws.com/test$file.text'),
        headers: { Date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
        payloadHash: crypto.createHash('sha256').update('Welcome to Amazon S3.').digest('hex'),
      },
      EXAMPLE,
      at,
    );
    expect(signatureOf(put)).toBe('98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd');

    // query parameters given out of order are sorted; a value-less sub-resource signs as `name=`
    const list = signV4(
      {
        method: 'GET',
        url: new URL('https://examplebucket.s3.amazonaws.com/?prefix=J&max-keys=2'),
        payloadHash: EMPTY,
      },
      EXAMPLE,
      at,
    );
    expect(signatureOf(list)).toBe('34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7');
    const lifecycle = signV4(
      { method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/?lifecycle'), payloadHash: EMPTY },
      EXAMPLE,
      at,
    );
    expect(signatureOf(lifecycle)).toBe('fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543');
  });

  it('is refused by the server with a wrong secret or an unknown key: the signature is checked', async () => {
    const dir = path.join(work, 'bad-keys');
    const wrongSecret = new S3FileStore(s3Settings('evidence-bad', { secretAccessKey: 'not-the-secret' }), dir);
    const unknownKey = new S3FileStore(s3Settings('evidence-bad', { accessKeyId: 'NOBODY' }), dir);
    opened.push(wrongSecret, unknownKey);
    const e1 = await wrongSecret.open(sm3(Buffer.from('x'))).catch((e) => e);
    expect(e1).toBeInstanceOf(S3Error);
    expect(e1).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(String(e1.message)).toContain('403 SignatureDoesNotMatch');
    const e2 = await unknownKey.has(sm3(Buffer.from('x'))).catch((e) => e);
    expect(e2).toMatchObject({ status: 403, code: 'InvalidAccessKeyId' });
    // a staged upload whose commit is refused stays staged (the caller decides), and discard removes it
    const staged = await wrongSecret.stage(Readable.from([Buffer.from('evidence')]), 100);
    await expect(staged.commit()).rejects.toMatchObject({ status: 403 });
    expect(fs.existsSync(staged.path)).toBe(true);
    await staged.discard();
    expect(walk(dir)).toEqual([]);
  });

  it('turns S3 error answers into errors with the status and S3 code', async () => {
    const store = new S3FileStore(s3Settings('Not_A_Valid_Bucket'), path.join(work, 'bad-bucket'));
    opened.push(store);
    const err = await store.has(sm3(Buffer.from('x'))).catch((e) => e);
    expect(err).toBeInstanceOf(S3Error);
    expect(err).toMatchObject({ status: 400, code: 'InvalidBucketName' });
  });

  it('creates its bucket on first use, also when several instances race to create it', async () => {
    const bucket = 'evidence-fresh';
    expect(fs.existsSync(path.join(s3rverDir, bucket))).toBe(false);
    const instances = Array.from(
      { length: 4 },
      (_, i) => new S3FileStore(s3Settings(bucket), path.join(work, `fresh-${i}`)),
    );
    opened.push(...instances);
    const bytes = Buffer.from('shared by every instance');
    await Promise.all(
      instances.map(async (store) => {
        const staged = await store.stage(Readable.from([bytes]), 100);
        await staged.commit();
      }),
    );
    expect(fs.existsSync(path.join(s3rverDir, bucket))).toBe(true);
    for (const store of instances) expect(await listAll(store)).toEqual([sm3(bytes)]);
    // a later instance finds the bucket already there
    const later = new S3FileStore(s3Settings(bucket), path.join(work, 'fresh-later'));
    opened.push(later);
    expect((await readOpened(await later.open(sm3(bytes)))).equals(bytes)).toBe(true);
  });

  it('uploads with the real SHA-256 and MD5 of the body and a Content-Length', async () => {
    // A proxy in front of s3rver checks what a real S3 checks and s3rver does not: the declared
    // payload hash, Content-MD5 and length against the bytes received.
    const seen: string[] = [];
    const proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const declared = req.headers['x-amz-content-sha256'];
        const actual = crypto.createHash('sha256').update(body).digest('hex');
        if (req.method === 'PUT') {
          seen.push(`${req.url} ${req.headers['content-length']} ${declared === actual}`);
          const md5 = crypto.createHash('md5').update(body).digest('base64');
          if (declared !== actual || req.headers['content-md5'] !== md5 || req.headers['transfer-encoding']) {
            res.writeHead(400).end('<Error><Code>XAmzContentSHA256Mismatch</Code></Error>');
            return;
          }
        }
        const fwd = http.request(`${endpoint}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        fwd.end(body);
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const port = (proxy.address() as AddressInfo).port;
      const store = new S3FileStore(
        s3Settings('evidence-proxied', { endpoint: `http://127.0.0.1:${port}` }),
        path.join(work, 'proxied'),
      );
      opened.push(store);
      const bytes = crypto.randomBytes(200_000);
      const staged = await store.stage(streamOf(bytes), 1e6);
      await staged.commit();
      expect(seen).toContain(`/evidence-proxied/evidence/${staged.sm3} ${bytes.length} true`);
      expect((await readOpened(await store.open(staged.sm3))).equals(bytes)).toBe(true);
    } finally {
      await new Promise((r) => proxy.close(r));
    }
  });

  it('gives up on a server that does not answer, or stops sending, instead of hanging', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const trickled = sm3(Buffer.from('c'));
    const stalled = http.createServer((req, res) => {
      if (req.method === 'GET' && req.url?.startsWith('/evidence-slow?')) {
        return res.writeHead(200).end('<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>'); // bucket exists
      }
      if (req.method === 'GET' && req.url?.endsWith(trickled)) {
        res.writeHead(200, { 'content-length': '100000' });
        const t = setInterval(() => res.write(Buffer.alloc(1)), 50); // always moving, never done
        res.on('close', () => clearInterval(t));
        return;
      }
      if (req.method === 'GET' && req.url?.startsWith('/evidence-slow/')) {
        res.writeHead(200, { 'content-length': '100000' });
        res.write(Buffer.alloc(1000)); // then nothing more
      }
      // anything else: never answer
    });
    stalled.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => stalled.listen(0, '127.0.0.1', r));
    const dir = path.join(work, 'stalled');
    try {
      const port = (stalled.address() as AddressInfo).port;
      const store = new S3FileStore(s3Settings('evidence-slow', { endpoint: `http://127.0.0.1:${port}` }), dir, {
        timeoutMs: 300,
      });
      opened.push(store);
      const t0 = Date.now();
      await expect(store.has(sm3(Buffer.from('a')))).rejects.toMatchObject({
        status: 504,
        code: 'Timeout',
        message: expect.stringContaining('HEAD evidence/'),
      });
      await expect(store.open(sm3(Buffer.from('b')))).rejects.toMatchObject({
        status: 504,
        code: 'Timeout',
        message: expect.stringContaining('GET evidence/'),
      });
      expect(Date.now() - t0).toBeLessThan(5000);
      // a download that keeps moving but never ends stops at the transfer deadline
      const deadlined = new S3FileStore(s3Settings('evidence-slow', { endpoint: `http://127.0.0.1:${port}` }), dir, {
        timeoutMs: 300,
        transferDeadlineMs: 800,
      });
      opened.push(deadlined);
      const t1 = Date.now();
      const late = await deadlined.open(trickled).catch((e) => e);
      expect(late).toMatchObject({ status: 504, code: 'Timeout' });
      expect(String(late.message)).toContain('not done within 800 ms');
      expect(Date.now() - t1).toBeGreaterThanOrEqual(750);
      expect(Date.now() - t1).toBeLessThan(5000);
      expect(walk(dir)).toEqual([]); // the half-downloaded copy is gone
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => stalled.close(r));
    }
  });
});

describe('choosing the file store from configuration', () => {
  const S3_ENV = {
    RECTIFY_DATA_DIR: path.join(work, 'configured'),
    FILE_STORE: 's3',
    S3_ENDPOINT: 'http://127.0.0.1:9',
    S3_BUCKET: 'evidence-configured',
    S3_ACCESS_KEY_ID: S3RVER_KEY,
    S3_SECRET_ACCESS_KEY: S3RVER_KEY,
  };

  it('uses the local store by default and S3 when FILE_STORE=s3', async () => {
    const local = createFileStore(loadConfig({ RECTIFY_DATA_DIR: path.join(work, 'configured') }, work));
    expect(local).toBeInstanceOf(LocalFileStore);
    expect(local.kind).toBe('local');

    const config = loadConfig({ ...S3_ENV, S3_ENDPOINT: `${endpoint}/` }, work);
    expect(config.s3).toMatchObject({ endpoint, region: 'us-east-1', bucket: 'evidence-configured' });
    const store = createFileStore(config);
    expect(store).toBeInstanceOf(S3FileStore);
    expect(store.kind).toBe('s3');
    opened.push(store as S3FileStore);
    // and it really talks to the configured server
    const staged = await store.stage(Readable.from([Buffer.from('configured')]), 100);
    await staged.commit();
    expect(await listAll(store)).toEqual([staged.sm3]);
    expect(fs.existsSync(path.join(s3rverDir, 'evidence-configured'))).toBe(true);
  });

  it.each(['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'])(
    'refuses FILE_STORE=s3 without %s, naming it',
    (name) => {
      const env: NodeJS.ProcessEnv = { ...S3_ENV, [name]: '' };
      expect(() => loadConfig(env, work)).toThrow(ConfigError);
      expect(() => loadConfig(env, work)).toThrow(name);
    },
  );

  it('refuses an unknown FILE_STORE and an S3_ENDPOINT that is not an http(s) URL', () => {
    expect(() => loadConfig({ FILE_STORE: 'ftp' }, work)).toThrow(/FILE_STORE/);
    expect(() => loadConfig({ ...S3_ENV, S3_ENDPOINT: 'minio:9000' }, work)).toThrow(/S3_ENDPOINT/);
  });
});
