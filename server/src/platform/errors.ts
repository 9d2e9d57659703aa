import type { FastifyError, FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { type ErrorCode, errorMessage, type Locale } from '../../../domain/errors.js';

/** The one error type services throw. The handler below turns it into application/problem+json. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly params: Record<string, unknown> = {},
    /** Extra members of the problem document (row errors of an import, the current record of a 409 …). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

export const notFound = () => new AppError(404, 'NOT_FOUND');
export const forbidden = () => new AppError(403, 'FORBIDDEN');
export const invalid = (detail: string, extra: Record<string, unknown> = {}) =>
  new AppError(400, 'VALIDATION_FAILED', { detail }, extra);
export const stale = (current: unknown) => new AppError(409, 'CONFLICT_STALE', {}, { current });

/** RFC 9457 problem document; extra members allowed (errors, current …). */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable error code' }),
    detail: Type.String({ description: "Message in the request's language" }),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object(
          {
            path: Type.Optional(Type.String()),
            row: Type.Optional(Type.Integer()),
            column: Type.Optional(Type.String()),
            message: Type.String(),
          },
          { additionalProperties: true },
        ),
      ),
    ),
  },
  { $id: 'Problem', additionalProperties: true },
);

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The database cannot be reached (PostgreSQL restarting or shut down, the connection cut, the network
 * down): not a fault of the request nor a bug, so 503 with Retry-After rather than 500. SQLSTATE class
 * 08 is "connection exception"; 57P01–57P03 are an administrator's or a crash's shutdown and "cannot
 * connect now" while the database starts. A write cut off this way may or may not have committed:
 * the client finds out by reading again, as after any lost answer.
 */
export function isDatabaseUnavailable(err: { code?: unknown; message?: unknown }): boolean {
  const code = typeof err.code === 'string' ? err.code : '';
  if (/^(08...|57P0[123])$/.test(code)) return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) return true;
  // node-postgres reports a connection that ends under a query, a client used after that, and a pool
  // that cannot connect in time without a code.
  return (
    typeof err.message === 'string' &&
    /^(Connection terminated( unexpectedly)?|Client (was closed|has encountered a connection error) and is not queryable|timeout exceeded when trying to connect)$/.test(
      err.message,
    )
  );
}

function describeValidation(
  err: FastifyError,
  locale: Locale,
): { detail: string; errors: { path: string; message: string }[] } {
  const errors = (err.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: string })?.missingProperty;
    const extra = (v.params as { additionalProperty?: string })?.additionalProperty;
    const base = `${err.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`;
    const path = missing ? `${base}.${missing}` : extra ? `${base}.${extra}` : base;
    return { path, message: extra ? `unknown field ${extra}` : (v.message ?? 'invalid') };
  });
  const detail =
    errors.map((e) => `${e.path} ${e.message}`).join('; ') ||
    (locale === 'en' ? 'malformed request' : locale === 'zh-TW' ? '請求格式錯誤' : '请求格式错误');
  return { detail: detail.slice(0, 500), errors: errors.slice(0, 50) };
}

export function problem(
  status: number,
  code: ErrorCode,
  locale: Locale,
  params: Record<string, unknown>,
  instance: string,
  requestId: string,
  extra: Record<string, unknown> = {},
) {
  return {
    type: 'about:blank',
    title: STATUS_TITLES[status] ?? 'Error',
    status,
    code,
    detail: errorMessage(code, locale, params),
    instance,
    requestId,
    ...extra,
  };
}

const malformed = (locale: Locale) =>
  locale === 'en' ? 'malformed request' : locale === 'zh-TW' ? '請求格式錯誤' : '请求格式错误';

/** What the multipart parser (busboy) throws for a body that is not well-formed multipart. */
const MALFORMED_MULTIPART =
  /^(Unexpected end of (multipart data|form|file)|Multipart: Boundary not found|Malformed part header)/;

/** One handler for every error: stable codes, the user's language, never a stack trace or SQL. */
export function registerErrorHandling(app: FastifyInstance, webShell = false): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    const locale = request.locale;
    const url = request.url.split('?')[0] ?? '';
    const send = (status: number, code: ErrorCode, params: Record<string, unknown> = {}, extra = {}) =>
      reply
        .status(status)
        .type('application/problem+json')
        .send(problem(status, code, locale, params, url, request.id, extra));

    if (err instanceof AppError) {
      if (err.status === 429 && err.extra.retryAfter) reply.header('retry-after', String(err.extra.retryAfter));
      return send(err.status, err.code, err.params, err.extra);
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const { detail, errors } = describeValidation(fe, locale);
      return send(400, 'VALIDATION_FAILED', { detail }, { errors });
    }
    // An upload cut short or framed wrongly fails inside the multipart parser with a plain error;
    // it is the client's malformed request, not ours.
    if (
      (request as { isMultipart?: () => boolean }).isMultipart?.() &&
      (fe.code === 'ERR_STREAM_PREMATURE_CLOSE' || MALFORMED_MULTIPART.test(fe.message ?? ''))
    ) {
      return send(400, 'VALIDATION_FAILED', { detail: malformed(locale) });
    }
    const status = fe.statusCode ?? 500;
    if (status === 413 || fe.code === 'FST_REQ_FILE_TOO_LARGE' || fe.code === 'FST_FILES_LIMIT')
      return send(413, 'PAYLOAD_TOO_LARGE');
    if (status === 415) return send(415, 'UNSUPPORTED_MEDIA_TYPE');
    if (status === 429) return send(429, 'RATE_LIMITED');
    if (status >= 400 && status < 500) {
      // Malformed JSON, bad content length, multipart errors …: the client's fault, said plainly.
      return send(status === 404 ? 404 : 400, status === 404 ? 'ROUTE_NOT_FOUND' : 'VALIDATION_FAILED', {
        detail: malformed(locale),
      });
    }
    if (isDatabaseUnavailable(fe)) {
      request.log.warn({ err }, 'database unavailable');
      reply.header('retry-after', '5');
      return send(503, 'DATABASE_UNAVAILABLE');
    }
    request.log.error({ err }, 'unhandled error');
    return send(500, 'INTERNAL', { requestId: request.id });
  });

  // Unknown /api paths answer a problem document; with the web app present, other GETs fall back to
  // its shell so that client-side routes survive a reload.
  app.setNotFoundHandler((request, reply) => {
    if (webShell && request.method === 'GET' && !request.url.startsWith('/api/')) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply
      .status(404)
      .type('application/problem+json')
      .send(problem(404, 'ROUTE_NOT_FOUND', request.locale, {}, request.url.split('?')[0] ?? '', request.id));
  });
}
