import type { Generated } from 'kysely';

/**
 * Table types, in camelCase (the CamelCasePlugin maps to snake_case columns). Modules add their own
 * tables by augmenting this interface from their repository file:
 *   declare module '../../db/types.js' { interface DB { rounds: RoundTable } }
 * Timestamps are epoch milliseconds; dates are 'YYYY-MM-DD'; booleans are 0/1 on both dialects.
 */
export interface DB {
  organisations: OrganisationTable;
  liaisonLinks: LiaisonLinkTable;
  users: UserTable;
  sessions: SessionTable;
  accessEpoch: AccessEpochTable;
  apiTokens: ApiTokenTable;
  loginThrottle: LoginThrottleTable;
  dictionaries: DictionaryTable;
  calendarDays: CalendarDayTable;
  settings: SettingTable;
  auditLog: AuditLogTable;
  auditHead: AuditHeadTable;
}

export interface OrganisationTable {
  id: Generated<number>;
  parentId: number | null;
  code: string;
  name: string;
  shortName: string | null;
  type: string;
  supervisorLine: string | null;
  sort: number;
  active: number;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface LiaisonLinkTable {
  id: Generated<number>;
  unitOrgId: number;
  supervisorOrgId: number;
  /** Comma-separated problem-category codes this supervisor follows at this unit; null = all. */
  categories: string | null;
  createdAt: number;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  displayName: string;
  orgId: number;
  role: string;
  email: string | null;
  phone: string | null;
  passwordHash: string;
  passwordChangedAt: number;
  mustChangePassword: number;
  totpSecret: string | null; // SM4-sealed
  totpEnabled: number;
  disabled: number;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface SessionTable {
  id: string; // SM3 of the cookie token: a stolen database does not yield live cookies
  userId: number;
  csrfToken: string;
  mfaPending: number;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number; // absolute lifetime
  revokedAt: number | null;
  ip: string | null;
  userAgent: string | null;
}

/** One row (id 1): moved by triggers whenever a session, user, organisation or liaison link changes. */
export interface AccessEpochTable {
  id: number;
  epoch: number;
}

export interface ApiTokenTable {
  id: Generated<number>;
  userId: number;
  name: string;
  tokenHash: string;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
}

export interface LoginThrottleTable {
  username: string; // also for names that have no account, so that the answers are the same
  failures: number;
  lockedUntil: number | null;
  lastFailureAt: number;
}

export interface DictionaryTable {
  id: Generated<number>;
  kind: string;
  code: string;
  labelZhCn: string;
  labelZhTw: string;
  labelEn: string;
  sort: number;
  active: number;
  extra: string | null; // JSON
  version: number;
  updatedAt: number;
}

export interface CalendarDayTable {
  date: string;
  kind: string; // holiday | workday (调休上班)
  note: string | null;
}

export interface SettingTable {
  key: string;
  value: string; // JSON
  version: number;
  updatedAt: number;
  updatedBy: number | null;
}

export interface AuditLogTable {
  seq: number;
  /** The hash chain the row is on (1 for rows written before chains). */
  chain: Generated<number>;
  at: number;
  actorId: number | null;
  actorName: string | null;
  ip: string | null;
  requestId: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  before: string | null;
  after: string | null;
  result: string;
  prevHash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  mac: string;
}

import './ledger-types.js';
import './progress-types.js';
import './supervision-types.js';
import './handover-types.js';
import './clues-types.js';
import './meetings-types.js';
import './surveys-types.js';
import './evaluation-types.js';
import './notices-types.js';
import './reports-types.js';
import './disclosure-types.js';
