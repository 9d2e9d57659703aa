import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeFor, routingLine, totalWeight } from '../../../domain/dictionaries.js';
import { DictionaryService } from '../../src/modules/dictionaries/dictionaries.service.js';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';

describe.each(DIALECTS)('dictionaries on %s', (dialect) => {
  let t: TestApp;
  let sysadmin: Agent;
  let office: Agent;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    await t.createUser({ username: 'sys', role: 'sysadmin' });
    await t.createUser({ username: 'office', role: 'office' });
    await t.createUser({ username: 'sec', role: 'secadmin' });
    await t.createUser({ username: 'aud', role: 'auditor' });
    sysadmin = await t.login('sys');
    office = await t.login('office');
  });
  afterAll(() => t.close());

  it('ships default problem categories with their routing lines in three languages', async () => {
    const r = await office.get('/api/v1/dictionaries?kind=problem_category');
    expect(r.statusCode).toBe(200);
    const items = r.json().items as any[];
    const labels = items.map((i) => i.labelZhCn);
    for (const l of [
      '党的领导',
      '党的建设',
      '全面从严治党',
      '违反中央八项规定精神',
      '形式主义官僚主义',
      '选人用人',
      '意识形态',
      '财务管理',
      '工程项目',
      '人防',
    ])
      expect(labels).toContain(l);
    const ideology = items.find((i) => i.code === 'ideology');
    expect(ideology).toMatchObject({ labelZhTw: '意識形態', labelEn: 'Ideological work', active: true, version: 1 });
    expect(ideology.extra).toEqual({ line: 'propaganda' });
    expect(routingLine('personnel_selection', items)).toBe('organisation');
    expect(items.find((i) => i.code === 'civil_air_defence').extra).toEqual({ line: 'industry', campaign: true });
    expect(items.every((i) => i.kind === 'problem_category')).toBe(true);
    const sorts = items.map((i) => i.sort);
    expect([...sorts].sort((a, b) => a - b)).toEqual(sorts);
  });

  it('ships grades, a scoring sheet of 100 and deductions that other modules can compute with', async () => {
    const grades = await DictionaryService.entries(t.ctx.db, 'grade');
    expect(gradeFor(95, grades)?.labelZhCn).toBe('优秀');
    expect(gradeFor(90, grades)?.labelZhCn).toBe('优秀');
    expect(gradeFor(89.5, grades)?.labelZhCn).toBe('合格');
    expect(gradeFor(60, grades)?.labelZhCn).toBe('基本合格');
    expect(gradeFor(59.9, grades)?.labelZhCn).toBe('不合格');
    const indicators = await DictionaryService.entries(t.ctx.db, 'scoring_indicator');
    expect(indicators.map((i) => i.labelZhCn)).toEqual([
      '整改组织领导',
      '问题整改落实',
      '建章立制',
      '整改公开',
      '群众满意度',
    ]);
    expect(totalWeight(indicators)).toBe(100);
    const deductions = await DictionaryService.entries(t.ctx.db, 'deduction_reason');
    expect(deductions.map((d) => [d.labelZhCn, d.extra?.points])).toEqual([
      ['整改不重视', -5],
      ['落实不到位', -3],
      ['超期未整改', -2],
    ]);
    const all = (await office.get('/api/v1/dictionaries')).json().items as any[];
    const kinds = new Set(all.map((i) => i.kind));
    for (const k of [
      'problem_category',
      'action_type',
      'grade',
      'scoring_indicator',
      'deduction_reason',
      'disclosure_channel',
      'round_type',
    ])
      expect(kinds).toContain(k);
    expect(all.filter((i) => i.kind === 'action_type')).toHaveLength(10);
    expect(all.filter((i) => i.kind === 'disclosure_channel').map((i) => i.labelZhCn)).toEqual([
      '日报',
      '网站',
      '党风廉政网',
    ]);
    expect(all.filter((i) => i.kind === 'round_type').map((i) => i.code)).toEqual([
      'regular',
      'special',
      'mobile',
      'elevated',
      'lookback',
      'higher_inspection',
    ]);
    expect(await DictionaryService.isActiveCode(t.ctx.db, 'round_type', 'lookback')).toBe(true);
    expect(await DictionaryService.isActiveCode(t.ctx.db, 'round_type', 'nope')).toBe(false);
  });

  it('lets the system administrator add, change and delete an entry, each audited', async () => {
    const created = await sysadmin.post('/api/v1/dictionaries', {
      kind: 'problem_category',
      code: 'grassroots',
      labelZhCn: '基层党组织建设',
      labelEn: 'Grassroots Party organisations',
      extra: { line: 'organisation' },
    });
    expect(created.statusCode).toBe(201);
    const item = created.json();
    expect(item).toMatchObject({
      kind: 'problem_category',
      code: 'grassroots',
      labelZhCn: '基层党组织建设',
      labelZhTw: '基层党组织建设', // defaults to zh-CN when not given
      labelEn: 'Grassroots Party organisations',
      sort: 0,
      active: true,
      extra: { line: 'organisation' },
      version: 1,
    });
    expect(typeof item.updatedAt).toBe('number');

    const changed = await sysadmin.patch(`/api/v1/dictionaries/${item.id}`, {
      version: 1,
      labelZhTw: '基層黨組織建設',
      active: false,
      extra: { line: 'discipline' },
      sort: 200,
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ labelZhTw: '基層黨組織建設', active: false, version: 2, sort: 200 });
    expect(changed.json().extra).toEqual({ line: 'discipline' });

    const inactive = await office.get('/api/v1/dictionaries?kind=problem_category&active=false');
    expect(inactive.json().items.map((i: any) => i.code)).toEqual(['grassroots']);
    const active = await office.get('/api/v1/dictionaries?kind=problem_category&active=true');
    expect(active.json().items.map((i: any) => i.code)).not.toContain('grassroots');
    expect((await office.get(`/api/v1/dictionaries/${item.id}`)).json().code).toBe('grassroots');

    expect((await sysadmin.delete(`/api/v1/dictionaries/${item.id}`)).statusCode).toBe(200);
    expect((await office.get(`/api/v1/dictionaries/${item.id}`)).statusCode).toBe(404);
    expect((await sysadmin.delete(`/api/v1/dictionaries/${item.id}`)).statusCode).toBe(404);

    const log = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'actorName', 'before', 'after'])
      .where('entity', '=', 'dictionary')
      .where('entityId', '=', String(item.id))
      .orderBy('seq')
      .execute();
    expect(log.map((l) => l.action)).toEqual(['dict.create', 'dict.update', 'dict.delete']);
    expect(log.every((l) => l.actorName === 'sys')).toBe(true);
    expect(JSON.parse(log[1]!.before!).active).toBe(true);
    expect(JSON.parse(log[1]!.after!).active).toBe(false);
    expect((await t.ctx.audit.verify()).ok).toBe(true);
  });

  it('answers 409 DUPLICATE for a code already used in the same kind, but allows it in another kind', async () => {
    const dup = await sysadmin.post('/api/v1/dictionaries', {
      kind: 'grade',
      code: 'excellent',
      labelZhCn: '优秀2',
      extra: { minScore: 95 },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('DUPLICATE');
    const other = await sysadmin.post('/api/v1/dictionaries', {
      kind: 'action_type',
      code: 'excellent',
      labelZhCn: '示范',
    });
    expect(other.statusCode).toBe(201);
    const rename = await sysadmin.patch(`/api/v1/dictionaries/${other.json().id}`, {
      version: 1,
      code: 'tracking',
    });
    expect(rename.statusCode).toBe(409);
    expect(rename.json().code).toBe('DUPLICATE');
    expect((await sysadmin.delete(`/api/v1/dictionaries/${other.json().id}`)).statusCode).toBe(200);
  });

  it('answers 409 CONFLICT_STALE with the current entry to a write based on an old version', async () => {
    const list = (await office.get('/api/v1/dictionaries?kind=disclosure_channel')).json().items as any[];
    const ch = list.find((i) => i.code === 'website');
    const first = await sysadmin.patch(`/api/v1/dictionaries/${ch.id}`, {
      version: ch.version,
      extra: { url: 'http://www.yuxi.gov.cn/' },
    });
    expect(first.statusCode).toBe(200);
    const second = await sysadmin.patch(`/api/v1/dictionaries/${ch.id}`, { version: ch.version, labelEn: 'Web' });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('CONFLICT_STALE');
    expect(second.json().current).toMatchObject({ id: ch.id, version: ch.version + 1 });
    expect(second.json().current.extra).toEqual({ url: 'http://www.yuxi.gov.cn/' });
  });

  it('checks extra against the kind', async () => {
    const cases: [unknown, string][] = [
      [{ kind: 'grade', code: 'g1', labelZhCn: 'x' }, 'extra'],
      [{ kind: 'grade', code: 'g1', labelZhCn: 'x', extra: null }, 'extra'],
      [{ kind: 'grade', code: 'g1', labelZhCn: 'x', extra: {} }, 'extra.minScore'],
      [{ kind: 'grade', code: 'g1', labelZhCn: 'x', extra: { minScore: 101 } }, 'minScore'],
      [{ kind: 'grade', code: 'g1', labelZhCn: 'x', extra: { minScore: 50, line: 'audit' } }, 'extra.line'],
      [{ kind: 'scoring_indicator', code: 's1', labelZhCn: 'x', extra: { weight: 10 } }, 'extra.maxScore'],
      [{ kind: 'scoring_indicator', code: 's1', labelZhCn: 'x', extra: { weight: 0, maxScore: 10 } }, 'weight'],
      [{ kind: 'deduction_reason', code: 'd1', labelZhCn: 'x', extra: { points: 5 } }, 'points'],
      [{ kind: 'deduction_reason', code: 'd1', labelZhCn: 'x', extra: { points: 0 } }, 'extra.points'],
      [{ kind: 'problem_category', code: 'p1', labelZhCn: 'x', extra: { line: 'police' } }, 'line'],
      [{ kind: 'action_type', code: 'a1', labelZhCn: 'x', extra: { weight: 3 } }, 'extra.weight'],
      [{ kind: 'disclosure_channel', code: 'c1', labelZhCn: 'x', extra: { url: 'javascript:alert(1)' } }, 'url'],
      [{ kind: 'colour', code: 'c1', labelZhCn: 'x' }, 'kind'],
      [{ kind: 'action_type', code: 'has space', labelZhCn: 'x' }, 'code'],
      [{ kind: 'action_type', code: 'a2', labelZhCn: 'x', extra: { foo: 1 } }, 'foo'],
    ];
    for (const [body, path] of cases) {
      const r = await sysadmin.post('/api/v1/dictionaries', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(r.json().errors)).toContain(path);
    }
    const grade = (await office.get('/api/v1/dictionaries?kind=grade')).json().items[0];
    const r = await sysadmin.patch(`/api/v1/dictionaries/${grade.id}`, { version: grade.version, extra: null });
    expect(r.statusCode).toBe(400);
    const ok = await sysadmin.post('/api/v1/dictionaries', {
      kind: 'deduction_reason',
      code: 'half',
      labelZhCn: '材料不全',
      labelZhTw: '材料不全',
      labelEn: 'Incomplete materials',
      extra: { points: -0.5 },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().extra).toEqual({ points: -0.5 });
  });

  it('lets every role read but only the system administrator write (三员分立)', async () => {
    const sec = await t.login('sec');
    const aud = await t.login('aud');
    expect((await sec.get('/api/v1/dictionaries')).statusCode).toBe(200);
    expect((await aud.get('/api/v1/dictionaries')).statusCode).toBe(403);
    const body = { kind: 'action_type', code: 'nope', labelZhCn: '不行' };
    for (const a of [office, sec, aud]) {
      const r = await a.post('/api/v1/dictionaries', body);
      expect(r.statusCode).toBe(403);
      expect(r.json().code).toBe('FORBIDDEN');
    }
    const any = (await office.get('/api/v1/dictionaries?kind=action_type')).json().items[0];
    expect((await office.patch(`/api/v1/dictionaries/${any.id}`, { version: any.version })).statusCode).toBe(403);
    expect((await sec.delete(`/api/v1/dictionaries/${any.id}`)).statusCode).toBe(403);
    expect((await t.anonymous().get('/api/v1/dictionaries')).statusCode).toBe(401);
  });
});
