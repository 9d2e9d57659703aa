import zlib from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { startServer, type TestServer } from './support/server';

/** SPEC §4 / issue 9: at most 400 KB of compressed JavaScript before the login screen renders. */
const BUDGET_BYTES = 400 * 1024;

describe('first load', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('fetches at most 400 KB of gzip-compressed script before the login form is usable', async () => {
    const context = await browser.newContext({ baseURL: server.baseUrl, locale: 'zh-CN' });
    const page = await context.newPage();
    const scripts = new Map<string, Promise<number>>();
    page.on('response', (res) => {
      const type = res.headers()['content-type'] ?? '';
      if (!type.includes('javascript')) return;
      // The size a gzip-compressing proxy or server would send: each script compressed on its own.
      scripts.set(
        res.url(),
        res.body().then((b) => zlib.gzipSync(b, { level: 9 }).length),
      );
    });
    await page.goto('/login');
    await page
      .getByRole('button', { name: '登 录' })
      .or(page.getByRole('button', { name: '登录' }))
      .waitFor();
    const sizes = await Promise.all(scripts.values());
    const total = sizes.reduce((a, b) => a + b, 0);
    console.log(
      `first load: ${scripts.size} scripts, ${(total / 1024).toFixed(1)} KB gzip (budget ${BUDGET_BYTES / 1024} KB)`,
    );
    expect(scripts.size).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
    await context.close();
  });
});
