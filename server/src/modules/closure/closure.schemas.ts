import { type TSchema, Type } from 'typebox';
import { CLOSURE_STATUSES, CLOSURE_VERDICTS, RECHECK_STATUSES, REOPEN_SOURCES } from '../../../../domain/progress.js';
import { literalUnion } from '../../platform/schema.js';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Version = Type.Integer({ minimum: 1, maximum: 2147483647 });
const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, description: 'YYYY-MM-DD' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 }));

export const IdParams = Type.Object({ id: Id });

// ---------------------------------------------------------------------------------------------
// Requests

export const ApplyClosure = Type.Object(
  {
    version: Version,
    summary: Type.String({ minLength: 1, maxLength: 4000, description: 'What was done, for the verifiers' }),
    fileIds: Type.Array(Id, {
      maxItems: 50,
      uniqueItems: true,
      description: "Evidence: uploads of the measure's round-unit (at least one)",
    }),
  },
  { additionalProperties: false },
);

export const VerifyClosure = Type.Object(
  {
    verdict: literalUnion(CLOSURE_VERDICTS),
    note: Type.Optional(Type.String({ maxLength: 2000, description: 'Required when disagreeing' })),
  },
  { additionalProperties: false },
);

export const DecideClosure = Type.Object(
  {
    version: Version,
    decision: literalUnion(['approve', 'reject'] as const),
    note: Type.Optional(Type.String({ maxLength: 2000, description: 'The reason; required to reject' })),
  },
  { additionalProperties: false },
);

export const WithdrawClosure = Type.Object({ version: Version }, { additionalProperties: false });

export const ReopenMeasure = Type.Object(
  {
    version: Version,
    source: literalUnion(REOPEN_SOURCES, { description: 'lookback = 回头看, complaint = 信访举报, recheck, other' }),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);

export const RecordRecheck = Type.Object(
  {
    version: Version,
    result: literalUnion(['passed', 'failed'] as const),
    note: Type.Optional(Type.String({ maxLength: 2000, description: 'Required when failed: the reopening reason' })),
  },
  { additionalProperties: false },
);

export const ClosureQuery = Type.Object(
  {
    status: Type.Optional(literalUnion(CLOSURE_STATUSES)),
    roundUnitId: Type.Optional(Id),
    unitOrgId: Type.Optional(Id),
    limit: Limit,
    cursor: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'nextCursor' })),
  },
  { additionalProperties: false },
);

export const RecheckQuery = Type.Object(
  {
    status: Type.Optional(literalUnion(RECHECK_STATUSES)),
    dueBefore: Type.Optional(DateStr),
    unitOrgId: Type.Optional(Id),
    limit: Limit,
    cursor: Type.Optional(
      Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}_\\d{1,10}$', maxLength: 24, description: 'nextCursor' }),
    ),
  },
  { additionalProperties: false },
);

