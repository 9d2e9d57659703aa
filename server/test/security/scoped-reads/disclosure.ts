import type { TestApp } from '../../helpers.js';
import { ledgerRecords, type ScopedRead } from '../records.js';

/** A draft typical-problem item on the organisation's problem (straight into the database). */
async function item(t: TestApp, orgId: number): Promise<number> {
  const { problem } = await ledgerRecords(t, orgId);
  const p = await t.ctx.db
    .selectFrom('problems')
    .select(['roundUnitId', 'roundId', 'termId'])
    .where('id', '=', problem)
    .executeTakeFirstOrThrow();
  const now = t.clock.now();
  const r = await t.ctx.db
    .insertInto('disclosureItems')
    .values({
      kind: 'typical',
      status: 'draft',
      batchId: null,
      roundUnitId: Number(p.roundUnitId),
      roundId: Number(p.roundId),
      termId: Number(p.termId),
      unitOrgId: orgId,
      cycle: 1,
      problemId: problem,
      reportKey: null,
      titleHans: '典型问题',
      titleHant: '典型問題',
      bodyHans: '内容',
      bodyHant: '內容',
      snapshot: null,
      persons: '[]',
      internalNote: null,
      publishedOn: null,
      createdBy: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

/** Reads by path parameter of the disclosure feature's records, with a maker per record kind. */
export const DISCLOSURE_SCOPED_READS: Record<string, ScopedRead> = {
  'GET /api/v1/disclosure/items/:id': { adminsSeeAll: false, make: item },
};

/** Reads by path parameter that are not scoped by organisation, each with the reason. */
export const DISCLOSURE_NOT_ORG_SCOPED: Record<string, string> = {
  'GET /api/v1/disclosure/batches/:id':
    'a batch (第N批) spans units; its items are filtered by the caller scope, and only all-scope roles read it',
  'GET /api/v1/public/disclosure/:id': 'the public view of a published item: anyone may read it, by design',
};
