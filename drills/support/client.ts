// biome-ignore lint/suspicious/noExplicitAny: answers are JSON whose shape each drill checks itself
export type Json = any;

/** A browser-like HTTP client over fetch: keeps the session cookie and sends the CSRF token on writes. */
export interface Answer<T = Json> {
  status: number;
  body: T;
  text: string;
  ms: number;
  /** A network failure (connection refused or reset): status 0. */
  error?: string;
}

export class Client {
  cookie = '';
  csrf = '';
  constructor(
    public baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async request<T = Json>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}) {
    const h: Record<string, string> = { 'accept-language': 'en', ...this.headers, ...extra };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      h['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const t0 = performance.now();
    try {
      const res = await fetch(`${this.baseUrl}${path}`, { method, headers: h, body: payload });
      const text = await res.text();
      const ms = performance.now() - t0;
      for (const c of res.headers.getSetCookie()) {
        const m = /^rectify_session=([^;]*)/.exec(c);
        if (m) this.cookie = m[1] ? `rectify_session=${m[1]}` : '';
      }
      let json: Json = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      if (json && typeof json.csrfToken === 'string') this.csrf = json.csrfToken;
      return { status: res.status, body: json as T, text, ms } satisfies Answer<T>;
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause;
      return { status: 0, body: null as T, text: '', ms: performance.now() - t0, error: cause?.code ?? String(e) };
    }
  }

  async login(username: string, password: string) {
    const r = await this.request('POST', '/api/v1/auth/login', { username, password });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
    return r;
  }
  get<T = Json>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = Json>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }
  patch<T = Json>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body ?? {});
  }
}

/** Percentile of a list of numbers (nearest rank); 0 for an empty list. */
export function percentile(xs: number[], p: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Runs `fn` over items with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
}
