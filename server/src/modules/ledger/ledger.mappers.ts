import type { Selectable } from 'kysely';
import { fenToYuan, yuanToFen } from '../../../../domain/money.js';
import type { ImmediateItemStatus, Light } from '../../../../domain/rectification.js';
import type { DB } from '../../db/types.js';
import { AppError, invalid } from '../../platform/errors.js';
import type { MeasureRow, ProblemRow } from './ledger.repository.js';
import type { LedgerSort } from './sheet.repository.js';

/** Round-unit states in which the ledger is frozen: the result has been judged or made public. */
export const CLOSED_ROUND_UNIT_STATUSES: readonly string[] = ['evaluated', 'published'];

/** Measure states that belong to 对账销号 (M7): the measure itself is no longer edited here. */
export const LOCKED_MEASURE_STATUSES: readonly string[] = ['closure_requested', 'closed'];

const num = (v: number | string | null | undefined) => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Number(v));

/** The largest amount a measure may carry: exact in a JS number and in a bigint column (≈ 90 万亿元). */
const MAX_FEN = BigInt(Number.MAX_SAFE_INTEGER);

/** 元 string → integer 分, refusing negatives and amounts beyond exact range. */
export function moneyField(field: string, yuan: string): number {
  const fen = yuanToFen(yuan);
  if (fen < 0n || fen > MAX_FEN) throw invalid(`${field} must be between 0 and 90071992547409.91`);
  return Number(fen);
}

export function toMeasure(r: MeasureRow) {
  return {
    id: Number(r.id),
    problemId: Number(r.problemId),
    roundUnitId: Number(r.roundUnitId),
    roundId: Number(r.roundId),
    termId: Number(r.termId),
    unitOrgId: Number(r.unitOrgId),
    categoryCode: r.categoryCode,
    seq: Number(r.seq),
    content: r.content,
    type: r.type,
    status: r.status,
    isDone: !!Number(r.isDone),
    deadline: r.deadline,
    extendedDeadline: r.extendedDeadline,
    effectiveDeadline: r.effectiveDeadline,
    ownerName: r.ownerName,
    ownerUserId: numOrNull(r.ownerUserId),
    completedOn: r.completedOn,
    rulesEstablished: num(r.rulesEstablished),
    fundsReturned: fenToYuan(r.fundsReturnedFen),
    lossesRecovered: fenToYuan(r.lossesRecoveredFen),
    peopleHeldAccountable: num(r.peopleHeldAccountable),
    casesFiled: num(r.casesFiled),
    lastProgressAt: numOrNull(r.lastProgressAt),
    version: Number(r.version),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  };
}
export type MeasureView = ReturnType<typeof toMeasure>;

export interface ResponsibleView {
  id: number;
  name: string;
  post: string | null;
  duty: string;
}

export function toProblem(r: ProblemRow, responsibles: ResponsibleView[]) {
  const measureCount = Number(r.measureCount);
  const doneCount = Number(r.doneCount);
  return {
    id: Number(r.id),
    roundUnitId: Number(r.roundUnitId),
    roundId: Number(r.roundId),
    termId: Number(r.termId),
    unitOrgId: Number(r.unitOrgId),
    campaignId: numOrNull(r.campaignId),
    seq: Number(r.seq),
    number: r.number,
    categoryCode: r.categoryCode,
    description: r.description,
    source: r.source,
    severity: r.severity,
    responsibleLeader: r.responsibleLeader,
    responsibleDepartment: r.responsibleDepartment,
    responsiblePerson: r.responsiblePerson,
    measureCount,
    doneCount,
    rectified: measureCount > 0 && doneCount === measureCount,
    version: Number(r.version),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
    responsibles,
  };
}

export function toResponsible(r: { id: number; name: string; post: string | null; duty: string }): ResponsibleView {
  return { id: Number(r.id), name: r.name, post: r.post, duty: r.duty };
}

export function toImmediateItem(r: Selectable<DB['immediateItems']>) {
  return {
    id: Number(r.id),
    roundUnitId: Number(r.roundUnitId),
    unitOrgId: Number(r.unitOrgId),
    problemId: numOrNull(r.problemId),
    content: r.content,
    status: r.status as ImmediateItemStatus,
    proposedBy: numOrNull(r.proposedBy),
    proposedAt: numOrNull(r.proposedAt),
    approvedBy: numOrNull(r.approvedBy),
    approvedAt: numOrNull(r.approvedAt),
    approvalNote: r.approvalNote,
    fixedBy: numOrNull(r.fixedBy),
    fixedAt: numOrNull(r.fixedAt),
    fixReport: r.fixReport,
    verifiedBy: numOrNull(r.verifiedBy),
    verifiedAt: numOrNull(r.verifiedAt),
    verifyNote: r.verifyNote,
    version: Number(r.version),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  };
}

export function toExtension(r: {
  id: number;
  measureId: number;
  unitOrgId: number;
  previousDeadline: string;
  requestedDeadline: string;
  reason: string;
  status: string;
  requestedBy: number | null;
  requestedByName: string | null;
  requestedAt: number;
  decidedBy: number | null;
  decidedByName: string | null;
  decidedAt: number | null;
  decisionNote: string | null;
  version: number;
}) {
  return {
    ...r,
    id: Number(r.id),
    measureId: Number(r.measureId),
    unitOrgId: Number(r.unitOrgId),
    requestedBy: numOrNull(r.requestedBy),
    requestedAt: Number(r.requestedAt),
    decidedBy: numOrNull(r.decidedBy),
    decidedAt: numOrNull(r.decidedAt),
    version: Number(r.version),
  };
}

export function toCampaign(r: Selectable<DB['campaigns']>) {
  return {
    id: Number(r.id),
    name: r.name,
    categoryCode: r.categoryCode,
    description: r.description,
    version: Number(r.version),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  };
}

/** Overdue flags and the 红黄绿 light of one measure on a given day. */
export function measureLight(
  m: { isDone: boolean; deadline: string; effectiveDeadline: string },
  today: string,
  soon: string,
): { overdue: boolean; overdueAgainstOriginal: boolean; overdueAgainstExtended: boolean; light: Light } {
  const overdueAgainstOriginal = !m.isDone && m.deadline < today;
  const overdueAgainstExtended = !m.isDone && m.effectiveDeadline < today;
  const light: Light = overdueAgainstExtended ? 'red' : !m.isDone && m.effectiveDeadline <= soon ? 'yellow' : 'green';
  return { overdue: overdueAgainstExtended, overdueAgainstOriginal, overdueAgainstExtended, light };
}

// --- the opaque keyset cursor: (sort, order, sortValue, id) ----------------------------------

export function encodeCursor(sort: LedgerSort, order: 'asc' | 'desc', value: string | number, id: number): string {
  return Buffer.from(JSON.stringify([sort, order, value, id]), 'utf8').toString('base64url');
}

export function decodeCursor(
  cursor: string,
  sort: LedgerSort,
  order: 'asc' | 'desc',
): { value: string | number; id: number } {
  const bad = () => new AppError(400, 'VALIDATION_FAILED', { detail: 'querystring.after is not a valid cursor' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw bad();
  const [s, o, value, id] = parsed as unknown[];
  if (s !== sort || o !== order || !Number.isSafeInteger(id) || (id as number) < 0) throw bad();
  const numeric = sort === 'id' || sort === 'unit';
  if (numeric ? !Number.isSafeInteger(value) : typeof value !== 'string' || value.length > 40) throw bad();
  return { value: value as string | number, id: id as number };
}
