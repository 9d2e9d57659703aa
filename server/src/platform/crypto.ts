import crypto from 'node:crypto';

/**
 * The one place cryptography happens (SPEC §4, GB/T 39786-minded). Everything is Node's own
 * OpenSSL 3: SM3 hashes and HMAC-SM3, PBKDF2-HMAC-SM3 for passwords, SM4-CTR + HMAC-SM3
 * (encrypt-then-MAC) with a per-record data key wrapped by the master key. A certified crypto
 * server can replace this provider without touching callers.
 */
export interface CryptoProvider {
  sm3(data: Buffer | string): string;
  hmacSm3(key: Buffer, data: Buffer | string): string;
  hashPassword(password: string): string;
  verifyPassword(password: string, stored: string): boolean;
  encrypt(plain: string, context: string): string;
  decrypt(sealed: string, context: string): string;
  randomToken(bytes?: number): string;
  /** A key derived from the master key for one purpose (audit chain, token hashing …). */
  subkey(purpose: string): Buffer;
}

const PBKDF2_ITERATIONS = 100_000;

export function createCryptoProvider(masterKey: Buffer, opts: { pbkdf2Iterations?: number } = {}): CryptoProvider {
  if (masterKey.length !== 32) throw new Error('master key must be 32 bytes');
  const iterations = opts.pbkdf2Iterations ?? PBKDF2_ITERATIONS;
  // Derived once per purpose: the session check derives its key on every request otherwise (HKDF
  // was the largest single cost of a small request in the bench's profile). Copies go out, so a
  // caller that changes its buffer cannot change the key of the next.
  const derived = new Map<string, Buffer>();
  const subkey = (purpose: string) => {
    let key = derived.get(purpose);
    if (!key) {
      key = Buffer.from(crypto.hkdfSync('sm3', masterKey, Buffer.alloc(0), `rectify:${purpose}`, 32));
      derived.set(purpose, key);
    }
    return Buffer.from(key);
  };
  const wrapKey = subkey('sm4-wrap').subarray(0, 16);
  const wrapMacKey = subkey('sm4-wrap-mac');

  const sm4ctr = (key: Buffer, iv: Buffer, data: Buffer) => {
    const c = crypto.createCipheriv('sm4-ctr', key, iv);
    return Buffer.concat([c.update(data), c.final()]);
  };
  const mac = (key: Buffer, ...parts: Buffer[]) => {
    const h = crypto.createHmac('sm3', key);
    for (const p of parts) h.update(p);
    return h.digest();
  };

  return {
    sm3: (data) => crypto.createHash('sm3').update(data).digest('hex'),
    hmacSm3: (key, data) => crypto.createHmac('sm3', key).update(data).digest('hex'),
    hashPassword(password) {
      const salt = crypto.randomBytes(16);
      const dk = crypto.pbkdf2Sync(password.normalize('NFC'), salt, iterations, 32, 'sm3');
      // The algorithm and its cost are stored with each hash so they can be raised later.
      return `pbkdf2-sm3$${iterations}$${salt.toString('base64')}$${dk.toString('base64')}`;
    },
    verifyPassword(password, stored) {
      const [alg, iter, salt, hash] = stored.split('$');
      if (alg !== 'pbkdf2-sm3' || !iter || !salt || !hash) return false;
      const expected = Buffer.from(hash, 'base64');
      const dk = crypto.pbkdf2Sync(password.normalize('NFC'), Buffer.from(salt, 'base64'), Number(iter), 32, 'sm3');
      return dk.length === expected.length && crypto.timingSafeEqual(dk, expected);
    },
    encrypt(plain, context) {
      // Fresh data key per record (SM4-128) and its MAC key, both wrapped by the master key.
      const dataKey = crypto.randomBytes(32);
      const iv = crypto.randomBytes(16);
      const body = sm4ctr(dataKey.subarray(0, 16), iv, Buffer.from(plain, 'utf8'));
      const wrapIv = crypto.randomBytes(16);
      const wrapped = sm4ctr(wrapKey, wrapIv, dataKey);
      const wrappedMac = mac(wrapMacKey, wrapIv, wrapped);
      const tag = mac(dataKey.subarray(16), Buffer.from(context), iv, body);
      return ['v1', wrapIv, wrapped, wrappedMac, iv, body, tag]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64')))
        .join('.');
    },
    decrypt(sealed, context) {
      const parts = sealed.split('.');
      if (parts.length !== 7 || parts[0] !== 'v1') throw new Error('sealed value has a bad format');
      const [wrapIv, wrapped, wrappedMac, iv, body, tag] = parts.slice(1).map((p) => {
        // Only the exact encoding we wrote: Node's base64 decoder skips stray characters and ignores
        // the spare bits of the last one, so a changed sealed value could otherwise still open.
        const bytes = Buffer.from(p, 'base64');
        if (bytes.toString('base64') !== p) throw new Error('sealed value has a bad format');
        return bytes;
      });
      if (!crypto.timingSafeEqual(mac(wrapMacKey, wrapIv, wrapped), wrappedMac)) throw new Error('key MAC mismatch');
      const dataKey = sm4ctr(wrapKey, wrapIv, wrapped);
      const expected = mac(dataKey.subarray(16), Buffer.from(context), iv, body);
      if (expected.length !== tag.length || !crypto.timingSafeEqual(expected, tag)) throw new Error('MAC mismatch');
      return sm4ctr(dataKey.subarray(0, 16), iv, body).toString('utf8');
    },
    randomToken: (bytes = 32) => crypto.randomBytes(bytes).toString('base64url'),
    subkey,
  };
}
