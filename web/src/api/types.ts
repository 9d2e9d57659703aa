import type { DictionaryKind } from '../../../domain/dictionaries';
import type { OrgType, Permission, Role, ScopeKind, SupervisorLine } from '../../../domain/roles';

export type Restriction = 'password_change' | 'mfa_pending' | 'mfa_enrol' | null;

export interface Me {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  orgId: number;
  orgName: string;
  permissions: Permission[];
  restriction: Restriction;
  totpEnabled: boolean;
  csrfToken: string | null;
  passwordChangedAt: number;
}

export interface Organisation {
  id: number;
  parentId: number | null;
  code: string;
  name: string;
  shortName: string | null;
  type: OrgType | string;
  supervisorLine: SupervisorLine | string | null;
  sort: number;
  active: boolean;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  nextCursor: number | null;
}

export interface LiaisonLink {
  id: number;
  unitOrgId: number;
  unitName: string;
  supervisorOrgId: number;
  supervisorName: string;
  supervisorLine: string | null;
  categories: string[] | null;
  createdAt: number;
}

export interface User {
  id: number;
  username: string;
  displayName: string;
  orgId: number;
  orgName: string;
  role: Role;
  email: string | null;
  phone: string | null;
  disabled: boolean;
  totpEnabled: boolean;
  mustChangePassword: boolean;
  locked: boolean;
  passwordChangedAt: number;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface RoleInfo {
  role: Role;
  permissions: Permission[];
  scope: ScopeKind;
}

export { DICTIONARY_KINDS as DICT_KINDS } from '../../../domain/dictionaries';
export type DictKind = DictionaryKind;

export interface DictEntry {
  id: number;
  kind: DictKind;
  code: string;
  labelZhCn: string;
  labelZhTw: string;
  labelEn: string;
  sort: number;
  active: boolean;
  extra: Record<string, unknown> | null;
  version: number;
  updatedAt: number;
}

export interface CalendarDay {
  date: string;
  kind: 'holiday' | 'workday';
  note: string | null;
}

export interface Setting<V = Record<string, unknown>> {
  key: string;
  value: V;
  version: number;
}

export interface AuditRow {
  seq: number;
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
  hash: string;
}

export interface AuditVerify {
  ok: boolean;
  checked: number;
  /** chain: on a log of several chains (PostgreSQL), the chain the damage is on. */
  firstBad?: { position: number; seq: number; reason: string; chain?: number };
}

export interface ApiToken {
  id: number;
  name: string;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
}

export interface CreatedToken {
  id: number;
  name: string;
  prefix: string;
  token: string;
  createdAt: number;
  expiresAt: number | null;
}

export interface ImportAccounts {
  imported: number;
  accounts: { username: string; initialPassword: string }[];
}
