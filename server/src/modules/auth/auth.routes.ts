import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ROLE_PERMISSIONS } from '../../../../domain/roles.js';
import type { Actor } from '../../platform/auth/actor.js';
import { type AuthService, SESSION_COOKIE } from '../../platform/auth/auth.service.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import {
  ApiToken,
  ChangePasswordBody,
  CreatedToken,
  CreateTokenBody,
  IdParams,
  LoginBody,
  Me,
  Ok,
  PasswordBody,
  TotpCodeBody,
  TotpSetup,
} from './auth.schemas.js';

function meOf(actor: Actor) {
  return {
    id: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    role: actor.role,
    orgId: actor.orgId,
    orgName: actor.orgName,
    permissions: [...ROLE_PERMISSIONS[actor.role]],
    restriction: actor.restriction,
    totpEnabled: actor.totpEnabled,
    csrfToken: actor.csrfToken,
    passwordChangedAt: actor.passwordChangedAt,
  };
}

export async function authRoutes(app: FastifyInstance, ctx: AppContext, auth: AuthService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const meta = (req: FastifyRequest) => ({ ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
  const setCookie = (reply: FastifyReply, token: string, expiresAt: number) =>
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: ctx.config.secureCookies,
      path: '/',
      expires: new Date(expiresAt),
    });
  const fresh = async (token: string) => {
    const actor = await auth.fromSession(token);
    if (!actor || actor === 'expired') throw new AppError(401, 'UNAUTHENTICATED');
    return meOf(actor);
  };

  r.post(
    '/auth/login',
    {
      config: { access: 'public', rateLimit: { max: ctx.config.loginRateLimitPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username and password; sets the session cookie',
        body: LoginBody,
        response: { 200: Me },
      },
    },
    async (req, reply) => {
      const { token, expiresAt } = await auth.login(req.auditCtx, req.body.username, req.body.password, meta(req));
      setCookie(reply, token, expiresAt);
      return fresh(token);
    },
  );

  r.post(
    '/auth/logout',
    {
      config: { access: 'session' },
      schema: { tags: ['auth'], summary: 'End the current session', response: { 200: Ok } },
    },
    async (req, reply) => {
      await auth.logout(req.actor!, req.auditCtx);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  r.get(
    '/auth/me',
    {
      config: { access: 'session' },
      schema: { tags: ['auth'], summary: 'The signed-in user, permissions and CSRF token', response: { 200: Me } },
    },
    async (req) => meOf(req.actor!),
  );

  r.post(
    '/auth/password',
    {
      config: { access: 'session' },
      schema: {
        tags: ['auth'],
        summary: 'Change own password (ends all other sessions)',
        body: ChangePasswordBody,
        response: { 200: Me },
      },
    },
    async (req, reply) => {
      if (req.actor!.via !== 'session') throw new AppError(403, 'FORBIDDEN');
      const { token, expiresAt } = await auth.changePassword(
        req.actor!,
        req.auditCtx,
        req.body.currentPassword,
        req.body.newPassword,
        meta(req),
      );
      setCookie(reply, token, expiresAt);
      return fresh(token);
    },
  );

  r.post(
    '/auth/totp/setup',
    {
      config: { access: 'session' },
      schema: { tags: ['auth'], summary: 'Start TOTP enrolment: a new secret to scan', response: { 200: TotpSetup } },
    },
    async (req) => {
      if (req.actor!.via !== 'session') throw new AppError(403, 'FORBIDDEN'); // the second factor is a person's
      if (req.actor!.restriction === 'mfa_pending' || req.actor!.restriction === 'password_change')
        throw new AppError(403, 'FORBIDDEN');
      return auth.totpSetup(req.actor!, req.auditCtx);
    },
  );

  r.post(
    '/auth/totp/enable',
    {
      config: { access: 'session' },
      schema: {
        tags: ['auth'],
        summary: 'Finish TOTP enrolment with a first code',
        body: TotpCodeBody,
        response: { 200: Ok },
      },
    },
    async (req) => {
      if (req.actor!.via !== 'session') throw new AppError(403, 'FORBIDDEN');
      if (req.actor!.restriction === 'mfa_pending' || req.actor!.restriction === 'password_change')
        throw new AppError(403, 'FORBIDDEN');
      await auth.totpEnable(req.actor!, req.auditCtx, req.body.code);
      return { ok: true as const };
    },
  );

  r.post(
    '/auth/totp/verify',
    {
      config: { access: 'session' },
      schema: {
        tags: ['auth'],
        summary: 'Give the TOTP code after the password',
        body: TotpCodeBody,
        response: { 200: Me },
      },
    },
    async (req) => {
      await auth.totpVerify(req.actor!, req.auditCtx, req.body.code);
      const actor = await auth.fromSession((req.cookies as Record<string, string>)[SESSION_COOKIE]!);
      if (!actor || actor === 'expired') throw new AppError(401, 'UNAUTHENTICATED');
      return meOf(actor);
    },
  );

  r.post(
    '/auth/totp/disable',
    {
      config: { access: 'user' },
      schema: {
        tags: ['auth'],
        summary: 'Turn TOTP off (not where the role requires it)',
        body: PasswordBody,
        response: { 200: Ok },
      },
    },
    async (req) => {
      if (req.actor!.via !== 'session') throw new AppError(403, 'FORBIDDEN');
      await auth.totpDisable(req.actor!, req.auditCtx, req.body.password);
      return { ok: true as const };
    },
  );

  r.get(
    '/auth/tokens',
    {
      config: { access: 'user' },
      schema: {
        tags: ['auth'],
        summary: 'My personal API tokens',
        response: { 200: Type.Object({ items: Type.Array(ApiToken) }) },
      },
    },
    async (req) => ({ items: await auth.repo.listTokens(ctx.db, req.actor!.userId) }),
  );

  r.post(
    '/auth/tokens',
    {
      config: { access: 'user' },
      schema: {
        tags: ['auth'],
        summary: 'Create a personal API token (shown once)',
        body: CreateTokenBody,
        response: { 201: CreatedToken },
      },
    },
    async (req, reply) => {
      // A token cannot mint tokens: only a person at a session can.
      if (req.actor!.via !== 'session') throw new AppError(403, 'FORBIDDEN');
      reply.status(201);
      return auth.createToken(req.actor!, req.auditCtx, req.body.name, req.body.expiresInDays ?? null);
    },
  );

  r.delete(
    '/auth/tokens/:id',
    {
      config: { access: 'user' },
      schema: { tags: ['auth'], summary: 'Revoke one of my tokens', params: IdParams, response: { 200: Ok } },
    },
    async (req) => {
      await auth.revokeToken(req.actor!, req.auditCtx, req.params.id);
      return { ok: true as const };
    },
  );
}
