/**
 * Password policy (SPEC §4, GB/T 22239 身份鉴别): length and character classes (configurable by the
 * security administrator), not containing the username, not a commonly used password.
 */
export interface PasswordPolicy {
  minLength: number;
  minClasses: number;
  maxAgeDays: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 8, minClasses: 3, maxAgeDays: 90 };

export function passwordClasses(pw: string): number {
  let n = 0;
  if (/[a-z]/.test(pw)) n++;
  if (/[A-Z]/.test(pw)) n++;
  if (/[0-9]/.test(pw)) n++;
  if (/[^A-Za-z0-9]/.test(pw)) n++;
  return n;
}

/**
 * Passwords seen most often in leaks that would still pass a 3-of-4-classes rule, compared
 * case-insensitively (a short list kept in the code: the system runs air-gapped).
 */
const COMMON = new Set(
  [
    'Password1!',
    'Password123',
    'Password@123',
    'P@ssw0rd',
    'P@ssword1',
    'P@55w0rd',
    'Passw0rd!',
    'Admin@123',
    'Admin123!',
    'Abc@1234',
    'Abc12345!',
    'Aa123456',
    'Aa123456!',
    'Qwer1234!',
    'Qwerty123!',
    'Qwe123!@#',
    'Welcome1!',
    'Welcome@123',
    'Changeme1!',
    'Root@123',
    'Test@123',
    'Zxcv1234!',
    'Asdf1234!',
    'Woaini520!',
    'Rectify@123',
  ].map((p) => p.toLowerCase()),
);

/** Usernames are unique after NFKC, trimming and lower case: `Admin`, `ａｄｍｉｎ` and `admin` are one. */
export function normaliseUsername(u: string): string {
  return u.normalize('NFKC').trim().toLowerCase();
}

export function meetsPolicy(pw: string, policy: PasswordPolicy, username?: string): boolean {
  if ([...pw].length < policy.minLength || pw.length > 128 || passwordClasses(pw) < policy.minClasses) return false;
  if (COMMON.has(pw.toLowerCase())) return false;
  if (
    username &&
    normaliseUsername(username).length >= 3 &&
    pw.normalize('NFKC').toLowerCase().includes(normaliseUsername(username))
  ) {
    return false;
  }
  return true;
}
