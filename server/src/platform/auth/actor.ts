import type { Locale } from '../../../../domain/errors.js';
import type { Permission, Role } from '../../../../domain/roles.js';
import type { AuditContext } from '../audit/audit.service.js';
import type { AppContext } from '../context.js';
import type { AccessMemo } from './access-cache.js';

/**
 * Why a signed-in user may do nothing yet but sort out their account:
 * password_change (first login or expired), mfa_pending (TOTP code not yet given), mfa_enrol (role
 * requires TOTP and none is enrolled).
 */
export type Restriction = 'password_change' | 'mfa_pending' | 'mfa_enrol' | null;

/** The caller, as every service method receives it first. */
export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  orgId: number;
  orgName: string;
  via: 'session' | 'token';
  sessionId: string | null;
  csrfToken: string | null;
  restriction: Restriction;
  totpEnabled: boolean;
  passwordChangedAt: number;
  /** Reads of scope data kept for the access epoch this request started at (absent: read every time). */
  access?: AccessMemo;
}

/**
 * Route access, declared on every /api/v1 route in `config.access`:
 * public (no login), session (signed in, even if restricted), user (any fully signed-in user),
 * or a permission of domain/roles.ts.
 */
export type Access = 'public' | 'session' | 'user' | Permission;

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    authProblem: 'expired' | null;
    locale: Locale;
    auditCtx: AuditContext;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    ctx: AppContext;
    routeTable: RouteEntry[];
  }
}
