import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, createTestApp, DIALECTS, type TestApp } from '../helpers.js';

const V1 = '/api/v1';
/** 2026-12-20 08:00 in Shanghai: after the first period's due date (2026-12-15). */
const AFTER_DUE = Date.UTC(2026, 11, 20, 0, 0, 0);

describe.each(DIALECTS)('progress reports (整改进展报告) on %s', (dialect) => {
  let t: TestApp;
  let office: Agent;
  let leader: Agent;
  let unitA: Agent;
  let unitB: Agent;
  let headA: Agent;
  let headB: Agent;
  let sup: Agent;
  let supOther: Agent;
  const org: Record<string, number> = {};
  const roundIds: number[] = [];
  let ruA: number;
  let ruB: number;
  let ruNoDeadline: number;
  let fileA1: number;
  let fileA2: number;
  let fileB: number;
  /** Measures of ruA: [deadline-type, long-term, deadline-type]. */
  let measures: number[] = [];

  beforeAll(async () => {
    t = await createTestApp(dialect, { sessionIdleMinutes: 525_600, sessionAbsoluteHours: 8_760 });
    const now = t.clock.now();
    org.unitA = await t.createOrg({ code: 'UA', name: '市财政局' });
    org.unitB = await t.createOrg({ code: 'UB', name: '市人防办' });
    org.sup = await t.createOrg({ code: 'SUP', name: '第一监督检查室', type: 'supervisor' });
    org.supOther = await t.createOrg({ code: 'SUP2', name: '第二监督检查室', type: 'supervisor' });
    await t.ctx.db
      .insertInto('liaisonLinks')
      .values({ unitOrgId: org.unitA, supervisorOrgId: org.sup, categories: null, createdAt: now })
      .execute();
    await t.ctx.db
      .insertInto('liaisonLinks')
      .values({ unitOrgId: org.unitB, supervisorOrgId: org.supOther, categories: null, createdAt: now })
      .execute();
    await t.createUser({ username: 'office', role: 'office' });
    await t.createUser({ username: 'leader', role: 'leader' });
    await t.createUser({ username: 'unita', role: 'unit', orgId: org.unitA });
    await t.createUser({ username: 'unitb', role: 'unit', orgId: org.unitB });
    await t.createUser({ username: 'heada', role: 'unit_head', orgId: org.unitA });
    await t.createUser({ username: 'headb', role: 'unit_head', orgId: org.unitB });
    await t.createUser({ username: 'sup', role: 'supervisor', orgId: org.sup });
    await t.createUser({ username: 'sup2', role: 'supervisor', orgId: org.supOther });
    await t.ctx.db
      .insertInto('dictionaries')
      .values({
        kind: 'problem_category',
        code: 'T_LEAD',
        labelZhCn: 'T_LEAD',
        labelZhTw: 'T_LEAD',
        labelEn: 'T_LEAD',
        sort: 0,
        active: 1,
        extra: null,
        version: 1,
        updatedAt: now,
      })
      .execute();
    const term = await t.ctx.db
      .insertInto('terms')
      .values({ number: 5, name: '第五届', startDate: null, endDate: null, version: 1, createdAt: now, updatedAt: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const n of [1, 2]) {
      const r = await t.ctx.db
        .insertInto('rounds')
        .values({
          termId: Number(term.id),
          number: n,
          name: `第${n}轮巡察`,
          type: 'regular',
          onSiteStart: null,
          onSiteEnd: null,
          notes: null,
          version: 1,
          createdAt: now,
          updatedAt: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      roundIds.push(Number(r.id));
    }
    const roundUnit = async (unitOrgId: number, roundId: number, deadline: string | null) => {
      const r = await t.ctx.db
        .insertInto('roundUnits')
        .values({
          roundId,
          termId: Number(term.id),
          unitOrgId,
          teamId: null,
          status: deadline ? 'rectifying' : 'on_site',
          cycle: 1,
          feedbackDate: deadline ? '2026-09-15' : null,
          deadline,
          deadlineOverridden: 0,
          version: 1,
          createdAt: now,
          updatedAt: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(r.id);
    };
    ruA = await roundUnit(org.unitA, roundIds[0]!, '2026-12-15');
    ruB = await roundUnit(org.unitB, roundIds[0]!, '2026-12-15');
    ruNoDeadline = await roundUnit(org.unitA, roundIds[1]!, null);
    const file = async (roundUnitId: number, unitOrgId: number, name: string, digit: string) => {
      const r = await t.ctx.db
        .insertInto('evidenceFiles')
        .values({
          sm3: digit.repeat(64),
          size: 1234,
          kind: 'pdf',
          name,
          roundUnitId,
          unitOrgId,
          uploadedBy: null,
          createdAt: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(r.id);
    };
    fileA1 = await file(ruA, org.unitA, '制度文件.pdf', 'a');
    fileA2 = await file(ruA, org.unitA, '会议纪要.pdf', 'b');
    fileB = await file(ruB, org.unitB, '人防办材料.pdf', 'c');
    [office, leader, unitA, unitB, headA, headB, sup, supOther] = await Promise.all(
      ['office', 'leader', 'unita', 'unitb', 'heada', 'headb', 'sup', 'sup2'].map((u) => t.login(u)),
    );
    const measure = (content: string, type = 'deadline') => ({ content, type, deadline: '2026-12-10' });
    const p1 = await unitA.post(`${V1}/round-units/${ruA}/problems`, {
      number: '一、（一）1.',
      categoryCode: 'T_LEAD',
      description: '落实主体责任不到位',
      source: 'feedback',
      severity: 'high',
      measures: [measure('建立三重一大决策制度'), measure('常态化开展警示教育', 'long_term')],
    });
    expect(p1.statusCode, p1.body).toBe(201);
    const p2 = await unitA.post(`${V1}/round-units/${ruA}/problems`, {
      number: '一、（一）2.',
      categoryCode: 'T_LEAD',
      description: '财务管理不规范',
      source: 'feedback',
      severity: 'medium',
      measures: [measure('清理违规报销')],
    });
    expect(p2.statusCode, p2.body).toBe(201);
    measures = [...p1.json().measures.map((m: { id: number }) => m.id), p2.json().measures[0].id];
    const pB = await unitB.post(`${V1}/round-units/${ruB}/problems`, {
      number: '一、1.',
      categoryCode: 'T_LEAD',
      description: '人防工程管理薄弱',
      source: 'feedback',
      severity: 'low',
      measures: [measure('开展人防工程排查')],
    });
    expect(pB.statusCode, pB.body).toBe(201);
  });
  afterAll(() => t.close());

  function expectProblemDoc(
    res: { statusCode: number; body: string; json(): any; headers: any },
    status: number,
    code: string,
  ) {
    expect(res.statusCode, res.body).toBe(status);
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    expect(res.json().code, res.body).toBe(code);
  }

  /** Row counts, version sums and the audit head: equal before and after means nothing was written. */
  async function fingerprint() {
    const r = await sql<Record<string, number | string>>`
      SELECT
        (SELECT count(*) FROM progress_reports) AS reports,
        (SELECT coalesce(sum(version), 0) FROM progress_reports) AS report_versions,
        (SELECT count(*) FROM progress_report_items) AS items,
        (SELECT count(*) FROM progress_report_versions) AS versions,
        (SELECT count(*) FROM measure_evidence) AS evidence,
        (SELECT coalesce(sum(version), 0) FROM measures) AS measure_versions,
        (SELECT count(*) FROM audit_log) AS audit_seq`.execute(t.ctx.db);
    const items = await t.ctx.db
      .selectFrom('progressReportItems')
      .select(['reportId', 'measureId', 'reportedStatus', 'narrative', 'fileIds'])
      .orderBy('id')
      .execute();
    return { ...Object.fromEntries(Object.entries(r.rows[0]!).map(([k, v]) => [k, Number(v)])), items };
  }

  async function auditCount(action: string, entityId?: number) {
    let q = t.ctx.db.selectFrom('auditLog').select(sql<number>`count(*)`.as('n')).where('action', '=', action);
    if (entityId) q = q.where('entityId', '=', String(entityId));
    return Number((await q.executeTakeFirstOrThrow()).n);
  }

  async function figures() {
    const res = await office.get(`${V1}/dashboard/figures?roundId=${roundIds[0]}&unitOrgId=${org.unitA}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  async function measureRow(id: number) {
    return (await office.get(`${V1}/measures/${id}`)).json();
  }

  let reportId: number;
  let version: number;

  it('lists the reporting periods: the first due at the deadline; none without a deadline; 404 out of scope', async () => {
    const res = await unitA.get(`${V1}/round-units/${ruA}/progress-reports`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      deadline: '2026-12-15',
      cadence: 'quarterly',
      items: [{ seq: 1, kind: 'period_end', dueDate: '2026-12-15', overdue: false, report: null }],
    });
    const none = await unitA.get(`${V1}/round-units/${ruNoDeadline}/progress-reports`);
    expect(none.statusCode, none.body).toBe(200);
    expect(none.json().items).toEqual([]);
    expectProblemDoc(await supOther.get(`${V1}/round-units/${ruA}/progress-reports`), 404, 'NOT_FOUND');
    expectProblemDoc(await unitB.get(`${V1}/round-units/${ruA}/progress-reports`), 404, 'NOT_FOUND');
    const before = await fingerprint();
    expectProblemDoc(
      await unitA.post(`${V1}/round-units/${ruNoDeadline}/progress-reports`, { periodSeq: 1 }),
      409,
      'FEEDBACK_REQUIRED',
    );
    expectProblemDoc(
      await unitA.post(`${V1}/round-units/${ruA}/progress-reports`, { periodSeq: 2 }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblemDoc(await unitB.post(`${V1}/round-units/${ruA}/progress-reports`, { periodSeq: 1 }), 404, 'NOT_FOUND');
    expectProblemDoc(await headA.post(`${V1}/round-units/${ruA}/progress-reports`, { periodSeq: 1 }), 403, 'FORBIDDEN');
    expect(await fingerprint()).toEqual(before);
  });

  it('creates a draft pre-filled with every measure; the same period twice is a 409 naming the report', async () => {
    const res = await unitA.post(`${V1}/round-units/${ruA}/progress-reports`, { periodSeq: 1 });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({
      roundUnitId: ruA,
      unitOrgId: org.unitA,
      unitName: '市财政局',
      periodSeq: 1,
      periodKind: 'period_end',
      dueDate: '2026-12-15',
      status: 'draft',
      revision: 1,
      late: false,
      overdue: false,
      submittedAt: null,
      version: 1,
    });
    expect(r.items.map((i: { measureId: number }) => i.measureId)).toEqual(measures);
    expect(r.items[0]).toEqual({
      measureId: measures[0],
      problemId: expect.any(Number),
      problemNumber: '一、（一）1.',
      seq: 1,
      content: '建立三重一大决策制度',
      type: 'deadline',
      categoryCode: 'T_LEAD',
      measureStatus: 'not_started',
      reportedStatus: 'not_started',
      narrative: '',
      files: [],
    });
    reportId = r.id;
    version = r.version;
    expect(await auditCount('progress.create', reportId)).toBe(1);

    const before = await fingerprint();
    const dup = await unitA.post(`${V1}/round-units/${ruA}/progress-reports`, { periodSeq: 1 });
    expectProblemDoc(dup, 409, 'DUPLICATE');
    expect(dup.json().id).toBe(reportId);
    expect(await fingerprint()).toEqual(before);

    const periods = (await unitA.get(`${V1}/round-units/${ruA}/progress-reports`)).json();
    expect(periods.items[0].report).toEqual({
      id: reportId,
      status: 'draft',
      revision: 1,
      late: false,
      dueDate: '2026-12-15',
      submittedAt: null,
    });
  });

  it('keeps a draft from supervisors and leaders; the office and the unit head see it', async () => {
    expectProblemDoc(await sup.get(`${V1}/progress-reports/${reportId}`), 404, 'NOT_FOUND');
    expectProblemDoc(await leader.get(`${V1}/progress-reports/${reportId}`), 404, 'NOT_FOUND');
    expectProblemDoc(await supOther.get(`${V1}/progress-reports/${reportId}`), 404, 'NOT_FOUND');
    expectProblemDoc(await unitB.get(`${V1}/progress-reports/${reportId}`), 404, 'NOT_FOUND');
    expect((await office.get(`${V1}/progress-reports/${reportId}`)).statusCode).toBe(200);
    expect((await headA.get(`${V1}/progress-reports/${reportId}`)).statusCode).toBe(200);
    expect((await sup.get(`${V1}/progress-reports`)).json().items).toEqual([]);
    const periods = (await sup.get(`${V1}/round-units/${ruA}/progress-reports`)).json();
    expect(periods.items[0].report).toBeNull();
    expect((await office.get(`${V1}/progress-reports`)).json().items.map((i: { id: number }) => i.id)).toEqual([
      reportId,
    ]);
  });

  it('refuses bad bodies with 400 and a code, and changes nothing', async () => {
    const before = await fingerprint();
    const item = `${V1}/progress-reports/${reportId}/items/${measures[0]}`;
    for (const body of [
      { version, reportedStatus: 'closed' },
      { version, reportedStatus: 'done' },
      { version, narrative: 'x'.repeat(5001) },
      { version, fileIds: [fileA1, fileA1] },
      { version, fileIds: [0] },
      { reportedStatus: 'in_progress' },
      { version, narrative: 'ok', extra: 1 },
      { version: 'one', narrative: 'ok' },
    ]) {
      expectProblemDoc(await unitA.put(item, body), 400, 'VALIDATION_FAILED');
    }
    expectProblemDoc(await unitA.put(`${V1}/progress-reports/${reportId}`, { summary: 'x' }), 400, 'VALIDATION_FAILED');
    expectProblemDoc(await unitA.post(`${V1}/progress-reports/${reportId}/send`, {}), 400, 'VALIDATION_FAILED');
    expectProblemDoc(
      await headA.post(`${V1}/progress-reports/${reportId}/return`, { version, note: '' }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblemDoc(
      await unitA.post(`${V1}/round-units/${ruA}/progress-reports`, { periodSeq: 0 }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblemDoc(await unitA.post(`${V1}/round-units/${ruA}/progress-reports`, {}), 400, 'VALIDATION_FAILED');
    expectProblemDoc(await unitA.get(`${V1}/progress-reports?status=late`), 400, 'VALIDATION_FAILED');
    expectProblemDoc(await unitA.get(`${V1}/progress-reports/${reportId}/compare?from=1`), 400, 'VALIDATION_FAILED');
    // A measure that is not an item of the report, and a report that does not exist.
    expectProblemDoc(
      await unitA.put(`${V1}/progress-reports/${reportId}/items/2147483647`, { version }),
      404,
      'NOT_FOUND',
    );
    expectProblemDoc(
      await unitA.put(`${V1}/progress-reports/2147483647/items/${measures[0]}`, { version }),
      404,
      'NOT_FOUND',
    );
    expect(await fingerprint()).toEqual(before);
  });

  it('refuses files of another round-unit with FILE_NOT_IN_ROUND_UNIT and changes nothing', async () => {
    const before = await fingerprint();
    for (const fileIds of [[fileB], [fileA1, fileB], [2147483647]]) {
      const res = await unitA.put(`${V1}/progress-reports/${reportId}/items/${measures[0]}`, {
        version,
        narrative: '已完成',
        fileIds,
      });
      expectProblemDoc(res, 400, 'FILE_NOT_IN_ROUND_UNIT');
    }
    expect(await fingerprint()).toEqual(before);
  });

  it('refuses sending while a narrative is missing (REPORT_INCOMPLETE with the count)', async () => {
    const before = await fingerprint();
    const res = await unitA.post(`${V1}/progress-reports/${reportId}/send`, { version });
    expectProblemDoc(res, 400, 'REPORT_INCOMPLETE');
    expect(res.json().measureIds).toEqual(measures);
    expect(res.json().detail).toContain('3');
    expect(await fingerprint()).toEqual(before);
  });

  it('fills in items and the summary, each bumping the version; a stale version is a 409 with the current report', async () => {
    let res = await unitA.put(`${V1}/progress-reports/${reportId}/items/${measures[0]}`, {
      version,
      reportedStatus: 'completed',
      narrative: '  已制定《三重一大决策制度实施细则》  ',
      fileIds: [fileA1],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().version).toBe(version + 1);
    expect(res.json().items[0]).toMatchObject({
      reportedStatus: 'completed',
      measureStatus: 'not_started',
      narrative: '已制定《三重一大决策制度实施细则》',
      files: [{ id: fileA1, name: '制度文件.pdf', size: 1234, kind: 'pdf', sm3: 'a'.repeat(64) }],
    });
    const stale = version;
    version = res.json().version;

    const before = await fingerprint();
    res = await unitA.put(`${V1}/progress-reports/${reportId}/items/${measures[1]}`, {
      version: stale,
      narrative: '开展警示教育',
    });
    expectProblemDoc(res, 409, 'CONFLICT_STALE');
    expect(res.json().current).toMatchObject({ id: reportId, version });
    expectProblemDoc(
      await unitA.post(`${V1}/progress-reports/${reportId}/send`, { version: stale }),
      409,
      'CONFLICT_STALE',
    );
    expect(await fingerprint()).toEqual(before);

    res = await unitA.put(`${V1}/progress-reports/${reportId}/items/${measures[1]}`, {
      version,
      reportedStatus: 'in_progress',
      narrative: '已开展警示教育两次',
    });
    expect(res.statusCode, res.body).toBe(200);
    version = res.json().version;
    res = await unitA.put(`${V1}/progress-reports/${reportId}/items/${measures[2]}`, {
      version,
      reportedStatus: 'in_progress',
      narrative: '正在清理',
    });
    expect(res.statusCode, res.body).toBe(200);
    version = res.json().version;
    res = await unitA.put(`${V1}/progress-reports/${reportId}`, { version, summary: '整改总体进展顺利' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ summary: '整改总体进展顺利', version: version + 1 });
    version = res.json().version;
    expect(await auditCount('progress.item.update', reportId)).toBe(3);
    expect(await auditCount('progress.update', reportId)).toBe(1);
    // Nothing reaches the ledger before sign-off.
    expect((await measureRow(measures[0]!)).status).toBe('not_started');
  });

  it('sends to the head, who returns it with a note; sent again, a liaison cannot sign and another head gets 404', async () => {
    let res = await unitA.post(`${V1}/progress-reports/${reportId}/send`, { version });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'pending_signoff', sentForSignoffAt: t.clock.now() });
    version = res.json().version;

    const before = await fingerprint();
    expectProblemDoc(
      await unitA.put(`${V1}/progress-reports/${reportId}/items/${measures[0]}`, { version, narrative: 'x' }),
      409,
      'REPORT_NOT_EDITABLE',
    );
    expectProblemDoc(
      await unitA.put(`${V1}/progress-reports/${reportId}`, { version, summary: 'x' }),
      409,
      'REPORT_NOT_EDITABLE',
    );
    expectProblemDoc(
      await unitA.post(`${V1}/progress-reports/${reportId}/send`, { version }),
      409,
      'INVALID_TRANSITION',
    );
    expectProblemDoc(
      await unitA.post(`${V1}/progress-reports/${reportId}/revise`, { version }),
      409,
      'INVALID_TRANSITION',
    );
    expectProblemDoc(await unitA.post(`${V1}/progress-reports/${reportId}/signoff`, { version }), 403, 'FORBIDDEN');
    expectProblemDoc(await office.post(`${V1}/progress-reports/${reportId}/signoff`, { version }), 403, 'FORBIDDEN');
    expectProblemDoc(await headB.post(`${V1}/progress-reports/${reportId}/signoff`, { version }), 404, 'NOT_FOUND');
    expectProblemDoc(
      await headB.post(`${V1}/progress-reports/${reportId}/return`, { version, note: '不行' }),
      404,
      'NOT_FOUND',
    );
    expect(await fingerprint()).toEqual(before);

    const queue = (await headA.get(`${V1}/progress-reports?status=pending_signoff`)).json();
    expect(queue.items.map((i: { id: number }) => i.id)).toEqual([reportId]);
    expect((await headB.get(`${V1}/progress-reports?status=pending_signoff`)).json().items).toEqual([]);

    res = await headA.post(`${V1}/progress-reports/${reportId}/return`, { version, note: '请补充警示教育的佐证材料' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'draft', returnNote: '请补充警示教育的佐证材料' });
    version = res.json().version;

    res = await unitA.put(`${V1}/progress-reports/${reportId}/items/${measures[1]}`, {
      version,
      fileIds: [fileA2],
    });
    expect(res.statusCode, res.body).toBe(200);
    version = res.json().version;
    res = await unitA.post(`${V1}/progress-reports/${reportId}/send`, { version });
    expect(res.statusCode, res.body).toBe(200);
    version = res.json().version;
    expect(await auditCount('progress.send', reportId)).toBe(2);
    expect(await auditCount('progress.return', reportId)).toBe(1);
    // Still unsubmitted: the supervisor sees nothing, the ledger and the figures have not moved.
    expectProblemDoc(await sup.get(`${V1}/progress-reports/${reportId}`), 404, 'NOT_FOUND');
    expect((await measureRow(measures[0]!)).status).toBe('not_started');
    expect(await figures()).toMatchObject({ measures: 3, doneMeasures: 0, rectificationRate: 0 });
  });

  it('signs off in time: the measures move, evidence is linked, the version is kept and the figures move', async () => {
    const progressBefore = (await measureRow(measures[2]!)).lastProgressAt;
    t.clock.advance(60_000);
    const res = await headA.post(`${V1}/progress-reports/${reportId}/signoff`, { version });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ status: 'submitted', late: false, overdue: false, submittedAt: t.clock.now() });
    expect(r.signedByName).toBe('heada');
    version = r.version;

    const [m0, m1, m2] = await Promise.all(measures.map((id) => measureRow(id)));
    expect(m0).toMatchObject({ status: 'completed', isDone: true, completedOn: '2026-11-27' });
    expect(m1).toMatchObject({ status: 'in_progress', isDone: false });
    expect(m2).toMatchObject({ status: 'in_progress' });
    for (const m of [m0, m1, m2]) expect(m.lastProgressAt).toBe(t.clock.now());
    expect(progressBefore).toBeLessThan(t.clock.now());
    expect(await figures()).toMatchObject({ measures: 3, doneMeasures: 1, rectificationRate: 33.3 });

    const evidence = await t.ctx.db
      .selectFrom('measureEvidence')
      .select(['measureId', 'fileId', 'sm3', 'source', 'sourceId', 'roundUnitId'])
      .orderBy('id')
      .execute();
    const v1 = await t.ctx.db
      .selectFrom('progressReportVersions')
      .selectAll()
      .where('reportId', '=', reportId)
      .executeTakeFirstOrThrow();
    expect(evidence.map((e) => [Number(e.measureId), Number(e.fileId), e.sm3, e.source, Number(e.sourceId)])).toEqual([
      [measures[0], fileA1, 'a'.repeat(64), 'report', Number(v1.id)],
      [measures[1], fileA2, 'b'.repeat(64), 'report', Number(v1.id)],
    ]);
    expect(Number(v1.late)).toBe(0);
    expect(JSON.parse(v1.snapshot).items[0].files[0]).toMatchObject({ name: '制度文件.pdf', sm3: 'a'.repeat(64) });

    expect(await auditCount('progress.signoff', reportId)).toBe(1);
    expect(await auditCount('progress.measure.status')).toBe(3);

    // Now the supervisor of the unit and the leadership read it; a supervisor elsewhere still gets 404.
    const seen = await sup.get(`${V1}/progress-reports/${reportId}`);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json()).toMatchObject({ status: 'submitted', revision: 1, summary: '整改总体进展顺利' });
    expect(seen.json().items.map((i: { narrative: string }) => i.narrative)).toEqual([
      '已制定《三重一大决策制度实施细则》',
      '已开展警示教育两次',
      '正在清理',
    ]);
    expect((await leader.get(`${V1}/progress-reports/${reportId}`)).statusCode).toBe(200);
    expectProblemDoc(await supOther.get(`${V1}/progress-reports/${reportId}`), 404, 'NOT_FOUND');
    expectProblemDoc(await supOther.get(`${V1}/progress-reports/${reportId}/versions`), 404, 'NOT_FOUND');
    const queue = (await sup.get(`${V1}/progress-reports?status=submitted`)).json();
    expect(queue.items.map((i: { id: number }) => i.id)).toEqual([reportId]);
    expect((await supOther.get(`${V1}/progress-reports`)).json().items).toEqual([]);
    const versions = (await sup.get(`${V1}/progress-reports/${reportId}/versions`)).json();
    expect(versions.items).toEqual([
      { revision: 1, submittedAt: t.clock.now(), late: false, signedBy: expect.any(Number), signedByName: 'heada' },
    ]);
  });

  it('revises: a new draft revision the supervisor does not see; signed off late, a second version that compares', async () => {
    let res = await unitA.post(`${V1}/progress-reports/${reportId}/revise`, { version });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'draft', revision: 2 });
    expect(res.json().items.map((i: { narrative: string }) => i.narrative)[1]).toBe('已开展警示教育两次');
    version = res.json().version;

    res = await unitA.put(`${V1}/progress-reports/${reportId}/items/${measures[2]}`, {
      version,
      reportedStatus: 'completed',
      narrative: '违规报销已全部清退',
      fileIds: [fileA2],
    });
    expect(res.statusCode, res.body).toBe(200);
    version = res.json().version;
    res = await unitA.put(`${V1}/progress-reports/${reportId}/items/${measures[1]}`, { version, fileIds: [] });
    expect(res.statusCode, res.body).toBe(200);
    version = res.json().version;

    // The supervisor still reads revision 1 as signed off.
    const seen = (await sup.get(`${V1}/progress-reports/${reportId}`)).json();
    expect(seen).toMatchObject({ status: 'submitted', revision: 1 });
    expect(seen.items[2]).toMatchObject({ narrative: '正在清理', reportedStatus: 'in_progress' });
    const sList = (await sup.get(`${V1}/progress-reports?status=submitted`)).json().items;
    expect(sList).toMatchObject([{ id: reportId, status: 'submitted', revision: 1 }]);
    expect((await sup.get(`${V1}/progress-reports?status=draft`)).json().items).toEqual([]);

    res = await unitA.post(`${V1}/progress-reports/${reportId}/send`, { version });
    expect(res.statusCode, res.body).toBe(200);
    version = res.json().version;
    expect(await figures()).toMatchObject({ doneMeasures: 1 });

    t.clock.set(AFTER_DUE);
    res = await headA.post(`${V1}/progress-reports/${reportId}/signoff`, { version });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'submitted', revision: 2, late: true });
    version = res.json().version;
    expect(await figures()).toMatchObject({ doneMeasures: 2, rectificationRate: 66.7 });
    expect(await measureRow(measures[2]!)).toMatchObject({ status: 'completed', completedOn: '2026-12-20' });

    const versions = (await office.get(`${V1}/progress-reports/${reportId}/versions`)).json().items;
    expect(versions.map((v: { revision: number; late: boolean }) => [v.revision, v.late])).toEqual([
      [1, false],
      [2, true],
    ]);
    const v1 = (await sup.get(`${V1}/progress-reports/${reportId}/versions/1`)).json();
    expect(v1.items[2]).toMatchObject({ narrative: '正在清理', measureStatus: 'completed' });
    expectProblemDoc(await sup.get(`${V1}/progress-reports/${reportId}/versions/3`), 404, 'NOT_FOUND');

    const cmp = await sup.get(`${V1}/progress-reports/${reportId}/compare?from=1&to=2`);
    expect(cmp.statusCode, cmp.body).toBe(200);
    const byMeasure = new Map(cmp.json().items.map((i: { measureId: number }) => [i.measureId, i]));
    expect(byMeasure.get(measures[0])).toMatchObject({
      statusChanged: false,
      narrativeChanged: false,
      filesAdded: [],
      filesRemoved: [],
    });
    expect(byMeasure.get(measures[1])).toMatchObject({
      statusChanged: false,
      narrativeChanged: false,
      filesAdded: [],
      filesRemoved: [{ id: fileA2, name: '会议纪要.pdf' }],
    });
    expect(byMeasure.get(measures[2])).toMatchObject({
      from: { reportedStatus: 'in_progress', narrative: '正在清理' },
      to: { reportedStatus: 'completed', narrative: '违规报销已全部清退' },
      statusChanged: true,
      narrativeChanged: true,
      filesAdded: [{ id: fileA2, sm3: 'b'.repeat(64) }],
      filesRemoved: [],
    });
    expect(await auditCount('progress.revise', reportId)).toBe(1);
    expect(await auditCount('progress.signoff', reportId)).toBe(2);
    const late = (await office.get(`${V1}/progress-reports?late=true`)).json().items;
    expect(late.map((i: { id: number }) => i.id)).toEqual([reportId]);
    expect((await office.get(`${V1}/progress-reports?late=false`)).json().items).toEqual([]);
  });

  it('flags an unsubmitted period overdue; later periods cover long-term and unfinished measures', async () => {
    // Unit B never reported its first period (due 2026-12-15; today 2026-12-20).
    const b = (await supOther.get(`${V1}/round-units/${ruB}/progress-reports`)).json();
    expect(b.items[0]).toMatchObject({ seq: 1, overdue: true, report: null });
    expect(b.items[1]).toMatchObject({ seq: 2, kind: 'quarterly', dueDate: '2027-03-15', overdue: false });

    const a = (await unitA.get(`${V1}/round-units/${ruA}/progress-reports`)).json();
    expect(a.items.map((p: { seq: number; overdue: boolean }) => [p.seq, p.overdue])).toEqual([
      [1, false],
      [2, false],
    ]);
    const res = await unitA.post(`${V1}/round-units/${ruA}/progress-reports`, { periodSeq: 2 });
    expect(res.statusCode, res.body).toBe(201);
    // Measure 0 and 2 are done (deadline-type); measure 1 is long-term and still in progress.
    expect(res.json()).toMatchObject({ periodKind: 'quarterly', dueDate: '2027-03-15', status: 'draft' });
    expect(res.json().items.map((i: { measureId: number }) => i.measureId)).toEqual([measures[1]]);
    expect(res.json().items[0]).toMatchObject({ reportedStatus: 'in_progress', narrative: '' });

    // Keyset paging, newest first.
    const page1 = (await office.get(`${V1}/progress-reports?limit=1`)).json();
    expect(page1.items.map((i: { id: number }) => i.id)).toEqual([res.json().id]);
    const page2 = (await office.get(`${V1}/progress-reports?limit=1&cursor=${page1.nextCursor}`)).json();
    expect(page2.items.map((i: { id: number }) => i.id)).toEqual([reportId]);
    const page3 = (await office.get(`${V1}/progress-reports?limit=1&cursor=${page2.nextCursor}`)).json();
    expect(page3).toEqual({ items: [], nextCursor: null });
    expect(
      (await office.get(`${V1}/progress-reports?unitOrgId=${org.unitB}&roundId=${roundIds[0]}`)).json().items,
    ).toEqual([]);
  });

  it('answers a reported move the ledger forbids with INVALID_TRANSITION and leaves closure states alone', async () => {
    const draft = (await unitA.get(`${V1}/progress-reports?status=draft`)).json().items[0];
    const r = (await unitA.get(`${V1}/progress-reports/${draft.id}`)).json();
    const before = await fingerprint();
    // in_progress → not_started is a legal move; completed → not_started is not (measure 0 is not an item here).
    await t.ctx.db
      .updateTable('measures')
      .set({ status: 'closure_requested' })
      .where('id', '=', measures[1]!)
      .execute();
    expectProblemDoc(
      await unitA.put(`${V1}/progress-reports/${draft.id}/items/${measures[1]}`, {
        version: r.version,
        reportedStatus: 'completed',
      }),
      409,
      'MEASURE_LOCKED',
    );
    expect(await fingerprint()).toEqual(before);
    // Narratives may still be written; at sign-off the locked measure is left as it is but records progress.
    let res = await unitA.put(`${V1}/progress-reports/${draft.id}/items/${measures[1]}`, {
      version: r.version,
      narrative: '已申请销号',
    });
    expect(res.statusCode, res.body).toBe(200);
    res = await unitA.post(`${V1}/progress-reports/${draft.id}/send`, { version: res.json().version });
    expect(res.statusCode, res.body).toBe(200);
    t.clock.advance(3_600_000);
    res = await headA.post(`${V1}/progress-reports/${draft.id}/signoff`, { version: res.json().version });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ late: false, status: 'submitted' });
    expect(await measureRow(measures[1]!)).toMatchObject({
      status: 'closure_requested',
      lastProgressAt: t.clock.now(),
    });
  });

  it('submits an overdue first report late; a move made impossible meanwhile is left out at sign-off', async () => {
    // Unit B starts its overdue report; its one measure is 未启动 and so is the item.
    let res = await unitB.post(`${V1}/round-units/${ruB}/progress-reports`, { periodSeq: 1 });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({ overdue: true, late: false, status: 'draft' });
    const mId = r.items[0].measureId;
    res = await unitB.put(`${V1}/progress-reports/${r.id}/items/${mId}`, { version: r.version, narrative: '排查中' });
    expect(res.statusCode, res.body).toBe(200);
    let version = res.json().version;
    const move = async (to: string) => {
      const m = (await unitB.get(`${V1}/measures/${mId}`)).json();
      const moved = await unitB.post(`${V1}/measures/${mId}/status`, { to, version: m.version });
      expect(moved.statusCode, moved.body).toBe(200);
    };
    const put = (body: Record<string, unknown>) =>
      unitB.put(`${V1}/progress-reports/${r.id}/items/${mId}`, { version, ...body });
    // The measure is completed in the ledger meanwhile: 已完成 → 整改中 may be reported, 已完成 → 未启动 may not.
    await move('completed');
    res = await put({ reportedStatus: 'in_progress' });
    expect(res.statusCode, res.body).toBe(200);
    version = res.json().version;
    const before = await fingerprint();
    const bad = await put({ reportedStatus: 'not_started' });
    expectProblemDoc(bad, 409, 'INVALID_TRANSITION');
    expect(bad.json().detail).toContain('completed');
    expect(await fingerprint()).toEqual(before);
    // Back in progress, 未启动 may be reported; then the ledger completes it again before the sign-off.
    await move('in_progress');
    res = await put({ reportedStatus: 'not_started' });
    expect(res.statusCode, res.body).toBe(200);
    version = res.json().version;
    await move('completed');
    res = await unitB.post(`${V1}/progress-reports/${r.id}/send`, { version });
    expect(res.statusCode, res.body).toBe(200);
    version = res.json().version;
    res = await headB.post(`${V1}/progress-reports/${r.id}/signoff`, { version });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'submitted', late: true, overdue: false });
    expect((await unitB.get(`${V1}/measures/${mId}`)).json()).toMatchObject({ status: 'completed', isDone: true });
    const periods = (await supOther.get(`${V1}/round-units/${ruB}/progress-reports`)).json();
    expect(periods.items[0]).toMatchObject({ overdue: false, report: { id: r.id, status: 'submitted', late: true } });
    expect(
      (await supOther.get(`${V1}/progress-reports?late=true`)).json().items.map((i: { id: number }) => i.id),
    ).toEqual([r.id]);
  });

  it('shows a supervisor whose liaison covers one line only the items of that line', async () => {
    const lineOrg = await t.createOrg({
      code: 'PROP',
      name: '市委宣传部',
      type: 'supervisor',
      supervisorLine: 'propaganda',
    });
    await t.ctx.db
      .insertInto('liaisonLinks')
      .values({ unitOrgId: org.unitA, supervisorOrgId: lineOrg, categories: 'T_BUILD', createdAt: t.clock.now() })
      .execute();
    await t.createUser({ username: 'supline', role: 'supervisor', orgId: lineOrg });
    const line = await t.login('supline');
    const res = await line.get(`${V1}/progress-reports/${reportId}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: reportId, status: 'submitted', items: [] });
    expect((await line.get(`${V1}/progress-reports/${reportId}/versions/1`)).json().items).toEqual([]);
    expect((await sup.get(`${V1}/progress-reports/${reportId}/versions/1`)).json().items).toHaveLength(3);
  });

  it('documents every progress route in OpenAPI under the progress tag', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths as Record<string, Record<string, { tags?: string[]; responses: object }>>;
    const ops = Object.entries(paths)
      .filter(([p]) => p.includes('progress-reports'))
      .flatMap(([p, methods]) => Object.entries(methods).map(([m, op]) => ({ p, m, op })));
    expect(ops.length).toBe(13);
    for (const { op } of ops) {
      expect(op.tags).toEqual(['progress']);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '403', '404', '409']));
    }
  });
});
