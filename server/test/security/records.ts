import { Readable } from 'node:stream';
import type { TestApp } from '../helpers.js';

/**
 * A read by path parameter of a record that belongs to an organisation: how to make one in a given
 * organisation. The route-table suite expects 200 inside the caller's scope and 404 outside it.
 */
export interface ScopedRead {
  adminsSeeAll: boolean;
  make(t: TestApp, orgId: number): Promise<number>;
  /** The URL for a record id, when the route has more than the one id parameter (or needs a query). */
  url?: (id: string) => string;
}

let serial = 0;
/** A number no other fixture in this process used (for unique usernames, codes …). */
export const nextSerial = () => ++serial;

/** One of each business record of the ledger, belonging to one organisation (straight into the database). */
export interface LedgerRecords {
  round: number;
  roundUnit: number;
  problem: number;
  measure: number;
  immediate: number;
  file: number;
  progressReport: number;
  closure: number;
}
const ledgerMade = new Map<TestApp, Map<number, LedgerRecords>>();
export async function ledgerRecords(t: TestApp, orgId: number): Promise<LedgerRecords> {
  const perApp = ledgerMade.get(t) ?? new Map<number, LedgerRecords>();
  ledgerMade.set(t, perApp);
  const done = perApp.get(orgId);
  if (done) return done;
  const db = t.ctx.db;
  const now = t.clock.now();
  const stamps = { version: 1, createdAt: now, updatedAt: now };
  const id = (r: { id: number | bigint }) => Number(r.id);
  const termId = id(
    await db
      .insertInto('terms')
      .values({ number: 900 + orgId, name: `第${orgId}届`, startDate: null, endDate: null, ...stamps })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  const round = id(
    await db
      .insertInto('rounds')
      .values({
        termId,
        number: 1,
        name: `第1轮 ${orgId}`,
        type: 'regular',
        onSiteStart: null,
        onSiteEnd: null,
        notes: null,
        ...stamps,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  const roundUnit = id(
    await db
      .insertInto('roundUnits')
      .values({
        roundId: round,
        termId,
        unitOrgId: orgId,
        teamId: null,
        status: 'rectifying',
        cycle: 1,
        feedbackDate: '2026-11-01',
        deadline: '2027-02-01',
        deadlineOverridden: 0,
        ...stamps,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  const owner = { roundUnitId: roundUnit, roundId: round, termId, unitOrgId: orgId };
  const problem = id(
    await db
      .insertInto('problems')
      .values({
        ...owner,
        campaignId: null,
        seq: 1,
        number: '一、',
        categoryCode: 'party_leadership',
        description: '问题描述',
        source: 'feedback',
        severity: 'high',
        responsibleLeader: null,
        responsibleDepartment: null,
        responsiblePerson: null,
        measureCount: 1,
        doneCount: 0,
        ...stamps,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  const measure = id(
    await db
      .insertInto('measures')
      .values({
        ...owner,
        problemId: problem,
        categoryCode: 'party_leadership',
        seq: 1,
        content: '整改措施',
        type: 'deadline',
        status: 'in_progress',
        isDone: 0,
        deadline: '2027-01-31',
        extendedDeadline: null,
        effectiveDeadline: '2027-01-31',
        ownerName: null,
        ownerUserId: null,
        completedOn: null,
        rulesEstablished: 0,
        fundsReturnedFen: 0,
        lossesRecoveredFen: 0,
        peopleHeldAccountable: 0,
        casesFiled: 0,
        lastProgressAt: null,
        ...stamps,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  await db
    .insertInto('deadlineExtensions')
    .values({
      measureId: measure,
      unitOrgId: orgId,
      previousDeadline: '2027-01-31',
      requestedDeadline: '2027-03-31',
      reason: '理由',
      status: 'pending',
      requestedBy: null,
      requestedAt: now,
      decidedBy: null,
      decidedAt: null,
      decisionNote: null,
      ...stamps,
    })
    .execute();
  const immediate = id(
    await db
      .insertInto('immediateItems')
      .values({
        roundUnitId: roundUnit,
        unitOrgId: orgId,
        problemId: null,
        content: '立行立改事项',
        status: 'proposed',
        proposedBy: null,
        proposedAt: now,
        approvedBy: null,
        approvedAt: null,
        approvalNote: null,
        fixedBy: null,
        fixedAt: null,
        fixReport: null,
        verifiedBy: null,
        verifiedAt: null,
        verifyNote: null,
        ...stamps,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  // Evidence (a real blob in the store, so that a download in scope answers 200), a submitted
  // progress report with its version, and a pending closure application.
  const bytes = Buffer.from(`%PDF-1.4\n% evidence of org ${orgId}\n%%EOF\n`);
  const staged = await t.ctx.files.stage(Readable.from([bytes]), 1024 * 1024);
  await staged.commit();
  const file = id(
    await db
      .insertInto('evidenceFiles')
      .values({
        sm3: staged.sm3,
        size: staged.size,
        kind: 'pdf',
        name: `佐证材料-${orgId}.pdf`,
        roundUnitId: roundUnit,
        unitOrgId: orgId,
        uploadedBy: null,
        createdAt: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  await db
    .insertInto('measureEvidence')
    .values({
      measureId: measure,
      fileId: file,
      sm3: staged.sm3,
      problemId: problem,
      roundUnitId: roundUnit,
      unitOrgId: orgId,
      source: 'closure',
      sourceId: 0,
      createdAt: now,
    })
    .execute();
  const progressReport = id(
    await db
      .insertInto('progressReports')
      .values({
        roundUnitId: roundUnit,
        roundId: round,
        termId,
        unitOrgId: orgId,
        periodSeq: 1,
        periodKind: 'period_end',
        dueDate: '2027-02-01',
        status: 'submitted',
        revision: 1,
        summary: '整改进展',
        late: 0,
        preparedBy: null,
        sentForSignoffAt: now,
        signedBy: null,
        submittedAt: now,
        returnedBy: null,
        returnedAt: null,
        returnNote: null,
        ...stamps,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  await db
    .insertInto('progressReportItems')
    .values({
      reportId: progressReport,
      measureId: measure,
      reportedStatus: 'in_progress',
      narrative: '正在整改',
      fileIds: '[]',
      updatedAt: now,
    })
    .execute();
  await db
    .insertInto('progressReportVersions')
    .values({
      reportId: progressReport,
      revision: 1,
      snapshot: JSON.stringify({ summary: '整改进展', items: [] }),
      late: 0,
      preparedBy: null,
      signedBy: null,
      submittedAt: now,
    })
    .execute();
  const applicant = await t.createUser({ username: `applicant_${orgId}_${nextSerial()}`, role: 'unit', orgId });
  const closure = id(
    await db
      .insertInto('closures')
      .values({
        measureId: measure,
        problemId: problem,
        roundUnitId: roundUnit,
        unitOrgId: orgId,
        categoryCode: 'party_leadership',
        status: 'pending',
        summary: '申请销号',
        fileIds: JSON.stringify([file]),
        applicantId: applicant,
        appliedAt: now,
        decidedBy: null,
        decidedAt: null,
        decisionNote: null,
        reopenedBy: null,
        reopenedAt: null,
        reopenSource: null,
        reopenReason: null,
        ...stamps,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  const out = { round, roundUnit, problem, measure, immediate, file, progressReport, closure };
  perApp.set(orgId, out);
  return out;
}
