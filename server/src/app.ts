import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import helmet from 'helmet';
import { negotiateLocale } from '../../domain/errors.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { DisclosureService } from './modules/disclosure/disclosure.service.js';
import { registerSite } from './modules/disclosure/disclosure.site.js';
import { registerModules } from './modules/index.js';
import { SettingsService } from './modules/settings/settings.service.js';
import { registerAccess } from './platform/access/access.plugin.js';
import { AuditService } from './platform/audit/audit.service.js';
import { AuthService } from './platform/auth/auth.service.js';
import { type Clock, systemClock } from './platform/clock.js';
import type { AppContext } from './platform/context.js';
import { type CryptoProvider, createCryptoProvider } from './platform/crypto.js';
import { AppError, ProblemSchema, problem, registerErrorHandling } from './platform/errors.js';
import { createFileStore } from './platform/files/index.js';
import { lazySchemas } from './platform/lazy-schemas.js';
import { Scheduler } from './platform/scheduler/index.js';

const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export interface BuildOptions {
  config: Config;
  database: Database;
  clock?: Clock;
  crypto?: CryptoProvider;
  logger?: boolean | object;
  serveWeb?: boolean;
}

/** Builds the app: plugins → access → modules → error handler. Does not listen. */
export async function buildApp(opts: BuildOptions) {
  const { config, database } = opts;
  const clock = opts.clock ?? systemClock;
  const crypto = opts.crypto ?? createCryptoProvider(config.masterKey);

  const requestIdPrefix = `${crypto.randomToken(6)}-`;
  let requestCount = 0;
  const schemas = lazySchemas();
  const app = Fastify({
    // Each route's validators and serializers are compiled on its first use, not at boot.
    schemaController: { compilersFactory: schemas.compilersFactory },
    logger: opts.logger ?? false,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    requestIdHeader: false,
    // Unique per process (a random prefix) and per request (a counter): request ids tie log lines
    // and audit rows together, they guard nothing, so they need no random bytes of their own.
    genReqId: () => `${requestIdPrefix}${(++requestCount).toString(36)}`,
    // Errors Fastify raises before routing (a broken percent-encoding, an over-long parameter) leave
    // as problem documents too, in the caller's language.
    frameworkErrors: (err, req, reply) => {
      const locale = negotiateLocale(req.headers['accept-language']);
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
      const detail = locale === 'en' ? 'malformed request' : locale === 'zh-TW' ? '請求格式錯誤' : '请求格式错误';
      const body = problem(
        status,
        'VALIDATION_FAILED',
        locale,
        { detail },
        (req.url ?? '').split('?')[0] ?? '',
        req.id,
      );
      (reply as FastifyReply).status(status).type('application/problem+json').send(body);
    },
    ajv: {
      customOptions: {
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
        allErrors: false,
        // Multipart bodies are described for the OpenAPI document only (no `type`: the stream is read
        // and checked by the handler); Ajv's type strictness would warn about each of them at boot.
        strictTypes: false,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const audit = new AuditService(database.db, database.dialect, crypto, clock);
  const ctx: AppContext = {
    config,
    db: database.db,
    dialect: database.dialect,
    sqlite: database.sqlite,
    crypto,
    clock,
    audit,
    settings: null as never,
    files: createFileStore(config),
  };
  ctx.settings = new SettingsService(database.db, config, crypto, clock, audit);
  await audit.ensureHeads();
  app.decorate('ctx', ctx);
  app.decorate('compileAllSchemas', schemas.compileAll);
  // Jobs are registered by the modules (app.scheduler.register); main.ts starts the ticking.
  const scheduler = new Scheduler(ctx);
  app.decorate('scheduler', scheduler);
  app.addHook('onClose', async () => scheduler.stop());

  app.addSchema(ProblemSchema);
  const webShell = opts.serveWeb !== false && fs.existsSync(path.join(WEB_DIST, 'index.html'));
  registerErrorHandling(app, webShell);

  await app.register(cookie);
  // Security headers (helmet), built once: the Fastify plugin builds the middleware, CSP parsing
  // included, again for every request (a visible share of a small request in the bench's profile).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      // Air-gapped 政务内网: every asset comes from the app itself.
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"], // Ant Design injects its CSS-in-JS styles
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: config.secureCookies,
  });
  app.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)),
  );
  await app.register(rateLimit, {
    global: true,
    max: config.apiRateLimitPerMinute,
    timeWindow: 60_000,
    // Decided by the matched route, not the raw URL: '/%61pi/v1/auth/login' is the login route too.
    allowList: (req) => {
      const route = req.routeOptions.url;
      // The public disclosure site (/gongkai) is limited like the API: it is open to anyone.
      return route !== undefined && !route.startsWith('/api/') && !route.startsWith('/gongkai');
    },
    errorResponseBuilder: (_req, ctx) =>
      new AppError(429, 'RATE_LIMITED', {}, { retryAfter: Math.ceil(ctx.ttl / 1000) }),
  });
  await app.register(multipart, {
    limits: { fileSize: config.uploadMaxBytes, files: 20, fields: 50, fieldSize: 1024 * 1024 },
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Rectify · 巡察整改监督系统 API', version: '1' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'rectify_session' },
          bearer: { type: 'http', scheme: 'bearer', description: 'Personal API token (rct_…)' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => (json.$id as string) || `def-${i}` },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  // Every /api/v1 route documents the problem responses it can give.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1')) return;
    route.schema ??= {};
    const schema = route.schema as { response?: Record<string, unknown> };
    schema.response ??= {};
    const response = schema.response;
    const codes =
      route.config?.access === 'public'
        ? ['400', '429', '500', '503']
        : ['400', '401', '403', '404', '409', '429', '500', '503'];
    for (const code of codes) response[code] ??= { $ref: 'Problem#', description: 'application/problem+json' };
  });

  const auth = new AuthService(ctx);
  registerAccess(app, auth);

  app.get('/api/health', { schema: { hide: true } }, async () => ({ status: 'ok', db: database.dialect }));
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(async (v1) => registerModules(v1, ctx, auth), { prefix: '/api/v1' });
  // 整改公开: the server-rendered public site at /gongkai (outside /api/v1, before the SPA fallback).
  registerSite(app, new DisclosureService(ctx));

  if (webShell) {
    await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: false, index: ['index.html'] });
  }

  return app as unknown as FastifyInstance;
}
