import { currentLang } from '../locales';

/** One row/column problem of an import or a validation error (problem+json `errors`). */
export interface FieldError {
  path?: string;
  row?: number;
  column?: string;
  message: string;
}

/** An RFC 9457 problem document from the server, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldError[];
  readonly body: Record<string, unknown>;

  constructor(status: number, code: string, detail: string, errors: FieldError[] = [], body = {}) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = errors;
    this.body = body;
  }

  /** The server's `current` record sent with a 409 CONFLICT_STALE. */
  get current(): unknown {
    return this.body.current;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

const BASE = '/api/v1';
let csrfToken: string | null = null;
type UnauthorizedHandler = (error: ApiError) => void;
let onUnauthorized: UnauthorizedHandler | null = null;

export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/**
 * Called when the server says the session is gone (401 SESSION_EXPIRED / UNAUTHENTICATED) or that an
 * account step is due first (PASSWORD_CHANGE_REQUIRED, TOTP_ENROLMENT_REQUIRED, TOTP_REQUIRED).
 */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null) {
  onUnauthorized = handler;
}

const SESSION_CODES = new Set(['SESSION_EXPIRED', 'UNAUTHENTICATED']);
/** The session is fine but an account step is due (password expired meanwhile, TOTP now required …). */
const RESTRICTION_CODES = new Set(['PASSWORD_CHANGE_REQUIRED', 'TOTP_ENROLMENT_REQUIRED', 'TOTP_REQUIRED']);

function headers(method: string, extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = { Accept: 'application/json, application/problem+json', 'X-Locale': currentLang() };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) h['X-CSRF-Token'] = csrfToken;
  return { ...h, ...extra };
}

function toApiError(status: number, body: unknown, fallback: string): ApiError {
  if (body && typeof body === 'object' && 'code' in body) {
    const b = body as Record<string, unknown>;
    return new ApiError(
      status,
      String(b.code),
      typeof b.detail === 'string' ? b.detail : fallback,
      Array.isArray(b.errors) ? (b.errors as FieldError[]) : [],
      b,
    );
  }
  return new ApiError(status, `HTTP_${status}`, fallback);
}

function networkError(): ApiError {
  const lang = currentLang();
  const detail =
    lang === 'en'
      ? 'Cannot reach the server; check the network and try again'
      : lang === 'zh-TW'
        ? '無法連線伺服器，請檢查網路後重試'
        : '无法连接服务器，请检查网络后重试';
  return new ApiError(0, 'NETWORK', detail);
}

function handleFailure(err: ApiError, path: string): never {
  // A failed sign-in is the login form's business; everything else means the session is gone.
  if (path.startsWith('/auth/login')) throw err;
  if ((err.status === 401 && SESSION_CODES.has(err.code)) || RESTRICTION_CODES.has(err.code)) onUnauthorized?.(err);
  throw err;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  signal?: AbortSignal;
}

export function withQuery(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/** JSON request to /api/v1; resolves to the parsed body, rejects with ApiError. */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers: headers(method, opts.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    signal: opts.signal,
  };
  if (opts.body !== undefined) init.body = JSON.stringify(opts.body);
  let res: Response;
  try {
    res = await fetch(BASE + withQuery(path, opts.query), init);
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw networkError();
  }
  const text = await res.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!res.ok) handleFailure(toApiError(res.status, body, res.statusText || `HTTP ${res.status}`), path);
  return body as T;
}

export const api = {
  get: <T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) =>
    request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body: body ?? {} }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body: body ?? {} }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/**
 * Multipart upload with progress (fetch cannot report upload progress; XMLHttpRequest can).
 * `onProgress` receives 0–100 for the bytes sent.
 */
export function upload<T>(path: string, file: File, onProgress?: (percent: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', BASE + path);
    xhr.withCredentials = false; // same origin: the cookie goes anyway
    for (const [k, v] of Object.entries(headers('POST'))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onerror = () => reject(networkError());
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as T);
      try {
        handleFailure(toApiError(xhr.status, body, xhr.statusText || `HTTP ${xhr.status}`), path);
      } catch (e) {
        reject(e);
      }
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** Downloads a file from /api/v1 (with the locale header and error handling) and saves it. */
export async function download(path: string, fallbackName: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(BASE + path, { credentials: 'same-origin', headers: headers('GET') });
  } catch {
    throw networkError();
  }
  if (!res.ok) {
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      body = null;
    }
    handleFailure(toApiError(res.status, body, res.statusText), path);
  }
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
