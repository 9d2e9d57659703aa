import type { ClosureRepository } from './closure.repository.js';

type ClosureRow = NonNullable<Awaited<ReturnType<ClosureRepository['closure']>>>;
type RecheckRow = NonNullable<Awaited<ReturnType<ClosureRepository['recheck']>>>;
type VerificationRow = Awaited<ReturnType<ClosureRepository['verifications']>>[number];

const numOrNull = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Number(v));

/** The file ids stored as a JSON array; anything else reads as none. */
export function parseFileIds(raw: string): number[] {
  try {
    const v = JSON.parse(raw) as unknown;
    return Array.isArray(v) ? v.filter((x) => Number.isSafeInteger(x)).map(Number) : [];
  } catch {
    return [];
  }
}

export function toClosure(r: ClosureRow) {
  return {
    id: Number(r.id),
    measureId: Number(r.measureId),
    problemId: Number(r.problemId),
    roundUnitId: Number(r.roundUnitId),
    unitOrgId: Number(r.unitOrgId),
    unitName: r.unitName,
    categoryCode: r.categoryCode,
    status: r.status,
    summary: r.summary,
    fileIds: parseFileIds(r.fileIds),
    applicantId: Number(r.applicantId),
    applicantName: r.applicantName,
    appliedAt: Number(r.appliedAt),
    decidedBy: numOrNull(r.decidedBy),
    decidedByName: r.decidedByName,
    decidedAt: numOrNull(r.decidedAt),
    decisionNote: r.decisionNote,
    reopenedBy: numOrNull(r.reopenedBy),
    reopenedByName: r.reopenedByName,
    reopenedAt: numOrNull(r.reopenedAt),
    reopenSource: r.reopenSource,
    reopenReason: r.reopenReason,
    version: Number(r.version),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  };
}
export type ClosureView = ReturnType<typeof toClosure>;

export function toClosureListItem(r: ClosureRow) {
  return { ...toClosure(r), problemNumber: r.problemNumber, measureContent: r.measureContent };
}

export function toVerification(r: VerificationRow) {
  return {
    id: Number(r.id),
    verifierId: Number(r.verifierId),
    verifierName: r.verifierName,
    verifierRole: r.verifierRole,
    verifierOrgId: Number(r.verifierOrgId),
    verifierOrgName: r.verifierOrgName,
    verdict: r.verdict,
    note: r.note,
    createdAt: Number(r.createdAt),
  };
}
export type VerificationView = ReturnType<typeof toVerification>;

export function toRecheck(r: RecheckRow, today: string) {
  return {
    id: Number(r.id),
    measureId: Number(r.measureId),
    closureId: Number(r.closureId),
    roundUnitId: Number(r.roundUnitId),
    unitOrgId: Number(r.unitOrgId),
    unitName: r.unitName,
    categoryCode: r.categoryCode,
    problemNumber: r.problemNumber,
    measureContent: r.measureContent,
    monthsAfter: Number(r.monthsAfter),
    dueDate: r.dueDate,
    overdue: r.status === 'pending' && r.dueDate < today,
    status: r.status,
    resultNote: r.resultNote,
    doneBy: numOrNull(r.doneBy),
    doneByName: r.doneByName,
    doneAt: numOrNull(r.doneAt),
    version: Number(r.version),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  };
}
