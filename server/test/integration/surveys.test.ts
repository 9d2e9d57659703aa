import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, normaliseCode } from '../../../domain/surveys.js';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';

const V1 = '/api/v1';

type Res = { statusCode: number; body: string; headers: Record<string, unknown>; json(): any };

function expectProblem(res: Res, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(res.json().code, res.body).toBe(code);
}

function expectOk(res: Res, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

const QUESTIONS = [
  {
    key: 'q1',
    kind: 'choice',
    text: { zh: '对本单位整改工作总体评价', tw: '對本單位整改工作總體評價', en: 'Overall, the rectification work' },
    options: DEFAULT_OPTIONS,
    allowComment: true,
  },
  {
    key: 'q2',
    kind: 'choice',
    text: { zh: '对群众反映问题的解决情况' },
    options: DEFAULT_OPTIONS,
    allowComment: false,
  },
  { key: 'note', kind: 'text', text: { zh: '意见建议', en: 'Suggestions' }, options: [], allowComment: false },
];

/** What every refusal must leave untouched. */
async function snapshot(t: TestApp) {
  const n = async (table: 'surveyResponses' | 'surveyAnswers' | 'auditLog') =>
    Number(
      (
        await t.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const used = await t.ctx.db
    .selectFrom('surveyCodes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('used', '=', 1)
    .executeTakeFirstOrThrow();
  return {
    responses: await n('surveyResponses'),
    answers: await n('surveyAnswers'),
    audit: await n('auditLog'),
    used: Number(used.n),
  };
}

describe.each(DIALECTS)('满意度测评 (satisfaction surveys with one-time codes) on %s', (dialect) => {
  let t: TestApp;
  let office: Agent;
  let leader: Agent;
  let unit: Agent;
  let pub: Agent;
  const ru: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp(dialect, { sessionIdleMinutes: 525_600, sessionAbsoluteHours: 8_760 });
    const officeOrg = await t.createOrg({ code: 'XCB', name: '市委巡察办', type: 'inspection_office' });
    const unitA = await t.createOrg({ code: 'UA', name: '市财政局' });
    const unitB = await t.createOrg({ code: 'UB', name: '市人防办' });
    await t.createUser({ username: 'office', role: 'office', orgId: officeOrg });
    await t.createUser({ username: 'leader', role: 'leader', orgId: t.rootOrgId });
    await t.createUser({ username: 'unita', role: 'unit', orgId: unitA });
    const now = t.clock.now();
    const stamps = { version: 1, createdAt: now, updatedAt: now };
    const term = await t.ctx.db
      .insertInto('terms')
      .values({ number: 5, name: '第五届', startDate: null, endDate: null, ...stamps })
      .returning('id')
      .executeTakeFirstOrThrow();
    const round = await t.ctx.db
      .insertInto('rounds')
      .values({
        termId: Number(term.id),
        number: 1,
        name: '第一轮巡察',
        type: 'regular',
        onSiteStart: null,
        onSiteEnd: null,
        notes: null,
        ...stamps,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [k, orgId] of [
      ['A', unitA],
      ['B', unitB],
    ] as const) {
      const r = await t.ctx.db
        .insertInto('roundUnits')
        .values({
          roundId: Number(round.id),
          termId: Number(term.id),
          unitOrgId: orgId,
          teamId: null,
          status: 'period_ended',
          cycle: 1,
          feedbackDate: '2026-06-01',
          deadline: '2026-09-01',
          deadlineOverridden: 0,
          ...stamps,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ru[k] = Number(r.id);
    }
    office = await t.login('office');
    leader = await t.login('leader');
    unit = await t.login('unita');
    pub = t.anonymous();
  });
  afterAll(() => t.close());

  /** A survey about the given round-units, opened, with a batch per (unit, audience, count). */
  async function openSurvey(units: number[], batches: [number, string, number][]) {
    const s = expectOk(
      await office.post(`${V1}/surveys`, {
        title: { zh: '整改满意度测评' },
        roundUnitIds: units,
        questions: QUESTIONS,
      }),
      201,
    );
    const codes: string[][] = [];
    for (const [roundUnitId, audience, count] of batches) {
      const b = expectOk(await office.post(`${V1}/surveys/${s.id}/batches`, { roundUnitId, audience, count }), 201);
      codes.push(b.codes);
    }
    const opened = expectOk(await office.post(`${V1}/surveys/${s.id}/open`, { version: s.version }));
    return { id: s.id as number, version: opened.version as number, codes };
  }

  const sheet = (surveyId: number, code: string, q1 = 'a', q2 = 'c', extra: Record<string, unknown> = {}) => ({
    code,
    surveyId,
    answers: [
      { key: 'q1', option: q1 },
      { key: 'q2', option: q2 },
    ],
    ...extra,
  });

  it('runs a survey from draft to closed: questions, units, codes printed once and reprinted, answers, results', async () => {
    // A draft names existing round-units only.
    const before = await snapshot(t);
    expectProblem(
      await office.post(`${V1}/surveys`, { title: { zh: '测评' }, roundUnitIds: [ru.A, 2147483647] }),
      400,
      'INVALID_REFERENCE',
    );
    expect(await snapshot(t)).toEqual(before);

    const s = expectOk(
      await office.post(`${V1}/surveys`, { title: { zh: '整改满意度测评', en: 'Satisfaction' }, roundUnitIds: [ru.A] }),
      201,
    );
    expect(s.status).toBe('draft');
    expect(s.units.map((u: { unitName: string }) => u.unitName)).toEqual(['市财政局']);
    // No questions yet: cannot open.
    expectProblem(
      await office.post(`${V1}/surveys/${s.id}/open`, { version: s.version }),
      400,
      'SURVEY_QUESTIONNAIRE_INVALID',
    );
    const edited = expectOk(
      await office.patch(`${V1}/surveys/${s.id}`, {
        version: s.version,
        questions: QUESTIONS,
        roundUnitIds: [ru.A, ru.B],
        intro: { zh: '本测评匿名进行', tw: '本測評匿名進行', en: 'This survey is anonymous' },
      }),
    );
    expect(edited.questions).toHaveLength(3);
    expect(edited.units).toHaveLength(2);
    expectProblem(
      await office.patch(`${V1}/surveys/${s.id}`, { version: s.version, title: { zh: 'x' } }),
      409,
      'CONFLICT_STALE',
    );

    // A batch of codes: shown once in the clear, stored as keyed hashes, the list sealed.
    expectProblem(
      await office.post(`${V1}/surveys/${s.id}/batches`, { roundUnitId: 2147483647, audience: 'staff', count: 10 }),
      400,
      'SURVEY_BATCH_UNIT',
    );
    const b = expectOk(
      await office.post(`${V1}/surveys/${s.id}/batches`, { roundUnitId: ru.A, audience: 'staff', count: 12 }),
      201,
    );
    expect(b.codes).toHaveLength(12);
    expect(new Set(b.codes).size).toBe(12);
    for (const c of b.codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const stored = await t.ctx.db
      .selectFrom('surveyCodes')
      .select(['codeHash'])
      .where('batchId', '=', b.batch.id)
      .execute();
    const batchRow = await t.ctx.db
      .selectFrom('surveyBatches')
      .select('sealedCodes')
      .where('id', '=', b.batch.id)
      .executeTakeFirstOrThrow();
    for (const c of b.codes as string[]) {
      const plain = normaliseCode(c)!;
      expect(stored.some((r) => r.codeHash.includes(plain))).toBe(false);
      expect(batchRow.sealedCodes).not.toContain(plain);
      expect(batchRow.sealedCodes).not.toContain(c);
    }
    expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.codeHash))).toBe(true);
    // A batch below the minimum group size is refused (a single code would point at its holder).
    expect(
      (await office.post(`${V1}/surveys/${s.id}/batches`, { roundUnitId: ru.A, audience: 'staff', count: 1 }))
        .statusCode,
    ).toBe(400);

    // Before opening, a code answers nothing.
    expectProblem(await pub.get(`${V1}/public/survey/${b.codes[0]}`), 409, 'SURVEY_NOT_OPEN');
    // A unit with codes printed stays in the survey.
    expectProblem(
      await office.patch(`${V1}/surveys/${s.id}`, { version: edited.version, roundUnitIds: [ru.B] }),
      409,
      'SURVEY_BATCH_UNIT',
    );
    const opened = expectOk(await office.post(`${V1}/surveys/${s.id}/open`, { version: edited.version }));
    expect(opened.status).toBe('open');
    expectProblem(
      await office.patch(`${V1}/surveys/${s.id}`, { version: opened.version, title: { zh: 'x' } }),
      409,
      'SURVEY_NOT_EDITABLE',
    );

    // The public page in the asker's language, the code typed in lower case without dashes.
    const typed = (b.codes[0] as string).replace(/-/g, '').toLowerCase();
    const tw = expectOk(await pub.get(`${V1}/public/survey/${typed}`, { 'x-locale': 'zh-TW' }));
    expect(tw.title).toBe('整改满意度测评'); // no 繁體 title given: the 简体 one
    expect(tw.intro).toBe('本測評匿名進行');
    expect(tw.unitName).toBe('市财政局');
    expect(tw.audience).toBe('staff');
    expect(tw.questions[0].text).toBe('對本單位整改工作總體評價');
    expect(tw.questions[0].options.map((o: { label: string }) => o.label)).toEqual([
      '滿意',
      '基本滿意',
      '不滿意',
      '不瞭解',
    ]);
    const en = expectOk(await pub.get(`${V1}/public/survey/${b.codes[0]}`, { 'x-locale': 'en' }));
    expect(en.title).toBe('Satisfaction');
    expect(en.questions[2].text).toBe('Suggestions');

    // Three answers.
    expectOk(
      await pub.post(
        `${V1}/public/survey-answers`,
        sheet(s.id, typed, 'a', 'c', {
          answers: [
            { key: 'q1', option: 'a', text: '  整改到位 ' },
            { key: 'q2', option: 'c' },
            { key: 'note', text: '希望常态化' },
          ],
        }),
      ),
      201,
    );
    expectOk(await pub.post(`${V1}/public/survey-answers`, sheet(s.id, b.codes[1], 'b', 'd')), 201);
    expectOk(await pub.post(`${V1}/public/survey-answers`, sheet(s.id, b.codes[2], 'c', 'a')), 201);

    const r = expectOk(await leader.get(`${V1}/surveys/${s.id}/results`));
    expect(r.responses).toBe(3);
    expect(r.codeCount).toBe(12);
    expect(r.usedCount).toBe(3);
    expect(r.responseRate).toBe(25);
    const ua = r.units.find((u: { roundUnitId: number }) => u.roundUnitId === ru.A);
    expect(ua.responses).toBe(3);
    const q1 = ua.questions.find((q: { key: string }) => q.key === 'q1');
    expect(q1.options.map((o: { count: number }) => o.count)).toEqual([1, 1, 1, 0]);
    expect(q1.tally).toEqual({ satisfied: 2, unsatisfied: 1, excluded: 0, rate: 66.7 });
    expect(q1.comments).toEqual(['整改到位']);
    const q2 = ua.questions.find((q: { key: string }) => q.key === 'q2');
    expect(q2.tally).toEqual({ satisfied: 1, unsatisfied: 1, excluded: 1, rate: 50 });
    expect(ua.tally).toEqual({ satisfied: 3, unsatisfied: 2, excluded: 1, rate: 60 });
    expect(ua.questions.find((q: { key: string }) => q.key === 'note').comments).toEqual(['希望常态化']);
    const staff = ua.audiences.find((x: { audience: string }) => x.audience === 'staff');
    expect(staff).toMatchObject({ codeCount: 12, usedCount: 3, responses: 3, responseRate: 25 });
    const ub = r.units.find((u: { roundUnitId: number }) => u.roundUnitId === ru.B);
    expect(ub).toMatchObject({ responses: 0, codeCount: 0, responseRate: null, tally: { rate: null } });
    expect(r.batches[0]).toMatchObject({ id: b.batch.id, codeCount: 12, usedCount: 3, responseRate: 25 });

    // Reprint: the same codes, for survey.write only, audited.
    const auditBefore = (await snapshot(t)).audit;
    expect((await leader.get(`${V1}/survey-batches/${b.batch.id}/codes`)).statusCode).toBe(403);
    const again = expectOk(await office.get(`${V1}/survey-batches/${b.batch.id}/codes`));
    expect(again.codes).toEqual(b.codes);
    const printed = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'after'])
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(printed.action).toBe('survey.batch.print');
    expect(printed.after).not.toContain(normaliseCode(b.codes[0])!);
    expect((await snapshot(t)).audit).toBe(auditBefore + 1);

    // The Excel export.
    const x = await leader.get(`${V1}/surveys/${s.id}/results.xlsx`);
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as never);
    const rows: unknown[][] = [];
    wb.worksheets[0]!.eachRow((row) => rows.push(row.values as unknown[]));
    expect(rows.some((row) => row.includes('市财政局') && row.includes(60))).toBe(true);

    // Close: codes answer no more, no new batch, and the audit log keeps the final counts.
    const closed = expectOk(await office.post(`${V1}/surveys/${s.id}/close`, { version: opened.version }));
    expect(closed.status).toBe('closed');
    const closeAudit = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'after'])
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(closeAudit.action).toBe('survey.close');
    expect(closeAudit.after).toContain('"responses"');
    expectProblem(await pub.get(`${V1}/public/survey/${b.codes[5]}`), 409, 'SURVEY_CLOSED');
    expectProblem(await pub.post(`${V1}/public/survey-answers`, sheet(s.id, b.codes[5])), 409, 'SURVEY_CLOSED');
    expectProblem(
      await office.post(`${V1}/surveys/${s.id}/batches`, { roundUnitId: ru.A, audience: 'staff', count: 10 }),
      409,
      'SURVEY_CLOSED',
    );
    expectProblem(
      await office.post(`${V1}/surveys/${s.id}/open`, { version: closed.version }),
      409,
      'INVALID_TRANSITION',
    );

    // Who may: the leadership reads, a unit does not.
    expect((await leader.post(`${V1}/surveys/${s.id}/close`, { version: closed.version })).statusCode).toBe(403);
    expect((await unit.get(`${V1}/surveys/${s.id}/results`)).statusCode).toBe(403);
    const list = expectOk(await leader.get(`${V1}/surveys`));
    expect(list.items.find((i: { id: number }) => i.id === s.id)).toMatchObject({
      unitCount: 2,
      codeCount: 12,
      usedCount: 3,
    });
  });

  it('refuses a used, unknown, malformed or other survey’s code and a bad answer sheet, recording nothing', async () => {
    const one = await openSurvey([ru.A], [[ru.A, 'cadre', 10]]);
    const other = await openSurvey([ru.B], [[ru.B, 'public', 10]]);
    const [c1, c2] = one.codes[0] as [string, string];
    expectOk(await pub.post(`${V1}/public/survey-answers`, sheet(one.id, c1)), 201);
    const before = await snapshot(t);

    expectProblem(await pub.post(`${V1}/public/survey-answers`, sheet(one.id, c1)), 409, 'SURVEY_CODE_USED');
    expectProblem(await pub.get(`${V1}/public/survey/${c1}`), 409, 'SURVEY_CODE_USED');
    expectProblem(
      await pub.post(`${V1}/public/survey-answers`, sheet(one.id, '2222-3333-4444')),
      404,
      'SURVEY_CODE_UNKNOWN',
    );
    expectProblem(await pub.get(`${V1}/public/survey/2222-3333-4444`), 404, 'SURVEY_CODE_UNKNOWN');
    expectProblem(await pub.get(`${V1}/public/survey/not-a-code`), 404, 'SURVEY_CODE_UNKNOWN');
    expectProblem(await pub.post(`${V1}/public/survey-answers`, sheet(one.id, 'UUUU')), 404, 'SURVEY_CODE_UNKNOWN');
    // A code of the other survey sent with this survey's answers.
    expectProblem(
      await pub.post(`${V1}/public/survey-answers`, sheet(one.id, other.codes[0]![0]!)),
      409,
      'SURVEY_CODE_OTHER_SURVEY',
    );
    // Bad sheets: a question left out, an unknown option, a remark where none is allowed, an unknown question.
    for (const bad of [
      { answers: [{ key: 'q1', option: 'a' }] },
      {
        answers: [
          { key: 'q1', option: 'a' },
          { key: 'q2', option: 'zz' },
        ],
      },
      {
        answers: [
          { key: 'q1', option: 'a' },
          { key: 'q2', option: 'a', text: '说明' },
        ],
      },
      {
        answers: [
          { key: 'q1', option: 'a' },
          { key: 'q2', option: 'a' },
          { key: 'q9', option: 'a' },
        ],
      },
    ]) {
      expectProblem(
        await pub.post(`${V1}/public/survey-answers`, sheet(one.id, c2, 'a', 'a', bad)),
        400,
        'SURVEY_ANSWERS_INVALID',
      );
    }
    expect((await pub.post(`${V1}/public/survey-answers`, { code: c2, surveyId: one.id })).statusCode).toBe(400);
    expect(await snapshot(t)).toEqual(before);
    // …and the code refused for a bad sheet still answers once.
    expectOk(await pub.post(`${V1}/public/survey-answers`, sheet(one.id, c2)), 201);
    const r = expectOk(await office.get(`${V1}/surveys/${one.id}/results`));
    expect(r.responses).toBe(2);
    expect(r.usedCount).toBe(2);
  });

  it('records 1,000 concurrent answers exactly once each, with racing duplicates of the same codes refused', async () => {
    const s = await openSurvey(
      [ru.A, ru.B],
      [
        [ru.A, 'cadre', 300],
        [ru.A, 'public', 200],
        [ru.B, 'staff', 500],
      ],
    );
    const all = s.codes.flat();
    expect(all).toHaveLength(1000);
    const choice = (i: number) => DEFAULT_OPTIONS[i % 4]!.key;
    const sheets = all.map((code, i) => sheet(s.id, code, choice(i), choice(i + 1)));
    // 150 codes sent three more times with the same answers, all at once.
    const dups = sheets.slice(0, 150).flatMap((x) => [x, x, x]);
    const order = [...sheets, ...dups].map((x, i) => ({ x, k: (i * 7919) % 1451 })).sort((a, b) => a.k - b.k);
    const results = await Promise.all(order.map(({ x }) => pub.post(`${V1}/public/survey-answers`, x)));
    const byStatus = new Map<number, number>();
    for (const res of results) byStatus.set(res.statusCode, (byStatus.get(res.statusCode) ?? 0) + 1);
    expect(Object.fromEntries(byStatus)).toEqual({ 201: 1000, 409: 450 });
    for (const res of results.filter((x) => x.statusCode === 409)) expect(res.json().code).toBe('SURVEY_CODE_USED');

    const responses = await t.ctx.db
      .selectFrom('surveyResponses')
      .select(['roundUnitId', 'audience', (eb) => eb.fn.countAll<number>().as('n')])
      .where('surveyId', '=', s.id)
      .groupBy(['roundUnitId', 'audience'])
      .execute();
    const count = (u: number, a: string) =>
      Number(responses.find((r) => Number(r.roundUnitId) === u && r.audience === a)?.n ?? 0);
    expect([count(ru.A!, 'cadre'), count(ru.A!, 'public'), count(ru.B!, 'staff')]).toEqual([300, 200, 500]);
    const used = await t.ctx.db
      .selectFrom('surveyCodes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('surveyId', '=', s.id)
      .where('used', '=', 1)
      .executeTakeFirstOrThrow();
    expect(Number(used.n)).toBe(1000);

    const r = expectOk(await office.get(`${V1}/surveys/${s.id}/results`));
    expect(r.responses).toBe(1000);
    expect(r.responseRate).toBe(100);
    // Expected tallies from what was sent: options a, b satisfied; c not; d excluded.
    const expected = { satisfied: 0, unsatisfied: 0, excluded: 0 };
    const bucket = (k: string) => (k === 'a' || k === 'b' ? 'satisfied' : k === 'c' ? 'unsatisfied' : 'excluded');
    for (let i = 0; i < 1000; i++) {
      expected[bucket(choice(i))]++;
      expected[bucket(choice(i + 1))]++;
    }
    expect({ ...r.tally, rate: undefined }).toEqual({ ...expected, rate: undefined });
    const unitA = r.units.find((u: { roundUnitId: number }) => u.roundUnitId === ru.A);
    const q1 = unitA.questions.find((q: { key: string }) => q.key === 'q1');
    expect(q1.options.map((o: { count: number }) => o.count)).toEqual([125, 125, 125, 125]);
    expect(unitA.audiences.map((a: { audience: string; responses: number }) => [a.audience, a.responses])).toEqual([
      ['cadre', 300],
      ['staff', 0],
      ['public', 200],
    ]);
  });

  it('keeps answers anonymous: the answer tables have no column that leads to a code, a batch, a person or a time', async () => {
    // Some answers of its own, so the test stands alone.
    const s = await openSurvey([ru.A!], [[ru.A!, 'public', 20]]);
    for (const code of s.codes[0]!) expectOk(await pub.post(`${V1}/public/survey-answers`, sheet(s.id, code)), 201);
    const tables = ['survey_responses', 'survey_answers'];
    const columns: Record<string, { name: string; type: string }[]> = {};
    const refs: Record<string, string[]> = {};
    for (const table of tables) {
      if (dialect === 'sqlite') {
        const cols = await sql<{
          name: string;
          type: string;
        }>`select name, type from pragma_table_info(${table})`.execute(t.ctx.db);
        columns[table] = cols.rows.map((c) => ({ name: c.name, type: c.type.toLowerCase() }));
        const fks = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${table})`.execute(
          t.ctx.db,
        );
        refs[table] = fks.rows.map((f) => f.table);
        // WITHOUT ROWID: no hidden insertion-order number either.
        const rowid = await sql`select rowid from ${sql.table(table)} limit 1`.execute(t.ctx.db).then(
          () => true,
          () => false,
        );
        expect(rowid, `${table} has a rowid`).toBe(false);
      } else {
        // Aliases without underscores: the database layer turns snake_case result keys into camelCase.
        const cols = await sql<{ name: string; type: string }>`
          select column_name as name, data_type as type from information_schema.columns
          where table_schema = current_schema() and table_name = ${table}`.execute(t.ctx.db);
        columns[table] = cols.rows.map((c) => ({ name: c.name, type: c.type.toLowerCase() }));
        const fks = await sql<{ ref: string }>`
          select ccu.table_name as ref
          from information_schema.table_constraints tc
          join information_schema.constraint_column_usage ccu
            on ccu.constraint_name = tc.constraint_name and ccu.constraint_schema = tc.constraint_schema
          where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema() and tc.table_name = ${table}`.execute(
          t.ctx.db,
        );
        refs[table] = fks.rows.map((f) => f.ref);
      }
    }
    // Exactly these columns, nothing else (a new column must come through this test).
    expect(columns.survey_responses!.map((c) => c.name).sort()).toEqual([
      'audience',
      'id',
      'round_unit_id',
      'survey_id',
    ]);
    expect(columns.survey_answers!.map((c) => c.name).sort()).toEqual([
      'option_key',
      'question_key',
      'response_id',
      'text',
    ]);
    for (const table of tables) {
      for (const c of columns[table]!) {
        expect(c.name, `${table}.${c.name}`).not.toMatch(/code|batch|hash|token|user|ip|_at$|time|date|session|actor/);
        expect(c.type, `${table}.${c.name}`).not.toMatch(/time|date/);
      }
      for (const ref of refs[table]!) expect(['surveys', 'round_units', 'survey_responses']).toContain(ref);
    }
    // The response key is random, not a sequence that would follow the order codes were used in.
    const ids = (await t.ctx.db.selectFrom('surveyResponses').select('id').limit(50).execute()).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    // The code keeps a used flag and no time.
    const codeCols =
      dialect === 'sqlite'
        ? (await sql<{ name: string }>`select name from pragma_table_info('survey_codes')`.execute(t.ctx.db)).rows.map(
            (c) => c.name,
          )
        : (
            await sql<{ name: string }>`select column_name as name from information_schema.columns
              where table_schema = current_schema() and table_name = 'survey_codes'`.execute(t.ctx.db)
          ).rows.map((c) => c.name);
    expect(codeCols.sort()).toEqual(['batch_id', 'code_hash', 'id', 'survey_id', 'used']);
    // No answer is audited: the public answers left no audit row with a code, response or IP of theirs.
    const answered = await t.ctx.db
      .selectFrom('auditLog')
      .select('action')
      .where('action', 'like', 'survey.%')
      .execute();
    expect(
      answered
        .map((a) => a.action)
        .filter((a) => !/^survey\.(create|update|open|close|batch\.create|batch\.print)$/.test(a)),
    ).toEqual([]);
  });

  it('limits the public routes per address, separately from the API limit', async () => {
    const limited = await createTestApp(dialect, { loginRateLimitPerMinute: 1 });
    try {
      const anon = limited.anonymous();
      const codes: number[] = [];
      for (let i = 0; i < 11; i++) codes.push((await anon.get(`${V1}/public/survey/2222-3333-4444`)).statusCode);
      expect(codes.slice(0, 10)).toEqual(Array(10).fill(404));
      expectProblem(await anon.get(`${V1}/public/survey/2222-3333-4444`), 429, 'RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});
