import type { Browser, BrowserContext, Page } from 'playwright-core';
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
  discipline: 'Disc-E2e-2026!',
};

async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await button(page, '登录').click();
  await page.getByTestId('greeting').waitFor();
}

/**
 * Types a date into an antd DatePicker found by its label; Tab leaves the field, which keeps the date
 * (Enter would also submit the dialog's form).
 */
async function fillDate(scope: Page | ReturnType<Page['locator']>, label: string, date: string) {
  const input = scope.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(date);
  await input.press('Tab');
  await expect.poll(() => input.inputValue()).toBe(date);
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('supervision: a supervisor plans and urges a unit, the unit answers; the office hands a problem over and the 党风政风室 dispatches it', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ApiSession;
  let officeApi: ApiSession;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const ids = new Map<string, number>();
  let problemId = 0;
  let actionId = 0;
  let handoverId = 0;
  let itemId = 0;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await firstLogin(server.baseUrl, 'admin', server.adminPassword, PW.admin);
    const root = await admin.call<{ items: { id: number; code: string }[] }>('GET', '/organisations?q=ROOT');
    ids.set('ROOT', root.items.find((o) => o.code === 'ROOT')!.id);
    for (const o of [
      { code: 'XCB', name: '市委巡察工作领导小组办公室', shortName: '巡察办', type: 'inspection_office' },
      { code: 'CDI-1', name: '市纪委监委第一监督检查室', shortName: '一室', type: 'supervisor', line: 'discipline' },
      { code: 'CDI-2', name: '市纪委监委第二监督检查室', shortName: '二室', type: 'supervisor', line: 'discipline' },
      { code: 'DFZF', name: '市纪委监委党风政风监督室', shortName: '党风政风室', type: 'discipline_office' },
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
    for (const [username, role, displayName, org, pw] of [
      ['e2e.office', 'office', '巡察办王科长', 'XCB', PW.office],
      ['e2e.unit', 'unit', '教育局李联络', 'EDU', PW.unit],
      ['e2e.sup', 'supervisor', '一室陈监督', 'CDI-1', PW.supervisor],
      ['e2e.sup2', 'supervisor', '二室周监督', 'CDI-2', PW.supervisor2],
      ['e2e.disc', 'discipline', '党风政风室吴主任', 'DFZF', PW.discipline],
    ] as const) {
      const u = await admin.call<{ initialPassword: string }>('POST', '/users', {
        username,
        displayName,
        orgId: ids.get(org),
        role,
      });
      await (await firstLogin(server.baseUrl, username, u.initialPassword, pw)).close();
    }

    // The office: a round with the unit, its feedback, one problem whose measure is under way.
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
    const problem = await officeApi.call<{ id: number }>('POST', `/round-units/${ru}/problems`, {
      number: '一、1.',
      categoryCode: 'party_building',
      description: '基层党组织建设薄弱，“三会一课”制度落实不到位。',
      source: 'feedback',
      severity: 'medium',
      measures: [{ content: '制定“三会一课”落实清单，逐月督查通报。', type: 'long_term', deadline: '2030-06-30' }],
    });
    problemId = problem.id;
    const ledger = await officeApi.call<{ items: { id: number; problemId: number; version: number }[] }>(
      'GET',
      `/ledger?roundUnitId=${ru}`,
    );
    const m = ledger.items.find((x) => x.problemId === problem.id)!;
    await officeApi.call('POST', `/measures/${m.id}/status`, { to: 'in_progress', version: m.version });
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

  it('supervisor: plans the supervision of its liaison unit with a milestone, then urges it (跟踪督办)', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.sup', PW.supervisor);
    await page.getByRole('menuitem', { name: '日常监督' }).click();
    await page.getByRole('tab', { name: '监督计划' }).click(); // the page opens on the work queue
    await page.getByTestId('plan-create').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '新建监督计划' });
    await pickOption(page, modal.getByLabel('单位', { exact: true }), '教育局');
    await modal.getByLabel('计划名称').fill('2026年教育局巡察整改日常监督计划');
    await modal.getByLabel('监督内容').fill('跟踪“三会一课”制度落实，督促按时限完成整改。');
    await modal.getByLabel('节点事项 1').fill('整改方案审核把关');
    await fillDate(modal, '完成时限 1', '2030-03-31');
    const created = await withResponse(page, '/supervision-plans', () => page.getByTestId('plan-save').click());
    expect(created.status()).toBe(201);
    const plan = (await created.json()) as { id: number; milestones: { id: number; light: string }[] };
    await page.getByTestId(`plan-${plan.id}`).waitFor();
    expect(await page.getByTestId(`plan-light-${plan.id}`).getAttribute('data-light')).toBe('green');
    await page.getByTestId(`milestone-${plan.milestones[0]!.id}`).getByText('整改方案审核把关').waitFor();
    await shot(page, 'supervision-01-plan');

    await page.getByRole('tab', { name: '监督行动' }).click();
    await page.getByTestId('action-create').click();
    const form = page.locator('.ant-modal').filter({ hasText: '新建监督行动' });
    await pickOption(page, form.getByLabel('单位', { exact: true }), '教育局');
    await form.getByLabel('标题').fill('关于督促落实“三会一课”制度整改的督办');
    await form.getByLabel('督办内容').fill('请于期限内报告“三会一课”落实清单的制定和督查通报情况。');
    await fillDate(form, '回复期限', '2030-01-15');
    const sent = await withResponse(page, '/supervision-actions', () => page.getByTestId('action-save').click());
    expect(sent.status()).toBe(201);
    const action = (await sent.json()) as { id: number; docNumber: string | null; status: string };
    actionId = action.id;
    expect(action.status).toBe('open');
    expect(action.docNumber).toBeTruthy();
    const drawer = page.getByTestId('action-drawer');
    await drawer.getByText('跟踪督办').first().waitFor();
    await drawer.getByText('单位尚未回复').waitFor();
    await shot(page, 'supervision-02-action-sent');
  });

  it('unit: sees the action addressed to it and answers it', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await signIn(page, 'e2e.unit', PW.unit);
    await page.goto('/supervision?tab=actions');
    await page.getByTestId(`action-row-${actionId}`).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(1);
    await page.getByTestId(`action-open-${actionId}`).click();
    const drawer = page.getByTestId('action-drawer');
    await drawer.getByLabel('回复内容').fill('已制定“三会一课”落实清单，1—6月逐月督查并通报3次。');
    const res = await withResponse(page, `/supervision-actions/${actionId}/respond`, () =>
      drawer.getByTestId('respond-submit').click(),
    );
    expect(res.status()).toBe(200);
    await drawer.getByTestId('action-response').getByText('逐月督查并通报3次').waitFor();
    await shot(page, 'supervision-03-unit-answered', true);
  });

  it('supervisor: sees the answer, downloads the 督办单 and closes the action', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.sup', PW.supervisor);
    await page.goto('/supervision?tab=actions');
    await page.getByTestId(`action-row-${actionId}`).getByText('已回复').waitFor();
    await page.getByTestId(`action-open-${actionId}`).click();
    const drawer = page.getByTestId('action-drawer');
    await drawer.getByTestId('action-response').getByText('逐月督查并通报3次').waitFor();
    await drawer.getByText('教育局李联络', { exact: false }).waitFor();
    await shot(page, 'supervision-04-supervisor-sees-answer');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      drawer.getByTestId('action-document').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.docx$/);
    await drawer.getByLabel('办结意见').fill('回复属实，转入日常跟踪。');
    const res = await withResponse(page, `/supervision-actions/${actionId}/close`, () =>
      drawer.getByTestId('close-submit').click(),
    );
    expect(res.status()).toBe(200);
    await page.getByTestId(`action-row-${actionId}`).getByText('已办结').waitFor();
  });

  it('office: hands the problem over to the 党风政风室', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.office', PW.office);
    await page.getByRole('menuitem', { name: '移交督办' }).click();
    await page.getByTestId('handover-create').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '移交的问题' });
    await pickOption(page, modal.getByLabel('接收部门（党风政风室）'), '党风政风监督室');
    await pickOption(page, modal.getByLabel('移交的问题'), '三会一课');
    await page.keyboard.press('Escape');
    await modal.getByLabel('移交说明').fill('长期坚持类问题，移交日常监督。');
    const res = await withResponse(page, '/handovers', () => page.getByTestId('handover-save').click());
    expect(res.status()).toBe(201);
    const h = (await res.json()) as { id: number; items: { id: number; problemId: number; status: string }[] };
    handoverId = h.id;
    itemId = h.items.find((i) => i.problemId === problemId)!.id;
    await page.getByTestId(`handover-item-${itemId}`).getByText('待接收').waitFor();
    await shot(page, 'supervision-05-office-handed-over');
  });

  it('党风政风室: accepts the problem and dispatches it to the second supervision office', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.disc', PW.discipline);
    await page.getByRole('menuitem', { name: '移交督办' }).click();
    await page.getByTestId(`handover-open-${handoverId}`).click();
    const drawer = page.getByTestId('handover-drawer');
    const accepted = await withResponse(page, `/handovers/${handoverId}/accept`, () =>
      drawer.getByTestId(`item-accept-${itemId}`).click(),
    );
    expect(accepted.status()).toBe(200);
    await drawer.getByTestId(`handover-item-${itemId}`).getByText('已接收').waitFor();
    await drawer.getByTestId(`item-dispatch-${itemId}`).click();
    const modal = page.locator('.ant-modal').filter({ hasText: '分派意见' });
    await pickOption(page, modal.getByLabel('监督检查室'), '第二监督检查室');
    await fillDate(modal, '办结期限', '2030-06-30');
    await modal.getByLabel('分派意见').fill('请列入监督台账，督促长期坚持。');
    const dispatched = await withResponse(page, `/handover-items/${itemId}/dispatch`, () =>
      page.getByTestId('item-act-save').click(),
    );
    expect(dispatched.status()).toBe(200);
    await drawer.getByTestId(`handover-item-${itemId}`).getByText('已分派', { exact: true }).waitFor();
    await shot(page, 'supervision-06-dispatched');
  });

  it('second supervision office: finds the item in its supervision ledger (English)', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.sup2', PW.supervisor2);
    await pickOption(page, page.getByRole('combobox', { name: '语言' }), 'English');
    await page.goto('/handover-ledger?tab=ledger');
    const row = page.getByTestId(`handover-item-${itemId}`);
    await row.getByText('Dispatched', { exact: true }).waitFor();
    await row.getByText('三会一课', { exact: false }).waitFor();
    await shot(page, 'supervision-07-ledger-en');
    // The first office, which the item was not dispatched to, does not have it in its ledger.
    const sup = await apiLogin(server.baseUrl, 'e2e.sup', PW.supervisor);
    const other = await sup.call<{ items: { id: number }[] }>('GET', '/supervision-ledger');
    await sup.close();
    expect(other.items.map((i) => i.id)).not.toContain(itemId);
  });

  it('clues: the office refers a confidential clue, the liaison supervisor receives it and records its disposal', async () => {
    const office = await newPage();
    await signIn(office, 'e2e.office', PW.office);
    await office.getByRole('menuitem', { name: '问题线索' }).click();
    await office.getByTestId('clue-confidential').waitFor();
    await office.getByTestId('clue-send').click();
    const modal = office.locator('.ant-modal').filter({ hasText: '线索内容' });
    await pickOption(office, modal.getByLabel('发现线索的被巡察单位'), '教育局');
    await pickOption(office, modal.getByLabel('接收单位'), '第一监督检查室');
    await modal.getByLabel('线索标题').fill('某校长违规收受礼金线索');
    await modal.getByLabel('线索内容').fill('个别谈话反映：某校长在招生期间收受家长礼金。');
    await modal.getByLabel('涉及人员').click();
    await office.keyboard.type('张某某，');
    const sent = await withResponse(office, '/clues', () => button(modal, '移送线索').click());
    expect(sent.status()).toBe(201);
    const clueId = ((await sent.json()) as { id: number }).id;
    await office.getByTestId(`clue-row-${clueId}`).getByText('待接收').waitFor();
    // The list never shows the sealed title.
    expect(await office.getByTestId('clues-list').textContent()).not.toContain('礼金');

    const sup = await newPage();
    await signIn(sup, 'e2e.sup', PW.supervisor);
    await sup.goto('/clues');
    await sup.getByTestId(`clue-open-${clueId}`).click();
    const drawer = sup.getByTestId('clue-drawer');
    await drawer.getByText('某校长违规收受礼金线索').waitFor();
    await drawer.getByText('张某某').waitFor();
    await withResponse(sup, `/clues/${clueId}/receive`, () => drawer.getByTestId('clue-receive').click());
    const form = drawer.getByTestId('clue-dispose-form');
    await pickOption(sup, form.getByLabel('处置方式'), '初步核实');
    await form.getByLabel('处置情况').fill('已按规定转入初步核实。');
    const disposed = await withResponse(sup, `/clues/${clueId}/dispose`, () => button(form, '登记处置').click());
    expect(disposed.status()).toBe(200);
    await drawer.getByText('已处置').first().waitFor();
    await shot(sup, 'supervision-08-clue-disposed');
  });

  it('meetings: the unit plans its 民主生活会; the office records an accountability (繁體)', async () => {
    const unit = await newPage();
    await signIn(unit, 'e2e.unit', PW.unit);
    await unit.goto('/meetings');
    await button(unit, '制定计划').click();
    const modal = unit.locator('.ant-modal').filter({ hasText: '会议方案' });
    await fillDate(modal, '计划召开日期', '2030-01-10');
    await modal.getByLabel('会议方案').fill('对照巡察反馈问题逐条查摆，班子成员逐一发言。');
    const planned = await withResponse(unit, '/democratic-meetings', () => button(modal, '保存').click());
    expect(planned.status()).toBe(201);
    await unit.getByText('计划 2030-01-10 召开').waitFor();

    const office = await newPage();
    await signIn(office, 'e2e.office', PW.office);
    await pickOption(office, office.getByRole('combobox', { name: '语言' }), '繁體中文');
    await office.goto('/meetings');
    await office.getByText('計劃 2030-01-10 召開').waitFor();
    await office.getByRole('tab', { name: '問責處理' }).click();
    await button(office, '登記問責').click();
    const form = office.locator('.ant-modal').filter({ hasText: '處理結果' });
    await pickOption(office, form.getByLabel('問題', { exact: true }), '三会一课');
    await form.getByLabel('姓名').fill('李某某');
    await form.getByLabel('職務').fill('党委副书记');
    await form.getByLabel('事由').fill('整改推进不力，“三会一课”落实清单逾期未制定。');
    const created = await withResponse(office, '/accountability', () => button(form, '儲存').click());
    expect(created.status()).toBe(201);
    await office.getByText('李某某').waitFor();
    await shot(office, 'supervision-09-accountability-zh-TW');
  });

  it('left no errors in the browser console', () => {
    expect(errors).toEqual([]);
  });
});
