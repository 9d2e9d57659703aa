import { type APIRequestContext, request } from 'playwright-core';

/** A signed-in API session (cookie + CSRF token) for setting up data quickly. */
export interface ApiSession {
  ctx: APIRequestContext;
  call<T = any>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function apiLogin(baseURL: string, username: string, password: string): Promise<ApiSession> {
  const ctx = await request.newContext({ baseURL });
  let csrf = '';
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await ctx.fetch(`/api/v1${path}`, {
      method,
      headers: {
        'X-CSRF-Token': csrf,
        'X-Locale': 'en',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      data: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok()) throw new Error(`${method} ${path} → ${res.status()} ${text}`);
    const json = text ? JSON.parse(text) : null;
    if (json && typeof json.csrfToken === 'string') csrf = json.csrfToken;
    return json as T;
  };
  await call('POST', '/auth/login', { username, password });
  return { ctx, call: call as ApiSession['call'], close: () => ctx.dispose() };
}

/** Signs in with a one-time password and replaces it; returns the session on the new password. */
export async function firstLogin(baseURL: string, username: string, oneTime: string, next: string) {
  const s = await apiLogin(baseURL, username, oneTime);
  await s.call('POST', '/auth/password', { currentPassword: oneTime, newPassword: next });
  return s;
}
