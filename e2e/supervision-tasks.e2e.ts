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
  orgDept: 'OrgDept-E2e-2026!',
  leader: 'Leader-E2e-2026!',
  sys: 'Sysadmin-E2e-2026!',
};

async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await button(page, '登录').click();
  await page.getByTestId('greeting').waitFor();
}

async function fillDate(scope: Page | ReturnType<Page['locator']>, label: string, date: string) {
  const input = scope.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(date);
  await input.press('Tab');
  await expect.poll(() => input.inputValue()).toBe(date);
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('supervision: problems reach the queue of their line; a 沟通会 decision becomes a task the unit reports and the supervisor accepts', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ApiSession;
  let officeApi: ApiSession;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const ids = new Map<string, number>();
  const measureOf = new Map<string, number>();
  let taskId = 0;
  let today = '';

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    admin = await firstLogin(server.baseUrl, 'admin', server.adminPassword, PW.admin);
    const root = await admin.call<{ items: { id: number; code: string }[] }>('GET', '/organisations?q=ROOT');
    ids.set('ROOT', root.items.find((o) => o.code === 'ROOT')!.id);
    for (const o of [
      { code: 'XCB', name: '市委巡察工作领导小组办公室', shortName: '巡察办', type: 'inspection_office' },
      { code: 'CDI-1', name: '市纪委监委第一监督检查室', shortName: '一室', type: 'supervisor', line: 'discipline' },
      { code: 'ZZB', name: '中共玉溪市委组织部', shortName: '组织部', type: 'supervisor', line: 'organisation' },
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
    for (const sup of ['CDI-1', 'ZZB'])
      await admin.call('POST', '/liaison-links', { unitOrgId: ids.get('EDU'), supervisorOrgId: ids.get(sup) });
    for (const [username, role, displayName, org, pw] of [
      ['e2e.office', 'office', '巡察办王科长', 'XCB', PW.office],
      ['e2e.unit', 'unit', '教育局李联络', 'EDU', PW.unit],
      ['e2e.sup', 'supervisor', '一室陈监督', 'CDI-1', PW.supervisor],
      ['e2e.zzb', 'supervisor', '组织部赵干事', 'ZZB', PW.orgDept],
      ['e2e.leader', 'leader', '市委刘书记', 'ROOT', PW.leader],
      ['e2e.sys', 'sysadmin', '系统管理员孙工', 'ROOT', PW.sys],
    ] as const) {
      const u = await admin.call<{ initialPassword: string }>('POST', '/users', {
        username,
        displayName,
        orgId: ids.get(org),
        role,
      });
      await (await firstLogin(server.baseUrl, username, u.initialPassword, pw)).close();
    }

    // The office: a round with the unit, its feedback, two problems of two lines (the default
    // dictionary routes 党的建设 to the organisation department, 全面从严治党 to the discipline commission).
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
    today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await officeApi.call('PUT', `/round-units/${ru}/feedback`, {
      body: '一、党的建设方面\n1.基层党组织建设薄弱。\n二、全面从严治党方面\n1.主体责任压得不实。',
      deliveredOn: today,
      version: 0,
    });
    for (const [key, number, categoryCode, description, measure, deadline] of [
      [
        'building',
        '一、1.',
        'party_building',
        '基层党组织建设薄弱，“三会一课”制度落实不到位。',
        '制定“三会一课”落实清单',
        '2030-06-30',
      ],
      [
        'governance',
        '二、1.',
        'strict_governance',
        '全面从严治党主体责任压得不实。',
        '修订党委主体责任清单',
        '2030-03-31',
      ],
    ] as const) {
      // 张建国 answers for the governance problem and owns its measure (for the handover and the record).
      const leader = key === 'governance' ? { responsibleLeader: '张建国' } : {};
      const owner = key === 'governance' ? { ownerName: '张建国' } : {};
      const p = await officeApi.call<{ id: number; measures: { id: number }[] }>(
        'POST',
        `/round-units/${ru}/problems`,
        {
          number,
          categoryCode,
          description,
          source: 'feedback',
          severity: 'medium',
          ...leader,
          measures: [{ content: measure, type: 'deadline', deadline, ...owner }],
        },
      );
      measureOf.set(key, p.measures[0]!.id);
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await officeApi?.close();
    await admin?.close();
    await browser?.close();
    await server?.stop();
  });

  async function newPage(opts: { width?: number; height?: number; locale?: string } = {}) {
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      locale: opts.locale ?? 'zh-CN',
      viewport: { width: opts.width ?? 1366, height: opts.height ?? 860 },
    });
    contexts.push(context);
    const page = await context.newPage();
    errors.push(...watchConsole(page));
    return page;
  }

  it('each supervisor’s 工作台 holds the problems of its own line only', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.sup', PW.supervisor);
    await page.getByRole('menuitem', { name: '日常监督' }).click();
    await page.getByRole('tab', { name: '工作台', selected: true }).waitFor();
    const mine = page.getByTestId(`queue-measure-${measureOf.get('governance')}`);
    await mine.getByText('修订党委主体责任清单').waitFor();
    await mine.getByText('整改措施').waitFor();
    expect(await page.getByTestId(`queue-measure-${measureOf.get('building')}`).count()).toBe(0);
    await shot(page, 'supervision-tasks-01-queue-discipline');

    const zzb = await newPage();
    await signIn(zzb, 'e2e.zzb', PW.orgDept);
    await zzb.goto('/supervision');
    await zzb
      .getByTestId(`queue-measure-${measureOf.get('building')}`)
      .getByText('制定“三会一课”落实清单')
      .waitFor();
    expect(await zzb.getByTestId(`queue-measure-${measureOf.get('governance')}`).count()).toBe(0);
  });

  it('supervisor: records the 整改监督信息沟通会 with a decision for the unit', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.sup', PW.supervisor);
    await page.goto('/supervision?tab=comms');
    await page.getByTestId('comms-create').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '记录沟通会' });
    await modal.getByLabel('会议名称').fill('2026年第四季度整改监督信息沟通会');
    await modal.getByLabel('地点').fill('市纪委监委三楼会议室');
    await button(modal, '添加参会人员').click();
    await modal.getByPlaceholder('姓名').fill('组织部赵干事');
    await modal.getByLabel('会议纪要').fill('通报教育局整改进展；议定由教育局限期报送主体责任清单修订稿。');
    await modal.getByLabel('议定事项内容').fill('报送党委主体责任清单修订稿及党委会审议纪要');
    await pickOption(page, modal.getByLabel('责任单位'), '市教育局党委');
    await fillDate(modal, '完成时限', '2030-01-31');
    const created = await withResponse(page, '/supervision-meetings', () => page.getByTestId('comms-form').click());
    expect(created.status()).toBe(201);
    const meeting = (await created.json()) as { id: number; tasks: { id: number; status: string }[] };
    taskId = meeting.tasks[0]!.id;
    expect(meeting.tasks[0]!.status).toBe('open');
    const card = page.getByTestId(`comms-${meeting.id}`);
    await card.getByTestId(`task-${taskId}`).getByText('待办理').waitFor();
    await card.getByText('组织部赵干事').waitFor();
    await shot(page, 'supervision-tasks-02-meeting-recorded');
  });

  it('unit: finds the task in its 工作台 as its move and reports it (phone width)', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await signIn(page, 'e2e.unit', PW.unit);
    await page.goto('/supervision');
    const entry = page.getByTestId(`queue-task-${taskId}`);
    await entry.getByText('待我处理').waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(1);
    await shot(page, 'supervision-tasks-03-unit-queue', true);
    await page.getByRole('tab', { name: '沟通会' }).click();
    await page.getByTestId(`task-report-${taskId}`).click();
    const modal = page.locator('.ant-modal').filter({ hasText: '报告办理情况' });
    await modal.getByLabel('办理情况').fill('已修订党委主体责任清单，经党委会审议通过并印发。');
    const res = await withResponse(page, `/supervision-tasks/${taskId}/report`, () =>
      page.getByTestId('task-act-form').click(),
    );
    expect(res.status()).toBe(200);
    await page.getByTestId(`task-${taskId}`).getByText('已报告').waitFor();
    await shot(page, 'supervision-tasks-04-unit-reported', true);
  });

  it('supervisor: sees the report waiting in its 工作台 and accepts it; the task is done', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.sup', PW.supervisor);
    await page.goto('/supervision');
    await page.getByTestId(`queue-task-${taskId}`).getByText('待我处理').waitFor();
    await page.getByRole('tab', { name: '沟通会' }).click();
    await page.getByTestId(`task-${taskId}`).getByText('经党委会审议通过并印发').waitFor();
    await page.getByTestId(`task-accept-${taskId}`).click();
    const res = await withResponse(page, `/supervision-tasks/${taskId}/accept`, () =>
      page.getByTestId('task-act-form').click(),
    );
    expect(res.status()).toBe(200);
    await page.getByTestId(`task-${taskId}`).getByText('已办结').waitFor();
    await shot(page, 'supervision-tasks-05-accepted');
    await page.getByRole('tab', { name: '工作台' }).click();
    await page.getByTestId('queue-list').waitFor();
    // Done: it leaves the queue (once the refetch after the acceptance lands).
    await expect.poll(() => page.getByTestId(`queue-task-${taskId}`).count(), { timeout: 15_000 }).toBe(0);
  });

  it('unit: records its 民主生活会 held with the attendees; the supervisor adds a guidance note', async () => {
    const unit = await newPage();
    await signIn(unit, 'e2e.unit', PW.unit);
    await unit.goto('/meetings');
    await button(unit, '制定计划').click();
    const plan = unit.locator('.ant-modal').filter({ hasText: '会议方案' });
    await fillDate(plan, '计划召开日期', today);
    const planned = await withResponse(unit, '/democratic-meetings', () => button(plan, '保存').click());
    expect(planned.status()).toBe(201);
    const meetingId = ((await planned.json()) as { id: number }).id;
    await unit.getByTestId(`meeting-${meetingId}`).waitFor();
    await button(unit.getByTestId(`meeting-${meetingId}`), '登记召开情况').click();
    const held = unit.locator('.ant-modal').filter({ hasText: '领导班子对照检查材料' });
    await held.getByLabel('领导班子对照检查材料').fill('班子对照巡察反馈问题逐条查摆，主要负责人带头作对照检查。');
    await button(held, '添加参会人员').click();
    await held.getByPlaceholder('姓名').fill('一室陈监督');
    await pickOption(unit, held.locator('.ant-select').filter({ hasText: '所在单位' }), '市纪委监委第一监督检查室');
    await pickOption(unit, held.locator('.ant-select').filter({ hasText: '方面' }), '纪委监委');
    await shot(unit, 'supervision-tasks-07-meeting-held-form');
    const res = await withResponse(unit, `/democratic-meetings/${meetingId}/held`, () => button(held, '保存').click());
    expect(res.status()).toBe(200);

    const sup = await newPage();
    await signIn(sup, 'e2e.sup', PW.supervisor);
    await sup.goto('/meetings');
    await sup.getByTestId(`meeting-open-${meetingId}`).click();
    const drawer = sup.getByTestId('meeting-drawer');
    await drawer.getByTestId('meeting-attendees').getByText('一室陈监督', { exact: false }).waitFor();
    await drawer.getByLabel('意见内容').fill('对照检查材料要联系巡察反馈问题，把自己摆进去。');
    const noted = await withResponse(sup, `/democratic-meetings/${meetingId}/notes`, () =>
      drawer.getByTestId('meeting-note-add').click(),
    );
    expect(noted.status()).toBe(201);
    await drawer.getByTestId('meeting-notes').getByText('把自己摆进去').waitFor();
    await shot(sup, 'supervision-tasks-08-meeting-notes');
  });

  it('unit: records a 整改责任交接 — the outgoing leader’s measures move to the successor', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.unit', PW.unit);
    await page.goto('/supervision?tab=resp');
    await pickOption(page, page.getByLabel('选择巡察单位'), '教育局');
    await page.getByTestId('resp-create').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '登记责任交接' });
    await modal.getByLabel('移交人（原责任人）').fill('张建国');
    await modal.getByLabel('接任人').fill('李明');
    await modal.getByLabel('交接原因').fill('张建国同志调任市委办公室，由李明同志接任分管工作。');
    const res = await withResponse(page, '/responsibility-handovers', () => page.getByTestId('resp-save').click());
    expect(res.status()).toBe(201);
    const r = (await res.json()) as { id: number; measureCount: number };
    expect(r.measureCount).toBe(1);
    await page.getByTestId(`resp-${r.id}`).getByText('张建国 → 李明', { exact: false }).waitFor();
    await shot(page, 'supervision-tasks-09-responsibility-handover');
  });

  it('organisation department: reads a leading cadre’s record', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.zzb', PW.orgDept);
    await page.goto('/meetings');
    await page.getByRole('tab', { name: '领导干部档案' }).click();
    await page.getByLabel('姓名').fill('张建国');
    await pickOption(page, page.getByLabel('单位'), '市教育局党委');
    await page.getByTestId('cadre-search').click();
    await page.getByTestId('cadre-record').getByText('全面从严治党主体责任压得不实。').waitFor();
    await shot(page, 'supervision-tasks-10-cadre-record');
  });

  it('system administrator: sets the 民主生活会 due days', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.sys', PW.sys);
    await page.goto('/admin/settings/system');
    const card = page.locator('.ant-card').filter({ hasText: '反馈后应召开的天数' });
    const input = card.getByLabel('反馈后应召开的天数');
    await expect.poll(() => input.inputValue()).toBe('60');
    await input.fill('45');
    const res = await withResponse(page, '/settings/system/system.meetings', () =>
      button(card, '保存整改专题民主生活会').click(),
    );
    expect(res.status()).toBe(200);
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'supervision-tasks-11-settings');
  });

  it('the leadership reads the 沟通会 and the handovers on the supervision page (English)', async () => {
    const page = await newPage();
    await signIn(page, 'e2e.leader', PW.leader);
    await pickOption(page, page.getByRole('combobox', { name: '语言' }), 'English');
    await page.goto('/supervision?tab=comms');
    await page.getByTestId(`task-${taskId}`).getByText('Done', { exact: true }).waitFor();
    expect(await page.getByTestId(`task-accept-${taskId}`).count()).toBe(0);
    await shot(page, 'supervision-tasks-06-leader-meetings-en');
    await page.getByRole('tab', { name: 'Handovers' }).click();
    await page.getByTestId('handovers-list').waitFor();
    expect(await page.getByTestId('handover-create').count()).toBe(0);
  });

  it('left no errors in the browser console', () => {
    expect(errors).toEqual([]);
  });
});
