import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, apiLogin, firstLogin } from './support/api';
import { launchChromium, shot, watchConsole } from './support/browser';
import { startServer, type TestServer } from './support/server';
import { button, pickOption, withResponse } from './support/ui';

const PW = {
  admin: 'Rectify-Sec-2026!',
  office: 'Office-E2e-2026!',
  unit: 'Unit-E2e-2026!',
  supervisor: 'Super-E2e-2026!',
  supervisor2: 'Super2-E2e-2026!',
};

async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await button(page, '登录').click();
  await page.getByTestId('greeting').waitFor();
}

async function fillDate(scope: Locator, label: string, date: string) {
  const input = scope.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(date);
  await input.press('Tab');
  await expect.poll(() => input.inputValue()).toBe(date);
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('evaluation: the check team records a check, a supervisor gives its opinion, the team scores, the unit is graded 不合格 and rectifies again', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ApiSession;
  let officeApi: ApiSession;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const ids = new Map<string, number>();
  let ru = 0;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await firstLogin(server.baseUrl, 'admin', server.adminPassword, PW.admin);
    const root = await admin.call<{ items: { id: number; code: string }[] }>('GET', '/organisations?q=ROOT');
    ids.set('ROOT', root.items.find((o) => o.code === 'ROOT')!.id);
    for (const o of [
      { code: 'XCB', name: '市委巡察工作领导小组办公室', shortName: '巡察办', type: 'inspection_office' },
      { code: 'CDI-1', name: '市纪委监委第一监督检查室', shortName: '一室', type: 'supervisor', line: 'discipline' },
      { code: 'ORG', name: '市委组织部', shortName: '组织部', type: 'supervisor', line: 'organisation' },
      { code: 'EDU', name: '市教育局党委', shortName: '教育局', type: 'inspected_unit' },
    ]) {
      const created = await admin.call<{ id: number }>('POST', '/organisations', {
        code: o.code,
        name: o.name,
        shortName: o.shortName,
        type: o.type,
        supervisorLine: o.line ?? null,
        parentId: ids.get('ROOT'),
      });
      ids.set(o.code, created.id);
    }
    await admin.call('POST', '/liaison-links', { unitOrgId: ids.get('EDU'), supervisorOrgId: ids.get('CDI-1') });
    await admin.call('POST', '/liaison-links', { unitOrgId: ids.get('EDU'), supervisorOrgId: ids.get('ORG') });
    for (const [username, role, displayName, org, pw] of [
      ['e2e.office', 'office', '巡察办王科长', 'XCB', PW.office],
      ['e2e.unit', 'unit', '教育局李联络', 'EDU', PW.unit],
      ['e2e.sup', 'supervisor', '一室陈监督', 'CDI-1', PW.supervisor],
      ['e2e.sup2', 'supervisor', '组织部周干事', 'ORG', PW.supervisor2],
    ] as const) {
      const u = await admin.call<{ initialPassword: string }>('POST', '/users', {
        username,
        displayName,
        orgId: ids.get(org),
        role,
      });
      await (await firstLogin(server.baseUrl, username, u.initialPassword, pw)).close();
    }

    // The office: a round with the unit, its feedback and one problem, then the period ends.
    officeApi = await apiLogin(server.baseUrl, 'e2e.office', PW.office);
    const term = await officeApi.call<{ id: number }>('POST', '/terms', { number: 5, name: '中共玉溪市第五届委员会' });
    const round = await officeApi.call<{ id: number }>('POST', '/rounds', {
      termId: term.id,
      number: 1,
      name: '五届市委第一轮巡察',
      type: 'regular',
    });
    ru = (
      await officeApi.call<{ id: number }>('POST', `/rounds/${round.id}/units`, {
        unitOrgId: ids.get('EDU'),
        teamId: null,
      })
    ).id;
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await officeApi.call('PUT', `/round-units/${ru}/feedback`, {
      body: '一、党的建设方面\n1.基层党组织建设薄弱，“三会一课”制度落实不到位。',
      deliveredOn: today,
      version: 0,
    });
    await officeApi.call('POST', `/round-units/${ru}/problems`, {
      number: '一、1.',
      categoryCode: 'party_building',
      description: '基层党组织建设薄弱，“三会一课”制度落实不到位。',
      source: 'feedback',
      severity: 'medium',
      measures: [{ content: '制定“三会一课”落实清单，逐月督查通报。', type: 'deadline', deadline: '2030-06-30' }],
    });
    const current = await officeApi.call<{ version: number }>('GET', `/round-units/${ru}`);
    await officeApi.call('POST', `/round-units/${ru}/transition`, { to: 'period_ended', version: current.version });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await officeApi?.close();
    await admin?.close();
    await browser?.close();
    await server?.stop();
  });

  async function newPage(opts: { width?: number; height?: number } = {}) {
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      locale: 'zh-CN',
      viewport: { width: opts.width ?? 1366, height: opts.height ?? 860 },
      acceptDownloads: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    errors.push(...watchConsole(page));
    return page;
  }

  async function openUnit(page: Page) {
    await page.goto('/evaluation');
    const row = page.getByTestId(`eval-row-${ru}`);
    await row.waitFor();
    await button(row, '评价').click();
    const detail = page.getByTestId('evaluation-detail');
    await detail.waitFor();
    return detail;
  }

  it('check team: records an individual talk of the special check', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.office', PW.office);
    await page.getByRole('menuitem', { name: '检查考核评价' }).click();
    const detail = await openUnit(page);
    await detail.getByRole('tab', { name: '专项检查' }).click();
    await button(detail, '记录检查').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '记录检查' });
    await modal.getByLabel('检查人员').fill('检查组张组长、李组员');
    await modal.getByLabel('谈话对象 / 查看地点').fill('党委书记、分管副局长');
    await modal.getByLabel('发现问题').fill('“三会一课”落实清单尚未制定，整改停留在表态。');
    const res = await withResponse(page, `/evaluation/round-units/${ru}/checks`, () =>
      page.getByTestId('act-ok').click(),
    );
    expect(res.status()).toBe(201);
    const check = (await res.json()) as { id: number; kind: string };
    expect(check.kind).toBe('talk');
    await detail.getByTestId(`check-${check.id}`).getByText('个别谈话').waitFor();
    await shot(page, 'evaluation-01-check');
  });

  it('supervisor (phone): sees who has not yet given an opinion at the 汇商会 and gives its own', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await signIn(page, 'e2e.sup', PW.supervisor);
    const detail = await openUnit(page);
    await detail.getByRole('tab', { name: '汇商会' }).click();
    const missing = detail.getByTestId('missing-opinions');
    await missing.getByText('市纪委监委第一监督检查室').waitFor();
    await missing.getByText('市委组织部').waitFor();
    await button(detail, '提出意见').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '提出意见' });
    await modal.getByLabel('意见', { exact: true }).fill('整改推进迟缓，“三会一课”问题未见实效，建议评为不合格。');
    await pickOption(page, modal.getByLabel('建议等次'), '不合格');
    const res = await withResponse(page, `/evaluation/round-units/${ru}/opinion`, () =>
      page.getByTestId('act-ok').click(),
    );
    expect(res.status()).toBe(200);
    await detail
      .getByTestId(`opinion-${ids.get('CDI-1')}`)
      .getByText('整改推进迟缓', { exact: false })
      .waitFor();
    await expect.poll(() => missing.textContent()).not.toContain('第一监督检查室');
    expect(await missing.textContent()).toContain('市委组织部');
    expect(await overflow(page)).toBeLessThanOrEqual(1);
    await shot(page, 'evaluation-02-opinion-phone');
  });

  it('check team: scores the sheet, deducts 整改不重视 −5, and grades the unit 不合格 ⇒ 约谈 and 重新整改 with a new deadline', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.office', PW.office);
    const detail = await openUnit(page);
    // The ledger indicator is computed; the others are entered.
    const ledger = detail.getByTestId('indicator-problems_rectified');
    await ledger.getByText('台账计算').waitFor();
    expect(await ledger.getByRole('button').count()).toBe(0);
    for (const [code, score] of [
      ['organisation_leadership', '8'],
      ['rules_established', '5'],
      ['rectification_disclosure', '4'],
      ['public_satisfaction', '6'],
    ] as const) {
      await button(detail.getByTestId(`indicator-${code}`), '评分').click();
      const modal = page.locator('.ant-modal').filter({ hasText: '评分 ·' });
      await modal.getByLabel(/得分/).fill(score);
      const res = await withResponse(page, `/scores/${code}`, () => page.getByTestId('act-ok').click());
      expect(res.status()).toBe(200);
      await expect
        .poll(() => detail.getByTestId(`indicator-${code}`).getByTestId('indicator-score').textContent())
        .toBe(score);
    }
    await button(detail, '扣分').last().click();
    const dm = page.locator('.ant-modal').filter({ hasText: '扣分事由' });
    await pickOption(page, dm.getByLabel('扣分事由'), '整改不重视');
    await dm.getByLabel('说明').fill('整改方案迟迟未报');
    const dres = await withResponse(page, `/evaluation/round-units/${ru}/deductions`, () =>
      page.getByTestId('act-ok').click(),
    );
    expect(dres.status()).toBe(201);
    await detail.getByTestId('deduction-not_taken_seriously').getByText('-5').waitFor();
    // 8 + 5 + 4 + 6 + 0 (nothing closed or done yet) − 5 = 18
    await expect.poll(() => detail.getByTestId('sheet-total').textContent()).toBe('18');
    expect(await detail.getByTestId('sheet-grade').getAttribute('data-grade')).toBe('unsatisfactory');
    await shot(page, 'evaluation-03-sheet');

    await detail.getByTestId('finalise').click();
    const fm = page.locator('.ant-modal').filter({ hasText: '评定等次：' });
    await fm.getByText('评为不合格将同时记录约谈').waitFor();
    await fm.getByLabel('评价结论').fill('整改不重视、落实不到位，评为不合格。');
    await fm.getByLabel('约谈对象').fill('赵党委书记');
    await fm.getByLabel('职务').fill('党委书记');
    await fillDate(fm, '重新整改期限', '2030-03-31');
    const fres = await withResponse(page, `/evaluation/round-units/${ru}/finalise`, () =>
      page.getByTestId('act-ok').click(),
    );
    expect(fres.status()).toBe(200);
    await detail.getByTestId('finalised').getByText('已记录约谈').waitFor();
    await detail.getByTestId('re-rectify').getByText('2030-03-31').waitFor();
    await expect.poll(() => detail.getByTestId('detail-ru-status').textContent()).toBe('重新整改');
    expect(await detail.getByTestId('detail-deadline').textContent()).toContain('2030-03-31');
    await shot(page, 'evaluation-04-graded-unsatisfactory');

    // The round-unit itself: 重新整改, a second cycle with its own deadline; and the 约谈 record.
    const r = await officeApi.call<{ status: string; cycle: number; deadline: string }>('GET', `/round-units/${ru}`);
    expect(r).toMatchObject({ status: 're_rectifying', cycle: 2, deadline: '2030-03-31' });
    const acc = await officeApi.call<{ items: { kind: string; personName: string }[] }>(
      'GET',
      `/accountability?unitOrgId=${ids.get('EDU')}`,
    );
    expect(acc.items).toEqual([expect.objectContaining({ kind: 'interview', personName: '赵党委书记' })]);
    // And the list shows it too.
    await page.keyboard.press('Escape');
    await page.reload();
    await expect.poll(() => page.getByTestId(`eval-row-${ru}`).getByTestId('ru-status').textContent()).toBe('重新整改');
  });

  it('unit (phone): sees its own result, without the 汇商会 deliberation', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await signIn(page, 'e2e.unit', PW.unit);
    const detail = await openUnit(page);
    await detail.getByTestId('finalised').waitFor();
    expect(await detail.getByTestId('finalised').textContent()).toContain('不合格');
    expect(await detail.getByRole('tab', { name: '汇商会' }).count()).toBe(0);
    expect(await detail.getByRole('button', { name: /评分|评定等次/ }).count()).toBe(0);
    expect(await overflow(page)).toBeLessThanOrEqual(1);
    await shot(page, 'evaluation-05-unit-phone');
  });

  it('left no errors in the browser console', () => {
    expect(errors).toEqual([]);
  });
});
