import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD_POLICY, meetsPolicy, normaliseUsername, passwordClasses } from './password.js';

const policy = DEFAULT_PASSWORD_POLICY;

describe('password policy', () => {
  it('never accepts a password shorter than the minimum or with too few classes (10,000 generated)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20, unit: 'binary' }), (pw) => {
        if (meetsPolicy(pw, policy)) {
          expect([...pw].length).toBeGreaterThanOrEqual(policy.minLength);
          expect(passwordClasses(pw)).toBeGreaterThanOrEqual(policy.minClasses);
        }
      }),
      { numRuns: 10_000 },
    );
  });

  it('refuses common passwords and passwords containing the username', () => {
    expect(meetsPolicy('P@ssw0rd', policy)).toBe(false);
    expect(meetsPolicy('Admin@123', policy)).toBe(false);
    expect(meetsPolicy('Zhangsan#2026', policy, 'zhangsan')).toBe(false);
    expect(meetsPolicy('Qiu-Shui#2026', policy, 'zhangsan')).toBe(true);
  });

  it('treats usernames that differ only in case, width or Unicode form as one', () => {
    expect(normaliseUsername('Admin')).toBe('admin');
    expect(normaliseUsername('ａｄｍｉｎ')).toBe('admin');
    expect(normaliseUsername(' admin ')).toBe('admin');
  });
});
