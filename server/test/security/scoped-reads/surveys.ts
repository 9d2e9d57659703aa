import type { TestApp } from '../../helpers.js';
import { ledgerRecords, type ScopedRead } from '../records.js';

/** A draft survey about the organisation's round-unit (straight into the database). */
async function survey(t: TestApp, orgId: number): Promise<number> {
  const { roundUnit } = await ledgerRecords(t, orgId);
  const now = t.clock.now();
  const r = await t.ctx.db
    .insertInto('surveys')
    .values({
      title: JSON.stringify({ zh: `测评 ${orgId}` }),
      intro: JSON.stringify({ zh: '' }),
      questions: '[]',
      status: 'draft',
      openedAt: null,
      closedAt: null,
      createdBy: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(r.id);
  await t.ctx.db.insertInto('surveyUnits').values({ surveyId: id, roundUnitId: roundUnit, unitOrgId: orgId }).execute();
  return id;
}

/** A batch of that survey with a sealed (empty) list of codes. */
async function batch(t: TestApp, orgId: number): Promise<number> {
  const surveyId = await survey(t, orgId);
  const { roundUnit } = await ledgerRecords(t, orgId);
  const r = await t.ctx.db
    .insertInto('surveyBatches')
    .values({
      surveyId,
      roundUnitId: roundUnit,
      audience: 'staff',
      label: null,
      codeCount: 0,
      sealedCodes: '',
      createdBy: null,
      createdAt: t.clock.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(r.id);
  await t.ctx.db
    .updateTable('surveyBatches')
    .set({ sealedCodes: t.ctx.crypto.encrypt('[]', `survey-batch:${id}`) })
    .where('id', '=', id)
    .execute();
  return id;
}

/** Reads by path parameter of the surveys feature's records, with a maker per record kind. */
export const SURVEY_SCOPED_READS: Record<string, ScopedRead> = {
  'GET /api/v1/surveys/:id': { adminsSeeAll: false, make: survey },
  'GET /api/v1/surveys/:id/results': { adminsSeeAll: false, make: survey },
  'GET /api/v1/surveys/:id/results.xlsx': { adminsSeeAll: false, make: survey },
  'GET /api/v1/survey-batches/:id/codes': { adminsSeeAll: false, make: batch },
};

/** Reads by path parameter that are not scoped by organisation, each with the reason. */
export const SURVEY_NOT_ORG_SCOPED: Record<string, string> = {
  'GET /api/v1/public/survey/:code':
    'public, without login: the one-time code is the credential, and it shows only its own questionnaire',
};