export const StalledQuery = Type.Object(
  {
    roundId: Type.Optional(Id),
    termId: Type.Optional(Id),
    unitOrgId: Type.Optional(Id),
    limit: Limit,
    cursor: Type.Optional(Type.String({ pattern: '^\\d{1,15}_\\d{1,10}$', maxLength: 30, description: 'nextCursor' })),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------------------------------------
// Responses

export const Closure = Type.Object({
  id: Type.Integer(),
  measureId: Type.Integer(),
  problemId: Type.Integer(),
  roundUnitId: Type.Integer(),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  categoryCode: Type.String(),
  status: Type.String(),
  summary: Type.String(),
  fileIds: Type.Array(Type.Integer()),
  applicantId: Type.Integer(),
  applicantName: Nullable(Type.String()),
  appliedAt: Type.Integer(),
  decidedBy: Nullable(Type.Integer()),
  decidedByName: Nullable(Type.String()),
  decidedAt: Nullable(Type.Integer()),
  decisionNote: Nullable(Type.String()),
  reopenedBy: Nullable(Type.Integer()),
  reopenedByName: Nullable(Type.String()),
  reopenedAt: Nullable(Type.Integer()),
  reopenSource: Nullable(Type.String()),
  reopenReason: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

export const ClosureListItem = Type.Object({
  ...Closure.properties,
  problemNumber: Type.String(),
  measureContent: Type.String(),
});
export const ClosurePage = Type.Object({ items: Type.Array(ClosureListItem), nextCursor: Nullable(Type.Integer()) });
export const ClosureList = Type.Object({ items: Type.Array(ClosureListItem) });

const Verification = Type.Object({
  id: Type.Integer(),
  verifierId: Type.Integer(),
  verifierName: Nullable(Type.String()),
  verifierRole: Type.String(),
  verifierOrgId: Type.Integer(),
  verifierOrgName: Nullable(Type.String()),
  verdict: Type.String(),
  note: Nullable(Type.String()),
  createdAt: Type.Integer(),
});

const RequiredVerifier = Type.Object({
  kind: literalUnion(['office', 'supervisor'] as const),
  orgId: Nullable(Type.Integer({ description: 'The supervising organisation; null for the office' })),
  name: Type.String(),
  done: Type.Boolean(),
  verdict: Nullable(Type.String()),
});

const ReuseElsewhere = Type.Object({
  problemId: Type.Integer(),
  problemNumber: Type.String(),
  measureId: Type.Integer(),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  roundUnitId: Type.Integer(),
  source: Type.String({ description: 'report | closure' }),
  offeredAt: Type.Integer(),
});

const ReusedEvidence = Type.Object({
  fileId: Type.Integer(),
  name: Type.String(),
  sm3: Type.String(),
  elsewhere: Type.Array(ReuseElsewhere, { description: 'Other problems offered the same bytes, in your scope' }),
  hiddenCount: Type.Integer({ description: 'Other problems outside your scope offered the same bytes' }),
});

export const Recheck = Type.Object({
  id: Type.Integer(),
  measureId: Type.Integer(),
  closureId: Type.Integer(),
  roundUnitId: Type.Integer(),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  categoryCode: Type.String(),
  problemNumber: Type.String(),
  measureContent: Type.String(),
  monthsAfter: Type.Integer(),
  dueDate: Type.String(),
  overdue: Type.Boolean(),
  status: Type.String(),
  resultNote: Nullable(Type.String()),
  doneBy: Nullable(Type.Integer()),
  doneByName: Nullable(Type.String()),
  doneAt: Nullable(Type.Integer()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});
export const RecheckPage = Type.Object({ items: Type.Array(Recheck), nextCursor: Nullable(Type.String()) });

export const ClosureDetail = Type.Object({
  ...Closure.properties,
  measure: Type.Object({
    id: Type.Integer(),
    content: Type.String(),
    type: Type.String(),
    status: Type.String(),
    ownerName: Nullable(Type.String()),
    ownerUserId: Nullable(Type.Integer()),
    ownerDisplayName: Nullable(Type.String()),
    effectiveDeadline: Type.String(),
    version: Type.Integer(),
  }),
  problem: Type.Object({
    id: Type.Integer(),
    number: Type.String(),
    description: Type.String(),
    categoryCode: Type.String(),
  }),
  files: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      kind: Type.String(),
      size: Type.Integer(),
      sm3: Type.String(),
      reused: Type.Boolean({ description: 'The same bytes were offered for another problem (虚假整改 flag)' }),
    }),
  ),
  verifications: Type.Array(Verification),
  requiredVerifiers: Type.Array(RequiredVerifier),
  reusedEvidence: Type.Array(ReusedEvidence),
  rechecks: Type.Array(Recheck),
});

export const StalledMeasure = Type.Object({
  measureId: Type.Integer(),
  problemId: Type.Integer(),
  problemNumber: Type.String(),
  roundUnitId: Type.Integer(),
  roundId: Type.Integer(),
  termId: Type.Integer(),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  categoryCode: Type.String(),
  content: Type.String(),
  type: Type.String(),
  status: Type.String(),
  effectiveDeadline: Type.String(),
  ownerName: Nullable(Type.String()),
  ownerUserId: Nullable(Type.Integer()),
  ownerDisplayName: Nullable(Type.String()),
  lastProgressAt: Type.Integer({ description: 'The last progress, or the creation when none' }),
  daysWithoutProgress: Type.Integer(),
});
export const StalledPage = Type.Object({
  stalledDays: Type.Integer(),
  items: Type.Array(StalledMeasure),
  nextCursor: Nullable(Type.String()),
});
