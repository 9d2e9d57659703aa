import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../../../domain/calendar.js';
import { draftDueReports } from '../../src/modules/disclosure/disclosure.service.js';
import { SummaryRepository } from '../../src/modules/ledger/summaries.repository.js';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';

const V1 = '/api/v1';
const MARK = 'MARKER-INTERNAL';
/** An amount only the internal side knows: 9,876,543.21 元 in 分, and how it would be printed. */
const HIDDEN_FEN = 987654321;
const HIDDEN_TEXTS = [MARK, String(HIDDEN_FEN), '9876543.21', '9,876,543.21'];

type Res = { statusCode: number; body: string; headers: Record<string, unknown>; json(): any };

function expectProblem(res: Res, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(res.json().code, res.body).toBe(code);
}
function ok(res: Res, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

describe.each(DIALECTS)('整改公开 on %s', (dialect) => {
  let t: TestApp;
  let office: Agent;
  let leader: Agent;
  let unit: Agent;
  let anon: Agent;
  let today: string;
  const org: Record<string, number> = {};
  const ru: Record<string, number> = {};
  const problems: number[] = [];
  const item: Record<string, number> = {};

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    t = await createTestApp(dialect, { sessionIdleMinutes: 525_600, sessionAbsoluteHours: 8_760 });
    today = shanghaiDate(t.clock.now());
    org.office = await t.createOrg({ code: 'XCB', name: '市委巡察办', type: 'inspection_office' });
    org.unitA = await t.createOrg({ code: 'UA', name: '市财政局' });
    org.unitB = await t.createOrg({ code: 'UB', name: '市水务局' });
    await t.createUser({ username: 'office', role: 'office', orgId: org.office });
    await t.createUser({ username: 'leader', role: 'leader', orgId: t.rootOrgId });
    await t.createUser({ username: 'unita', role: 'unit', orgId: org.unitA });
    await t.ctx.settings.set(
      { actorId: null, actorName: 'test', ip: null, requestId: null },
      'security.passwordPolicy',
      { minLength: 8, minClasses: 3, maxAgeDays: 0 },
      0,
    );

    // The generated dataset: every internal field carries a marker.
    const db = t.ctx.db;
    const now = t.clock.now();
    const stamps = { version: 1, createdAt: now, updatedAt: now };
    const term = await db
      .insertInto('terms')
      .values({ number: 5, name: '第五届', startDate: null, endDate: null, ...stamps })
      .returning('id')
      .executeTakeFirstOrThrow();
    const round = await db
      .insertInto('rounds')
      .values({
        termId: Number(term.id),
        number: 1,
        name: '第一轮巡察',
        type: 'regular',
        onSiteStart: null,
        onSiteEnd: null,
        notes: `${MARK}-round-notes`,
        ...stamps,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [key, unitOrgId, deadline] of [
      ['A', org.unitA, addDays(today, -5)], // period ended: its report is due
      ['B', org.unitB, addDays(today, 30)], // still rectifying
    ] as const) {
      const r = await db
        .insertInto('roundUnits')
        .values({
          roundId: Number(round.id),
          termId: Number(term.id),
          unitOrgId: unitOrgId!,
          teamId: null,
          status: 'rectifying',
          cycle: 1,
          feedbackDate: addDays(deadline, -90),
          deadline,
          deadlineOverridden: 0,
          ...stamps,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ru[key] = Number(r.id);
    }
    const owner = { roundUnitId: ru.A!, roundId: Number(round.id), termId: Number(term.id), unitOrgId: org.unitA! };
    const cats = ['party_leadership', 'party_leadership', 'style', 'style', 'discipline'];
    for (let i = 0; i < 5; i++) {
      const p = await db
        .insertInto('problems')
        .values({
          ...owner,
          campaignId: null,
          seq: i + 1,
          number: `${i + 1}.`,
          categoryCode: cats[i]!,
          description: `${MARK}-problem-${i}: 张某某违规发放津贴`,
          source: 'feedback',
          severity: 'high',
          responsibleLeader: `${MARK}-leader-${i}`,
          responsibleDepartment: `${MARK}-dept-${i}`,
          responsiblePerson: `${MARK}-person-${i}`,
          measureCount: 0,
          doneCount: 0,
          ...stamps,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      problems.push(Number(p.id));
      const done = i < 3;
      const m = await db
        .insertInto('measures')
        .values({
          ...owner,
          problemId: Number(p.id),
          categoryCode: cats[i]!,
          seq: 1,
          content: `${MARK}-measure-${i}`,
          type: 'deadline',
          status: done ? 'completed' : 'in_progress',
          isDone: done ? 1 : 0,
          deadline: addDays(today, -10),
          extendedDeadline: null,
          effectiveDeadline: addDays(today, -10),
          ownerName: `${MARK}-owner-${i}`,
          ownerUserId: null,
          completedOn: done ? addDays(today, -20) : null,
          rulesEstablished: 1,
          fundsReturnedFen: i === 0 ? HIDDEN_FEN : 0,
          lossesRecoveredFen: 0,
          peopleHeldAccountable: i === 1 ? 2 : 0,
          casesFiled: 0,
          lastProgressAt: null,
          ...stamps,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('evidenceFiles')
        .values({
          sm3: `${i}`.padStart(64, 'a'),
          size: 10,
          kind: 'application/pdf',
          name: `${MARK}-evidence-${i}.pdf`,
          roundUnitId: ru.A!,
          unitOrgId: org.unitA!,
          uploadedBy: null,
          createdAt: now,
        })
        .execute();
      void m;
    }
    await db
      .insertInto('accountabilityRecords')
      .values({
        kind: 'talk',
        problemId: problems[0]!,
        ...owner,
        personName: `${MARK}-accountable`,
        personKey: `${MARK}-accountable@${org.unitA}`,
        personPost: '科员',
        personUnitOrgId: org.unitA!,
        reason: `${MARK}-accountability-reason`,
        decidingOrgId: t.rootOrgId,
        decidedOn: today,
        outcome: null,
        negativeList: 0,
        negativeListNote: null,
        createdBy: null,
        ...stamps,
      })
      .execute();
    await new SummaryRepository().recount(db, null);

    office = await t.login('office');
    leader = await t.login('leader');
    unit = await t.login('unita');
    anon = t.anonymous();

    // A confidential 问题线索 on the same unit, sent through the API (sealed at rest): its title,
    // content and names are internal too.
    const receivingOrgId = await t.createOrg({ code: 'JW1', name: '市纪委监委第一监督检查室', type: 'supervisor' });
    const clue = await office.post(`${V1}/clues`, {
      roundUnitId: ru.A!,
      problemId: problems[0]!,
      receivingOrgId,
      source: 'talk',
      title: `${MARK}-clue-title`,
      content: `${MARK}-clue-content`,
      persons: [`${MARK}-clue-person`],
    });
    expect(clue.statusCode, clue.body).toBe(201);
  });
  afterAll(() => t.close());

  async function fingerprint() {
    const r = await sql<Record<string, number | string>>`
      SELECT
        (SELECT count(*) FROM disclosure_items) AS items,
        (SELECT coalesce(sum(version), 0) FROM disclosure_items) AS versions,
        (SELECT count(*) FROM disclosure_channels) AS channels,
        (SELECT count(*) FROM disclosure_batches) AS batches,
        (SELECT count(*) FROM audit_log) AS audit_seq`.execute(t.ctx.db);
    return Object.fromEntries(Object.entries(r.rows[0]!).map(([k, v]) => [k, Number(v)]));
  }

  async function auditOf(id: number) {
    return t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'actorName', 'after'])
      .where('entity', '=', 'disclosure_item')
      .where('entityId', '=', String(id))
      .orderBy('seq')
      .execute();
  }

  /** Every public URL reachable from the list pages (both scripts), the feed and the JSON API. */
  async function crawl(): Promise<Map<string, Res>> {
    const seen = new Map<string, Res>();
    const queue = [
      '/gongkai',
      '/gongkai?lang=zh-Hant',
      '/gongkai?lang=zh-Hans&kind=typical',
      '/gongkai?lang=zh-Hant&kind=report',
      '/gongkai/feed.atom?lang=zh-Hans',
      '/gongkai/feed.atom?lang=zh-Hant',
      `${V1}/public/disclosure?lang=zh-Hans`,
      `${V1}/public/disclosure?lang=zh-Hant`,
    ];
    while (queue.length) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      const res = await get(url);
      seen.set(url, res);
      const links = [...res.body.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
      for (const l of links) {
        const path = l.replace(/^https?:\/\/[^/]+/, '');
        if (path.startsWith('/gongkai') && !seen.has(path)) queue.push(path);
      }
      if (url.startsWith(`${V1}/public/disclosure?`) && res.statusCode === 200) {
        for (const d of res.json().items as { id: number }[]) {
          queue.push(`${V1}/public/disclosure/${d.id}?lang=zh-Hans`, `${V1}/public/disclosure/${d.id}?lang=zh-Hant`);
        }
      }
    }
    return seen;
  }

  function expectNoInternal(pages: Map<string, Res>) {
    for (const [url, res] of pages) {
      expect(res.statusCode, url).toBeLessThan(500);
      for (const s of HIDDEN_TEXTS) expect(res.body.includes(s), `${s} in ${url}`).toBe(false);
    }
  }

  it('drafts the report of each round-unit whose period has ended, once, from the ledger figures', async () => {
    const before = await fingerprint();
    const r = ok(await office.post(`${V1}/disclosure/reports/draft-due`));
    expect(r.drafted).toBe(1);
    const report = r.items[0];
    expect(report).toMatchObject({ kind: 'report', status: 'draft', roundUnitId: ru.A, unitName: '市财政局' });
    item.report = report.id;
    expect(report.titleHans).toContain('市财政局');
    expect(report.titleHant).toContain('進展情況');
    expect(report.bodyHans).toContain('反馈问题5个，已整改3个');
    expect(report.bodyHans).toContain('整改率60.0%');
    expect(report.bodyHant).toContain('回饋問題5個');
    const detail = ok(await office.get(`${V1}/disclosure/items/${item.report}`));
    expect(detail.preview.hans.figures).toMatchObject({
      problems: 5,
      rectifiedProblems: 3,
      measures: 5,
      doneMeasures: 3,
      rate: 60,
    });
    expect(detail.preview.hans.figures.fundsReturned).toBeNull(); // amounts hidden by default
    expect(detail.preview.hans.categories.map((c: { problems: number }) => c.problems).sort()).toEqual([1, 2, 2]);
    expect(detail.preview.hans.problems).toHaveLength(5);
    expect((await fingerprint()).auditSeq).toBe(before.auditSeq! + 1);
    // Once per round-unit and cycle: the button and the scheduler both find nothing more to do.
    expect(ok(await office.post(`${V1}/disclosure/reports/draft-due`)).drafted).toBe(0);
    expect(await draftDueReports(t.ctx, t.clock.now())).toEqual({ drafted: 0, ids: [] });
  });

  it('the scheduler function drafts what became due later, as the system, with its audit record', async () => {
    const later = t.clock.now() + 40 * 86_400_000;
    const r = await draftDueReports(t.ctx, later);
    expect(r.drafted).toBe(1);
    item.reportB = r.ids[0]!;
    const row = await t.ctx.db
      .selectFrom('disclosureItems')
      .select(['roundUnitId', 'createdBy'])
      .where('id', '=', item.reportB)
      .executeTakeFirstOrThrow();
    expect(Number(row.roundUnitId)).toBe(ru.B);
    expect(row.createdBy).toBeNull();
    expect((await auditOf(item.reportB)).map((a) => [a.action, a.actorName])).toEqual([
      ['disclosure.report.draft', 'scheduler'],
    ]);
  });

  it('takes the report through draft → submitted → approved → published with channels', async () => {
    let r = ok(
      await office.patch(`${V1}/disclosure/items/${item.report}`, {
        version: 1,
        internalNote: `${MARK}-note-report`,
        bodyHans: '市财政局整改期满。详见下表。',
        bodyHant: '市財政局整改期滿。詳見下表。',
      }),
    );
    r = ok(await office.post(`${V1}/disclosure/items/${item.report}/submit`, { version: r.version }));
    expect(r.status).toBe('submitted');
    // Not the office's to approve.
    expectProblem(
      await office.post(`${V1}/disclosure/items/${item.report}/approve`, { version: r.version }),
      403,
      'FORBIDDEN',
    );
    r = ok(await leader.post(`${V1}/disclosure/items/${item.report}/approve`, { version: r.version }));
    expect(r.status).toBe('approved');
    r = ok(
      await office.post(`${V1}/disclosure/items/${item.report}/publish`, {
        version: r.version,
        channels: [{ channel: '日报', publishedOn: today }],
      }),
    );
    expect(r).toMatchObject({ status: 'published', publishedOn: today });
    r = ok(
      await office.post(`${V1}/disclosure/items/${item.report}/channels`, { channel: '网站', publishedOn: today }),
    );
    expect(r.channels.map((c: { channel: string }) => c.channel).sort()).toEqual(['日报', '网站'].sort());
    expect((await auditOf(item.report)).map((a) => a.action)).toEqual([
      'disclosure.report.draft',
      'disclosure.update',
      'disclosure.submit',
      'disclosure.approve',
      'disclosure.publish',
      'disclosure.channel',
    ]);
  });

  it('publishes a batch of typical problems (先曝光、后查处) with names below the rank masked', async () => {
    const batch = ok(await office.post(`${V1}/disclosure/batches`, { titleHans: '第一批典型问题通报' }), 201);
    expect(batch.batch).toMatchObject({ number: 1, titleHant: '第一批典型問題通報' });
    item.batch = batch.batch.id;
    const persons = [
      { name: `王${MARK}-staff`, post: '科员', rank: 'staff' },
      { name: '李大明', post: '局长', rank: 'county' },
    ];
    for (const [key, p, title] of [
      ['t1', problems[3], '市财政局违规发放津贴补贴问题'],
      ['t2', problems[4], '市财政局违规收受礼金问题'],
      ['t3', problems[1], `${MARK}-to-be-withdrawn 典型问题`],
    ] as const) {
      const r = ok(
        await office.post(`${V1}/disclosure/items`, {
          problemId: p,
          batchId: item.batch,
          titleHans: title,
          bodyHans: '经查，该局在2025年违规发放津贴补贴。\n相关人员已被立案审查。',
          persons,
          internalNote: `${MARK}-note-${key}`,
        }),
        201,
      );
      expect(r.titleHant).not.toBe(r.titleHans);
      item[key] = r.id;
    }
    // A problem already in an item that was not withdrawn is not offered twice.
    expectProblem(
      await office.post(`${V1}/disclosure/items`, { problemId: problems[3], titleHans: 'x', bodyHans: 'x' }),
      409,
      'DISCLOSURE_PROBLEM_TAKEN',
    );
    // A draft outside the batch that never goes further.
    item.draft = ok(
      await office.post(`${V1}/disclosure/items`, {
        problemId: problems[2],
        titleHans: `${MARK}-draft-title`,
        bodyHans: `${MARK}-draft-body`,
      }),
      201,
    ).id;
    expect(ok(await office.post(`${V1}/disclosure/batches/${item.batch}/submit`, {})).changed).toBe(3);
    expect(ok(await leader.post(`${V1}/disclosure/batches/${item.batch}/approve`, {})).changed).toBe(3);
    const pub = ok(
      await office.post(`${V1}/disclosure/batches/${item.batch}/publish`, {
        channels: [{ channel: '党风廉政网', publishedOn: today }],
      }),
    );
    expect(pub.changed).toBe(3);
    const detail = ok(await office.get(`${V1}/disclosure/items/${item.t1}`));
    expect(detail.preview.hans.persons).toEqual([
      { post: '科员', name: '王某' },
      { post: '局长', name: '李大明' },
    ]);
    expect(detail.preview.hant.persons[1]).toEqual({ post: '局長', name: '李大明' });
  });

  it('withdraws a published item: logged, and gone from list, detail, search, feed and API at once', async () => {
    const before = ok(await get(`${V1}/public/disclosure/${item.t3}`));
    expect(before.title).toContain('to-be-withdrawn');
    const feedBefore = (await get('/gongkai/feed.atom')).body;
    expect(feedBefore).toContain(`/gongkai/${item.t3}`);
    const v = ok(await office.get(`${V1}/disclosure/items/${item.t3}`)).item.version;
    const r = ok(await office.post(`${V1}/disclosure/items/${item.t3}/withdraw`, { version: v, reason: '表述需更正' }));
    expect(r).toMatchObject({ status: 'withdrawn', withdrawReason: '表述需更正' });
    const audit = await auditOf(item.t3);
    expect(audit.at(-1)!.action).toBe('disclosure.withdraw');
    expect(audit.at(-1)!.actorName).toBe('office');
    expect(String(audit.at(-1)!.after)).toContain('表述需更正');
    // Still there for the office, as a withdrawn record.
    expect(ok(await office.get(`${V1}/disclosure/items/${item.t3}`)).item.status).toBe('withdrawn');
    for (const lang of ['zh-Hans', 'zh-Hant']) {
      expect((await get(`/gongkai/${item.t3}?lang=${lang}`)).statusCode).toBe(410);
      expect((await get(`/gongkai/${item.t3}/print?lang=${lang}`)).statusCode).toBe(410);
      expect((await get(`/gongkai?lang=${lang}`)).body).not.toContain(`/gongkai/${item.t3}?`);
      expect((await get(`/gongkai?lang=${lang}&q=to-be-withdrawn`)).body).not.toContain(`/gongkai/${item.t3}?`);
      expect((await get(`/gongkai/feed.atom?lang=${lang}`)).body).not.toContain(`/gongkai/${item.t3}`);
    }
    expectProblem(await get(`${V1}/public/disclosure/${item.t3}`), 404, 'NOT_FOUND');
    const list = ok(await get(`${V1}/public/disclosure?q=to-be-withdrawn`));
    expect(list.total).toBe(0);
  });

  it('shows the published items on every public page, in 简体 and 繁體, with 0 internal markers anywhere', async () => {
    const pages = await crawl();
    expect(pages.size).toBeGreaterThanOrEqual(8 + 3 * 2 * 2); // lists, feeds, API, 3 items × detail/print × 2 scripts
    expectNoInternal(pages);
    // Positive controls: the published items are there, in each script.
    const hans = pages.get('/gongkai')!.body;
    expect(hans).toContain('<html lang="zh-Hans">');
    expect(hans).toContain('市财政局违规发放津贴补贴问题');
    expect(hans).toContain(`/gongkai/${item.report}?`);
    const hant = pages.get('/gongkai?lang=zh-Hant')!.body;
    expect(hant).toContain('<html lang="zh-Hant">');
    expect(hant).toContain('市財政局違規發放津貼補貼問題');
    expect(hant).not.toContain('市财政局违规发放津贴补贴问题');
    const detail = (await get(`/gongkai/${item.report}?lang=zh-Hant`)).body;
    expect(detail).toContain('整改率');
    expect(detail).toContain('已整改');
    expect(detail).toContain('市財政局');
    expect(detail).toContain('日报'.replace('报', '報'));
    const typical = (await get(`/gongkai/${item.t1}`)).body;
    expect(typical).toContain('王某');
    expect(typical).toContain('李大明');
    // The Accept-Language decides when no ?lang= is given.
    expect((await get('/gongkai', { 'accept-language': 'zh-TW,zh;q=0.8' })).body).toContain('<html lang="zh-Hant">');
    const feed = pages.get('/gongkai/feed.atom?lang=zh-Hans')!;
    expect(String(feed.headers['content-type'])).toContain('application/atom+xml');
    expect(feed.body).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(feed.body.match(/<entry>/g)).toHaveLength(3);
    // Nothing of the internal side through search either.
    const search = await get('/gongkai?q=INTERNAL');
    expect(search.body).toContain('共 0 条');
    // Drafts and items never published answer 404 like unknown ones.
    expect((await get(`/gongkai/${item.draft}`)).statusCode).toBe(404);
    expect((await get('/gongkai/999999')).statusCode).toBe(404);
    expect((await get('/gongkai/abc')).statusCode).toBe(404);
    expect((await get('/gongkai/nothing/here')).statusCode).toBe(404);
    expectProblem(await get(`${V1}/public/disclosure/${item.draft}`), 404, 'NOT_FOUND');
  });

  it('answers with short caching: no-cache with an ETag, 304 when unchanged', async () => {
    const a = await get('/gongkai');
    expect(a.headers['cache-control']).toContain('no-cache');
    const etag = String(a.headers.etag);
    expect(etag).toMatch(/^"/);
    expect((await get('/gongkai', { 'if-none-match': etag })).statusCode).toBe(304);
    const css = await get('/gongkai/assets/site.css');
    expect(css.statusCode).toBe(200);
    expect(String(css.headers['content-type'])).toContain('text/css');
    expect(css.body.length).toBeLessThan(8000);
  });

  it('publishes amounts only when the setting says so', async () => {
    const setting = { channels: ['日报', '网站', '党风廉政网'], publishAmounts: true, nameRankFrom: 'county' };
    await t.ctx.settings.set(
      { actorId: null, actorName: 'test', ip: null, requestId: null },
      'system.disclosure',
      setting,
      0,
    );
    try {
      const d = ok(await get(`${V1}/public/disclosure/${item.report}`));
      expect(d.figures.fundsReturned).toBe('9876543.21');
    } finally {
      await t.ctx.settings.set(
        { actorId: null, actorName: 'test', ip: null, requestId: null },
        'system.disclosure',
        { ...setting, publishAmounts: false },
        1,
      );
    }
    expect(ok(await get(`${V1}/public/disclosure/${item.report}`)).figures.fundsReturned).toBeNull();
  });

  it('refuses illegal moves, stale versions and bad input with 4xx, changing nothing', async () => {
    const before = await fingerprint();
    const draft = ok(await office.get(`${V1}/disclosure/items/${item.draft}`)).item;
    const t1 = ok(await office.get(`${V1}/disclosure/items/${item.t1}`)).item;
    const t3 = ok(await office.get(`${V1}/disclosure/items/${item.t3}`)).item;
    const cases: [Promise<Res>, number, string][] = [
      [
        leader.post(`${V1}/disclosure/items/${item.draft}/approve`, { version: draft.version }),
        409,
        'DISCLOSURE_TRANSITION_INVALID',
      ],
      [
        office.post(`${V1}/disclosure/items/${item.draft}/publish`, { version: draft.version }),
        409,
        'DISCLOSURE_TRANSITION_INVALID',
      ],
      [
        office.post(`${V1}/disclosure/items/${item.t1}/submit`, { version: t1.version }),
        409,
        'DISCLOSURE_TRANSITION_INVALID',
      ],
      [
        office.post(`${V1}/disclosure/items/${item.t3}/withdraw`, { version: t3.version, reason: 'again' }),
        409,
        'DISCLOSURE_TRANSITION_INVALID',
      ],
      [
        office.post(`${V1}/disclosure/items/${item.t3}/publish`, { version: t3.version }),
        409,
        'DISCLOSURE_TRANSITION_INVALID',
      ],
      [
        office.patch(`${V1}/disclosure/items/${item.t1}`, { version: t1.version, titleHans: 'x' }),
        409,
        'DISCLOSURE_NOT_EDITABLE',
      ],
      [
        office.patch(`${V1}/disclosure/items/${item.draft}`, { version: draft.version + 5, titleHans: 'x' }),
        409,
        'CONFLICT_STALE',
      ],
      [
        office.post(`${V1}/disclosure/items/${item.draft}/submit`, { version: draft.version - 1 || 99 }),
        409,
        'CONFLICT_STALE',
      ],
      [
        office.post(`${V1}/disclosure/items/${item.t1}/channels`, { channel: '微博', publishedOn: today }),
        400,
        'DISCLOSURE_CHANNEL_UNKNOWN',
      ],
      [
        office.post(`${V1}/disclosure/items/${item.t1}/channels`, { channel: '网站', publishedOn: addDays(today, 3) }),
        400,
        'DISCLOSURE_DATE_INVALID',
      ],
      [
        office.post(`${V1}/disclosure/items/${item.draft}/channels`, { channel: '网站', publishedOn: today }),
        409,
        'DISCLOSURE_TRANSITION_INVALID',
      ],
      [
        office.post(`${V1}/disclosure/items/${item.t1}/withdraw`, { version: t1.version, reason: '' }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        office.post(`${V1}/disclosure/items`, { problemId: 99999, titleHans: 'x', bodyHans: 'x' }),
        400,
        'INVALID_REFERENCE',
      ],
      [
        office.post(`${V1}/disclosure/items`, { problemId: problems[0], batchId: 9999, titleHans: 'x', bodyHans: 'x' }),
        400,
        'INVALID_REFERENCE',
      ],
      [office.post(`${V1}/disclosure/batches/${item.batch}/approve`, {}), 403, 'FORBIDDEN'],
      [leader.post(`${V1}/disclosure/batches/${item.batch}/approve`, {}), 409, 'DISCLOSURE_BATCH_EMPTY'],
      [office.post(`${V1}/disclosure/batches/9999/submit`, {}), 404, 'NOT_FOUND'],
      [unit.get(`${V1}/disclosure/items`), 403, 'FORBIDDEN'],
      [anon.get(`${V1}/disclosure/items/${item.t1}`), 401, 'UNAUTHENTICATED'],
    ];
    for (const [res, status, code] of cases) expectProblem(await res, status, code);
    expect(await fingerprint()).toEqual(before);
    expect(ok(await office.get(`${V1}/disclosure/items/${item.draft}`)).item).toEqual(draft);
  });

  it('the leadership can return a submitted item with the reason; it is a draft again', async () => {
    let r = ok(await office.post(`${V1}/disclosure/items/${item.draft}/submit`, { version: 1 }));
    r = ok(
      await leader.post(`${V1}/disclosure/items/${item.draft}/return`, {
        version: r.version,
        reason: '请删去内部表述',
      }),
    );
    expect(r).toMatchObject({ status: 'draft', returnedNote: '请删去内部表述' });
    expect((await get(`/gongkai/${item.draft}`)).statusCode).toBe(404);
    const page = ok(await office.get(`${V1}/disclosure/items?status=draft`));
    expect(page.items.map((x: { id: number }) => x.id)).toContain(item.draft);
    const searched = ok(await leader.get(`${V1}/disclosure/items?q=${encodeURIComponent('津贴补贴')}`));
    expect(searched.items.map((x: { id: number }) => x.id)).toContain(item.t1);
  });
  it('pages the public list 20 at a time, newest first, and the crawl through every page finds no marker', async () => {
    const now = t.clock.now();
    const owner = await t.ctx.db
      .selectFrom('roundUnits')
      .select(['id', 'roundId', 'termId', 'unitOrgId'])
      .where('id', '=', ru.A!)
      .executeTakeFirstOrThrow();
    for (let i = 0; i < 25; i++) {
      await t.ctx.db
        .insertInto('disclosureItems')
        .values({
          kind: 'typical',
          status: 'published',
          batchId: item.batch!,
          roundUnitId: Number(owner.id),
          roundId: Number(owner.roundId),
          termId: Number(owner.termId),
          unitOrgId: Number(owner.unitOrgId),
          cycle: 1,
          problemId: null,
          reportKey: null,
          titleHans: `分页测试问题${i}`,
          titleHant: `分頁測試問題${i}`,
          bodyHans: '正文',
          bodyHant: '正文',
          snapshot: null,
          persons: JSON.stringify([{ name: `${MARK}-p${i}`, post: '科员', rank: 'staff' }]),
          internalNote: `${MARK}-bulk-${i}`,
          publishedOn: addDays(today, -1 - i),
          version: 1,
          createdAt: now,
          updatedAt: now,
        })
        .execute();
    }
    const total = 3 + 25; // the report, t1 and t2 (t3 was withdrawn), and the 25 new ones
    const first = await get('/gongkai');
    expect(first.body).toContain(`共 ${total} 条`);
    expect(first.body.match(/<article>/g)).toHaveLength(20);
    expect(first.body).toContain('第 1 页，共 2 页');
    expect(first.body).toContain('rel="next"');
    const second = await get('/gongkai?page=2&lang=zh-Hans');
    expect(second.body.match(/<article>/g)).toHaveLength(total - 20);
    expect(second.body).toContain('分页测试问题24'); // the oldest last
    const api = ok(await get(`${V1}/public/disclosure?page=2`));
    expect(api).toMatchObject({ page: 2, pages: 2, total });
    expectNoInternal(await crawl());
  });
});
