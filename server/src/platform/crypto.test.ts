import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCryptoProvider } from './crypto.js';

const KEY = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const provider = createCryptoProvider(KEY, { pbkdf2Iterations: 1000 });

describe('SM3 (GB/T 32905)', () => {
  it('gives the standard vector for "abc"', () => {
    expect(provider.sm3('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('gives the standard vector for the 64-byte message "abcd" × 16', () => {
    expect(provider.sm3('abcd'.repeat(16))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('keys HMAC-SM3: another key or another message gives another MAC', () => {
    const k1 = Buffer.alloc(32, 1);
    const k2 = Buffer.alloc(32, 2);
    const mac = provider.hmacSm3(k1, 'message');
    expect(mac).toMatch(/^[0-9a-f]{64}$/);
    expect(provider.hmacSm3(k1, 'message')).toBe(mac);
    expect(provider.hmacSm3(k2, 'message')).not.toBe(mac);
    expect(provider.hmacSm3(k1, 'messagf')).not.toBe(mac);
  });
});

describe('SM4 block cipher (GB/T 32907)', () => {
  it('passes the standard one-block vector that the sealing builds on', () => {
    const k = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const c = crypto.createCipheriv('sm4-ecb', k, null).setAutoPadding(false);
    const out = Buffer.concat([c.update(k), c.final()]);
    expect(out.toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
  });
});

describe('PBKDF2-HMAC-SM3 passwords', () => {
  it('verifies the password it hashed and refuses a wrong one', () => {
    const stored = provider.hashPassword('Correct-Horse-9');
    expect(stored).toMatch(/^pbkdf2-sm3\$1000\$/);
    expect(provider.verifyPassword('Correct-Horse-9', stored)).toBe(true);
    expect(provider.verifyPassword('Correct-Horse-8', stored)).toBe(false);
    expect(provider.verifyPassword('correct-horse-9', stored)).toBe(false);
    expect(provider.verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash, and treats composed and decomposed Unicode alike', () => {
    const a = provider.hashPassword('密码-Pass1');
    const b = provider.hashPassword('密码-Pass1');
    expect(a).not.toBe(b);
    expect(provider.verifyPassword('密码-Pass1', b)).toBe(true);
    const composed = provider.hashPassword('Caf\u00e9-Pass1');
    expect(provider.verifyPassword('Cafe\u0301-Pass1', composed)).toBe(true);
  });

  it('refuses stored values of another algorithm or a damaged format', () => {
    const stored = provider.hashPassword('Correct-Horse-9');
    const [, iter, salt, hash] = stored.split('$');
    expect(provider.verifyPassword('Correct-Horse-9', `pbkdf2-sha256$${iter}$${salt}$${hash}`)).toBe(false);
    expect(provider.verifyPassword('Correct-Horse-9', `pbkdf2-sm3$${iter}$${salt}`)).toBe(false);
    expect(provider.verifyPassword('Correct-Horse-9', '')).toBe(false);
    const other = Buffer.from(hash!, 'base64');
    other[0]! ^= 1;
    expect(provider.verifyPassword('Correct-Horse-9', `pbkdf2-sm3$${iter}$${salt}$${other.toString('base64')}`)).toBe(
      false,
    );
  });
});

describe('SM4-CTR + HMAC-SM3 sealing (encrypt-then-MAC)', () => {
  const texts = ['', 'x', '问题线索：某局长违规收受礼金 ¥12,345.67', 'a'.repeat(10_000), '😀 \u202e RTL'];

  it('opens what it sealed, for empty, short, long and non-ASCII text', () => {
    for (const text of texts) {
      const sealed = provider.encrypt(text, 'clue:42');
      expect(provider.decrypt(sealed, 'clue:42')).toBe(text);
      if (text.length > 4) expect(sealed).not.toContain(text);
    }
  });

  it('seals the same text differently every time', () => {
    const a = provider.encrypt('same text', 'clue:1');
    const b = provider.encrypt('same text', 'clue:1');
    expect(a).not.toBe(b);
    expect(a.split('.')[5]).not.toBe(b.split('.')[5]); // the ciphertext itself differs, not only the IVs
  });

  it('refuses another context, another master key, and a damaged format', () => {
    const sealed = provider.encrypt('secret', 'clue:1');
    expect(() => provider.decrypt(sealed, 'clue:2')).toThrow();
    expect(() => provider.decrypt(sealed, '')).toThrow();
    const other = createCryptoProvider(Buffer.alloc(32, 7), { pbkdf2Iterations: 1000 });
    expect(() => other.decrypt(sealed, 'clue:1')).toThrow();
    expect(() => provider.decrypt(sealed.split('.').slice(0, 6).join('.'), 'clue:1')).toThrow();
    expect(() => provider.decrypt(`v2${sealed.slice(2)}`, 'clue:1')).toThrow();
    expect(() => provider.decrypt(`${sealed}.`, 'clue:1')).toThrow();
  });

  it('refuses the sealed text with any single bit flipped, in any character', () => {
    const sealed = provider.encrypt('问题线索 secret', 'clue:7');
    let tried = 0;
    for (let i = 0; i < sealed.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped =
          sealed.slice(0, i) + String.fromCharCode(sealed.charCodeAt(i) ^ (1 << bit)) + sealed.slice(i + 1);
        let opened: string | null = null;
        try {
          opened = provider.decrypt(flipped, 'clue:7');
        } catch {
          opened = null;
        }
        expect(opened, `bit ${bit} of character ${i} ('${sealed[i]}') flipped`).toBeNull();
        tried++;
      }
    }
    expect(tried).toBe(sealed.length * 8);
  });

  it('refuses the sealed bytes with any single bit flipped in any part', () => {
    const sealed = provider.encrypt('another secret', 'clue:8');
    const parts = sealed.split('.');
    let tried = 0;
    for (let p = 1; p < parts.length; p++) {
      const bytes = Buffer.from(parts[p]!, 'base64');
      for (let i = 0; i < bytes.length; i++) {
        for (let bit = 0; bit < 8; bit++) {
          const copy = Buffer.from(bytes);
          copy[i]! ^= 1 << bit;
          const damaged = [...parts.slice(0, p), copy.toString('base64'), ...parts.slice(p + 1)].join('.');
          expect(() => provider.decrypt(damaged, 'clue:8'), `part ${p} byte ${i} bit ${bit}`).toThrow();
          tried++;
        }
      }
    }
    expect(tried).toBeGreaterThan(1000);
  });
});

describe('keys and tokens', () => {
  it('derives a distinct 32-byte subkey per purpose, stable for one master key', () => {
    const a = provider.subkey('audit-chain');
    expect(a).toHaveLength(32);
    expect(provider.subkey('audit-chain').equals(a)).toBe(true);
    expect(provider.subkey('api-token').equals(a)).toBe(false);
    expect(createCryptoProvider(Buffer.alloc(32, 9)).subkey('audit-chain').equals(a)).toBe(false);
  });

  it('makes random URL-safe tokens of the asked size', () => {
    const t = provider.randomToken(32);
    expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    expect(t).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(provider.randomToken(32)).not.toBe(t);
  });

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => createCryptoProvider(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});
