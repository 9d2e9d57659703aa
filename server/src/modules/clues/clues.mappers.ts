import type { CluesRepository } from './clues.repository.js';

type ClueRow = NonNullable<Awaited<ReturnType<CluesRepository['clue']>>>;

const numOrNull = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Number(v));

/** A clue's metadata as a list shows it (nothing sealed). */
export function toClueSummary(r: ClueRow, side: 'sender' | 'receiver') {
  return {
    id: Number(r.id),
    roundUnitId: Number(r.roundUnitId),
    roundId: Number(r.roundId),
    roundName: r.roundName,
    unitOrgId: Number(r.unitOrgId),
    unitName: r.unitName,
    problemId: numOrNull(r.problemId),
    problemNumber: r.problemNumber ?? null,
    senderOrgId: Number(r.senderOrgId),
    senderOrgName: r.senderOrgName,
    sentBy: numOrNull(r.sentBy),
    sentByName: r.sentByName ?? null,
    receivingOrgId: Number(r.receivingOrgId),
    receivingOrgName: r.receivingOrgName,
    source: r.source,
    status: r.status,
    sentAt: Number(r.sentAt),
    receivedBy: numOrNull(r.receivedBy),
    receivedByName: r.receivedByName ?? null,
    receivedAt: numOrNull(r.receivedAt),
    disposalKind: r.disposalKind,
    disposalDate: r.disposalDate,
    disposedBy: numOrNull(r.disposedBy),
    disposedByName: r.disposedByName ?? null,
    disposedAt: numOrNull(r.disposedAt),
    version: Number(r.version),
    side,
  };
}
export type ClueSummaryView = ReturnType<typeof toClueSummary>;

/** What an audit record keeps of a clue: ids, state and dates — never the sealed fields. */
export function clueAuditImage(c: ClueSummaryView) {
  return {
    status: c.status,
    roundUnitId: c.roundUnitId,
    problemId: c.problemId,
    senderOrgId: c.senderOrgId,
    receivingOrgId: c.receivingOrgId,
    source: c.source,
    disposalKind: c.disposalKind,
    disposalDate: c.disposalDate,
    version: c.version,
  };
}
