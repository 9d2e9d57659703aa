/** Password policy (SPEC §4): length and character classes, configurable by the security administrator. */
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

export function meetsPolicy(pw: string, policy: PasswordPolicy): boolean {
  return [...pw].length >= policy.minLength && passwordClasses(pw) >= policy.minClasses && pw.length <= 128;
}
