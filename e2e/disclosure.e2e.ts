import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, apiLogin, firstLogin } from './support/api';
import { launchChromium, shot, watchConsole } from './support/browser';
import { ROOT, startServer, type TestServer } from './support/server';
import { button, pickOption, withResponse } from './support/ui';

const PW = {
  admin: 'Rectify-Sec-2026!',
  office: 'Office-E2e-2026!',
  leader: 'Leader-E2e-2026!',
};

const AXE = fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await button(page, '登录').click();
  await page.getByTestId('greeting').waitFor();
}

/** axe-core in the page: the serious and critical violations, with where they are. */
async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const result = (await page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<unknown> } };
    return w.axe.run(document, { resultTypes: ['violations'] });
  })) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('disclosure: the office drafts a batch, the leader approves, the public site and feed show it, a withdrawal takes it off', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ApiSession;
  let officeApi: ApiSession;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const ids = new Map<string, number>();
  let batchId = 0;
  const itemIds: number[] = [];

  beforeAll(async () => {
    // The office drafts the due report by hand here (适时); the daily 定时 job must not race it.
    server = await startServer({ RECTIFY_SCHEDULER: 'off' });
    browser = await launchChromium();
    admin = await firstLogin(server.baseUrl, 'admin', server.adminPassword, PW.admin);
    const root = await admin.call<{ items: { id: number; code: string }[] }>('GET', '/organisations?q=ROOT');
    ids.set('ROOT', root.items.find((o) => o.code === 'ROOT')!.id);
    for (const o of [
      { code: 'XCB', name: '市委巡察工作领导小组办公室', shortName: '巡察办', type: 'inspection_office' },
      { code: 'FIN', name: '市财政局党组', shortName: '财政局', type: 'inspected_unit' },
    ]) {
      const created = await admin.call<{ id: number }>('POST', '/organisations', {
        code: o.code,
        name: o.name,
        shortName: o.shortName,
        type: o.type,
        supervisorLine: null,
        parentId: ids.get('ROOT'),
      });
      ids.set(o.code, created.id);
    }
    for (const [username, role, displayName, org, pw] of [
      ['e2e.office', 'office', '巡察办王科长', 'XCB', PW.office],
      ['e2e.leader', 'leader', '市委赵书记', 'ROOT', PW.leader],
    ] as const) {
      const u = await admin.call<{ initialPassword: string }>('POST', '/users', {
        username,
        displayName,
        orgId: ids.get(org),
        role,
      });
      await (await firstLogin(server.baseUrl, username, u.initialPassword, pw)).close();
    }

    // A round whose feedback was delivered five months ago: the unit's period has ended.
    officeApi = await apiLogin(server.baseUrl, 'e2e.office', PW.office);
    const term = await officeApi.call<{ id: number }>('POST', '/terms', { number: 5, name: '中共玉溪市第五届委员会' });
    const round = await officeApi.call<{ id: number }>('POST', '/rounds', {
      termId: term.id,
      number: 1,
      name: '五届市委第一轮巡察',
      type: 'regular',
    });
    const ru = (
      await officeApi.call<{ id: number }>('POST', `/rounds/${round.id}/units`, {
        unitOrgId: ids.get('FIN'),
        teamId: null,
      })
    ).id;
    const d = new Date(Date.now() - 150 * 86_400_000);
    const delivered = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d);
    await officeApi.call('PUT', `/round-units/${ru}/feedback`, {
      body: '一、落实全面从严治党方面\n1.违规发放津贴补贴。\n2.公务接待超标准。',
      deliveredOn: delivered,
      version: 0,
    });
    for (const [number, description] of [
      ['一、1.', '违规发放津贴补贴，涉及内部人员张某某。'],
      ['一、2.', '公务接待超标准，内部人员李某某签批。'],
    ]) {
      await officeApi.call('POST', `/round-units/${ru}/problems`, {
        number,
        categoryCode: 'party_leadership',
        description,
        source: 'feedback',
        severity: 'high',
        measures: [{ content: '清退违规发放款项，建立制度。', type: 'deadline', deadline: '2030-06-30' }],
      });
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await officeApi?.close();
    await admin?.close();
    await browser?.close();
    await server?.stop();
  });

  async function newPage(opts: { width?: number; height?: number; locale?: string; bypassCSP?: boolean } = {}) {
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      locale: opts.locale ?? 'zh-CN',
      viewport: { width: opts.width ?? 1366, height: opts.height ?? 860 },
      // Only to inject axe-core as an inline script; the pages themselves run no script.
      bypassCSP: opts.bypassCSP ?? false,
    });
    contexts.push(context);
    const page = await context.newPage();
    errors.push(...watchConsole(page));
    return page;
  }

  it('office: drafts the due report, makes a batch and puts two typical problems in it, submits the batch', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.office', PW.office);
    await page.goto('/disclosure');
    const drafted = await withResponse(page, '/disclosure/reports/draft-due', () =>
      page.getByTestId('draft-due').click(),
    );
    expect(drafted.status()).toBe(200);
    expect(((await drafted.json()) as { drafted: number }).drafted).toBe(1);

    await page.getByTestId('new-batch').click();
    let modal = page.locator('.ant-modal').filter({ hasText: '新建批次' });
    await modal.getByLabel('批次标题（简体）').fill('2026年第一批典型问题通报');
    const b = await withResponse(page, '/disclosure/batches', () => modal.getByTestId('act-ok').click());
    expect(b.status()).toBe(201);
    batchId = ((await b.json()) as { batch: { id: number } }).batch.id;

    for (const [search, title, body] of [
      ['津贴', '市财政局违规发放津贴补贴问题', '经查，市财政局2025年违规发放津贴补贴。\n有关责任人已被立案审查。'],
      ['接待', '市财政局公务接待超标准问题', '经查，市财政局公务接待多次超标准。'],
    ]) {
      await page.getByTestId('new-typical').click();
      modal = page.locator('.ant-modal').filter({ hasText: '新增典型问题' });
      await pickOption(page, modal.getByLabel('问题', { exact: true }), search!);
      await pickOption(page, modal.getByLabel('批次', { exact: true }), '第1批');
      await modal.getByLabel('标题（简体）').fill(title!);
      await modal.getByLabel('公开正文（简体）').fill(body!);
      await button(modal, '添加人员').click();
      await modal.getByLabel('姓名').fill('张明');
      await modal.getByLabel('职务').fill('科长');
      const r = await withResponse(page, '/disclosure/items', () => modal.getByTestId('act-ok').click());
      expect(r.status(), await r.text()).toBe(201);
      itemIds.push(((await r.json()) as { id: number }).id);
      await modal.waitFor({ state: 'hidden' });
    }
    await page.getByTestId(`item-${itemIds[1]}`).waitFor();
    await shot(page, 'disclosure-01-office-drafts');
    await page.getByRole('tab', { name: '批次' }).click();
    const s = await withResponse(page, `/disclosure/batches/${batchId}/submit`, () =>
      page.getByTestId(`batch-submit-${batchId}`).click(),
    );
    expect(((await s.json()) as { changed: number }).changed).toBe(2);
  });

  it('leader (own browser context): approves the batch', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.leader', PW.leader);
    await page.goto('/disclosure');
    await page.getByTestId(`approve-${itemIds[0]}`).waitFor();
    expect(await page.getByTestId('new-typical').count()).toBe(0); // the leadership approves, it does not draft
    await page.getByRole('tab', { name: '批次' }).click();
    const r = await withResponse(page, `/disclosure/batches/${batchId}/approve`, () =>
      page.getByTestId(`batch-approve-${batchId}`).click(),
    );
    expect(((await r.json()) as { changed: number }).changed).toBe(2);
    await shot(page, 'disclosure-02-leader-approved');
  });

  it('office: publishes the batch with its channel; the public list, detail and feed show it', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.office', PW.office);
    await page.goto('/disclosure');
    await page.getByRole('tab', { name: '批次' }).click();
    await page.getByTestId(`batch-publish-${batchId}`).click();
    const modal = page.locator('.ant-modal').filter({ hasText: '全部发布' });
    await pickOption(page, modal.getByLabel('发布渠道'), '党风廉政网');
    await page.keyboard.press('Escape');
    const r = await withResponse(page, `/disclosure/batches/${batchId}/publish`, () =>
      modal.getByTestId('act-ok').click(),
    );
    expect(r.status(), await r.text()).toBe(200);

    const pub = await newPage();
    await pub.goto('/gongkai');
    await pub.getByRole('link', { name: '市财政局违规发放津贴补贴问题' }).waitFor();
    await pub.getByRole('link', { name: '市财政局公务接待超标准问题' }).waitFor();
    await pub.getByRole('link', { name: '市财政局违规发放津贴补贴问题' }).click();
    await pub.getByRole('heading', { level: 1, name: '市财政局违规发放津贴补贴问题' }).waitFor();
    const text = (await pub.locator('main').textContent()) ?? '';
    expect(text).toContain('张某'); // 科员级 names are masked by default
    expect(text).not.toContain('张明');
    expect(text).toContain('党风廉政网');
    expect(text).not.toContain('张某某'); // the problem description is internal
    const feed = await pub.request.get('/gongkai/feed.atom');
    expect(feed.status()).toBe(200);
    expect(await feed.text()).toContain('市财政局公务接待超标准问题');
    await shot(pub, 'disclosure-03-public-detail', true);
  });

  for (const [lang, width] of [
    ['zh-Hans', 1280],
    ['zh-Hant', 1280],
    ['zh-Hans', 375],
    ['zh-Hant', 375],
  ] as const) {
    it(`public pages pass axe-core with no serious or critical violation (${lang}, ${width}px)`, async () => {
      const page = await newPage({
        width,
        height: 800,
        locale: lang === 'zh-Hant' ? 'zh-TW' : 'zh-CN',
        bypassCSP: true,
      });
      const scripts = await page.evaluate(() => document.scripts.length);
      for (const url of [
        `/gongkai?lang=${lang}`,
        `/gongkai/${itemIds[0]}?lang=${lang}`,
        `/gongkai/${itemIds[0]}/print?lang=${lang}`,
      ]) {
        const res = await page.goto(url);
        expect(res!.status(), url).toBe(200);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        expect(await page.evaluate(() => document.scripts.length), `${url}: no script needed`).toBe(scripts);
        expect(await axe(page), url).toEqual([]);
        if (width === 375) expect(await overflow(page), url).toBeLessThanOrEqual(1);
      }
      if (lang === 'zh-Hant') expect(await page.locator('main').textContent()).toContain('違規發放津貼補貼');
      await page.goto(`/gongkai?lang=${lang}`);
      await shot(page, `disclosure-04-public-list-${lang}-${width}`, true);
    });
  }

  it('office: withdraws one item; it is gone from the public list, detail and feed at once', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.office', PW.office);
    await page.goto('/disclosure');
    await page.getByTestId(`withdraw-${itemIds[1]}`).click();
    const modal = page.locator('.ant-modal').filter({ hasText: '撤回' });
    await modal.getByLabel('原因').fill('表述需进一步核实');
    const r = await withResponse(page, `/disclosure/items/${itemIds[1]}/withdraw`, () =>
      modal.getByTestId('act-ok').click(),
    );
    expect(r.status(), await r.text()).toBe(200);
    await page.getByTestId(`item-${itemIds[1]}`).getByText('已撤回').first().waitFor();
    await shot(page, 'disclosure-05-withdrawn');

    const pub = await newPage({ width: 375, height: 800 });
    await pub.goto('/gongkai');
    await pub.getByRole('link', { name: '市财政局违规发放津贴补贴问题' }).waitFor();
    expect(await pub.getByRole('link', { name: '市财政局公务接待超标准问题' }).count()).toBe(0);
    const gone = await pub.goto(`/gongkai/${itemIds[1]}`);
    expect(gone!.status()).toBe(410);
    const feed = await (await pub.request.get('/gongkai/feed.atom')).text();
    expect(feed).not.toContain('市财政局公务接待超标准问题');
    expect(feed).toContain('市财政局违规发放津贴补贴问题');
    await shot(pub, 'disclosure-06-public-after-withdrawal', true);
    expect(errors).toEqual([]);
  });
});
