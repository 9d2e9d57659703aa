import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LOCALES, type Locale, negotiateLocale } from '../../../../domain/errors.js';
import { can, PERMISSIONS } from '../../../../domain/roles.js';
import type { Access } from '../auth/actor.js';
import { type AuthService, SESSION_COOKIE } from '../auth/auth.service.js';
import { AppError, invalid } from '../errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const ACCESS_VALUES = new Set<string>(['public', 'session', 'user', ...PERMISSIONS]);

function localeOf(request: FastifyRequest): Locale {
  const explicit = request.headers['x-locale'] ?? (request.cookies as Record<string, string | undefined>)?.rectify_lang;
  if (typeof explicit === 'string' && (LOCALES as readonly string[]).includes(explicit)) return explicit as Locale;
  return negotiateLocale(request.headers['accept-language']);
}

/**
 * The policy engine's front door. Every /api/v1 route must declare `config.access`; a route
 * without one stops the app from building. Each request is then authenticated (session cookie or
 * bearer token), checked against the route's access, and, for cookie writes, against CSRF.
 * Data scope (which records) is checked by the services through scope.ts.
 */
export function registerAccess(app: FastifyInstance, auth: AuthService): void {
  app.decorate('routeTable', []);
  app.decorateRequest('actor', null);
  app.decorateRequest('authProblem', null);
  app.decorateRequest('locale', 'zh-CN');
  app.decorateRequest('auditCtx', null as never);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1')) return;
    const access = route.config?.access;
    if (!access || !ACCESS_VALUES.has(access)) {
      throw new Error(`route ${route.method} ${route.url} declares no valid access policy (config.access)`);
    }
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      app.routeTable.push({ method, url: route.url, access });
    }
  });

  app.addHook('onRequest', async (request) => {
    request.locale = localeOf(request);
    request.auditCtx = { actorId: null, actorName: null, ip: request.ip, requestId: request.id };
    // Decided by the route that matched, never by the raw URL: `/%61pi/v1/audit` reaches the
    // `/api/v1/audit` route but does not start with '/api/v1'. Every /api/v1 route has an access value
    // (see onRoute above), so a route without one is not an /api/v1 route.
    const access = request.routeOptions.config?.access as Access | undefined;
    if (!access) return;
    const authz = request.headers.authorization;
    if (authz?.startsWith('Bearer ')) {
      request.actor = await auth.fromToken(authz.slice(7).trim());
    } else {
      const token = (request.cookies as Record<string, string | undefined>)?.[SESSION_COOKIE];
      if (token) {
        const r = await auth.fromSession(token);
        if (r === 'expired') request.authProblem = 'expired';
        else request.actor = r;
      }
    }
    if (request.actor) {
      request.auditCtx = { ...request.auditCtx, actorId: request.actor.userId, actorName: request.actor.username };
    }
    // Authorised here, before the body is parsed or validated: a caller who may not use the route
    // learns nothing about its input schema and costs no parsing.
    assertAccess(request, access);
  });

  // Text that no column can hold faithfully: PostgreSQL refuses NUL in text (a 500 otherwise), and a
  // lone surrogate would be stored as U+FFFD, silently different from what was sent.
  app.addHook('preValidation', async (request) => {
    if (!request.routeOptions.config?.access) return;
    for (const [part, value] of [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const) {
      const path = unsafeTextPath(value, part);
      if (path) throw invalid(`${path} contains a NUL character or broken Unicode`);
    }
  });

  // After validation, because coercion makes them: "Infinity" or "1e999" in a query, or 1e999 in a
  // JSON body, pass an integer schema without a maximum as Infinity, which the databases refuse.
  app.addHook('preHandler', async (request) => {
    if (!request.routeOptions.config?.access) return;
    for (const [part, value] of [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const) {
      const path = nonFinitePath(value, part);
      if (path) throw invalid(`${path} must be a finite number`);
    }
  });
}

/** The path of the first number that is not finite (±Infinity, NaN), or null. */
export function nonFinitePath(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (value === null || typeof value !== 'object' || depth > 32 || Buffer.isBuffer(value)) return null;
  for (const [k, v] of Object.entries(value)) {
    const found = nonFinitePath(v, `${path}.${k}`, depth + 1);
    if (found) return found;
  }
  return null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first string (value or key) with a NUL or a lone surrogate, or null. */
export function unsafeTextPath(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') || LONE_SURROGATE.test(value) ? path : null;
  if (value === null || typeof value !== 'object' || depth > 32 || Buffer.isBuffer(value)) return null;
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000') || LONE_SURROGATE.test(k)) return path;
    const found = unsafeTextPath(v, `${path}.${k}`, depth + 1);
    if (found) return found;
  }
  return null;
}

function assertAccess(request: FastifyRequest, access: Access): void {
  if (access === 'public') return;
  const actor = request.actor;
  if (!actor) throw new AppError(401, request.authProblem === 'expired' ? 'SESSION_EXPIRED' : 'UNAUTHENTICATED');
  if (actor.via === 'session' && !SAFE_METHODS.has(request.method)) {
    if (request.headers['x-csrf-token'] !== actor.csrfToken) throw new AppError(403, 'CSRF_FAILED');
  }
  if (access === 'session') return;
  if (actor.restriction === 'mfa_pending') throw new AppError(401, 'TOTP_REQUIRED');
  if (actor.restriction === 'password_change') throw new AppError(403, 'PASSWORD_CHANGE_REQUIRED');
  if (actor.restriction === 'mfa_enrol') throw new AppError(403, 'TOTP_ENROLMENT_REQUIRED');
  if (access === 'user') return;
  if (!can(actor.role, access)) throw new AppError(403, 'FORBIDDEN');
}
