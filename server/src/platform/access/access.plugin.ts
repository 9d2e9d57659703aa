import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LOCALES, type Locale, negotiateLocale } from '../../../../domain/errors.js';
import { can, PERMISSIONS } from '../../../../domain/roles.js';
import type { Access } from '../auth/actor.js';
import { type AuthService, SESSION_COOKIE } from '../auth/auth.service.js';
import { AppError } from '../errors.js';

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
    if (!request.url.startsWith('/api/v1')) return;
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
  });

  app.addHook('preHandler', async (request) => {
    const access = request.routeOptions.config?.access as Access | undefined;
    if (!request.url.startsWith('/api/v1') || !access || access === 'public') return;
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
  });
}
