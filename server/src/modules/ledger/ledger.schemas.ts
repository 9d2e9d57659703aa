import { type TSchema, Type } from 'typebox';
import { YUAN_PATTERN } from '../../../../domain/money.js';
import {
  EXTENSION_STATUSES,
  IMMEDIATE_ITEM_STATUSES,
  MEASURE_STATUSES,
  MEASURE_TYPES,
  PROBLEM_SEVERITIES,
  PROBLEM_SOURCES,
} from '../../../../domain/rectification.js';
import { literalUnion } from '../../platform/schema.js';

/** The statuses a measure may be moved between here; the closure states belong to 对账销号 (M7). */
export const EDITABLE_MEASURE_STATUSES = ['not_started', 'in_progress', 'completed'] as const;

export const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Version = Type.Integer({ minimum: 1, maximum: 2147483647 });
const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, description: 'YYYY-MM-DD' });
const Yuan = Type.String({
  pattern: YUAN_PATTERN,
  maxLength: 19,
  description: '元 as a decimal string, e.g. "1234.50"',
});
const Count = Type.Integer({ minimum: 0, maximum: 1000000 });
const CategoryCode = Type.String({ minLength: 1, maxLength: 64 });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const OptText = (max: number) => Type.Optional(Nullable(Type.String({ maxLength: max })));

export const IdParams = Type.Object({ id: Id });
export const VersionQuery = Type.Object({ version: Version }, { additionalProperties: false });
export const Ok = Type.Object({ ok: Type.Literal(true) });

// ---------------------------------------------------------------------------------------------
// Measures (任务清单)

const MeasureFields = {
  content: Text(2000),
  type: literalUnion(MEASURE_TYPES),
  deadline: DateStr,
  ownerName: OptText(100),
  ownerUserId: Type.Optional(Nullable(Id)),
  rulesEstablished: Type.Optional(Count),
  fundsReturned: Type.Optional(Yuan),
  lossesRecovered: Type.Optional(Yuan),
  peopleHeldAccountable: Type.Optional(Count),
  casesFiled: Type.Optional(Count),
};

export const CreateMeasure = Type.Object(MeasureFields, { additionalProperties: false });

export const UpdateMeasure = Type.Object(
  {
    version: Version,
    content: Type.Optional(MeasureFields.content),
    type: Type.Optional(MeasureFields.type),
    deadline: Type.Optional(DateStr),
    ownerName: MeasureFields.ownerName,
    ownerUserId: MeasureFields.ownerUserId,
    rulesEstablished: MeasureFields.rulesEstablished,
    fundsReturned: MeasureFields.fundsReturned,
    lossesRecovered: MeasureFields.lossesRecovered,
    peopleHeldAccountable: MeasureFields.peopleHeldAccountable,
    casesFiled: MeasureFields.casesFiled,
  },
  { additionalProperties: false },
);

export const MeasureStatusChange = Type.Object(
  {
    to: literalUnion(MEASURE_STATUSES),
    version: Version,
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const Measure = Type.Object({
  id: Type.Integer(),
  problemId: Type.Integer(),
  roundUnitId: Type.Integer(),
  roundId: Type.Integer(),
  termId: Type.Integer(),
  unitOrgId: Type.Integer(),
  categoryCode: Type.String(),
  seq: Type.Integer(),
  content: Type.String(),
  type: Type.String(),
  status: Type.String(),
  isDone: Type.Boolean(),
  deadline: Type.String({ description: 'The original deadline' }),
  extendedDeadline: Nullable(Type.String()),
  effectiveDeadline: Type.String({ description: 'The approved extension, else the original deadline' }),
  ownerName: Nullable(Type.String()),
  ownerUserId: Nullable(Type.Integer()),
  completedOn: Nullable(Type.String()),
  rulesEstablished: Type.Integer(),
  fundsReturned: Type.String({ description: '元' }),
  lossesRecovered: Type.String({ description: '元' }),
  peopleHeldAccountable: Type.Integer(),
  casesFiled: Type.Integer(),
  lastProgressAt: Nullable(Type.Integer()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

export const BulkMeasures = Type.Object(
  {
    ids: Type.Array(Id, { minItems: 1, maxItems: 1000, uniqueItems: true }),
    action: literalUnion(['status', 'owner', 'deadline'] as const),
    to: Type.Optional(literalUnion(MEASURE_STATUSES)),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
    ownerName: OptText(100),
    ownerUserId: Type.Optional(Nullable(Id)),
    deadline: Type.Optional(DateStr),
    versions: Type.Optional(
      Type.Record(Type.String({ pattern: '^[1-9][0-9]{0,9}$' }), Version, {
        maxProperties: 1000,
        additionalProperties: false,
        description: 'The version read of each measure, by id; a stale one fails the whole request',
      }),
    ),
  },
  { additionalProperties: false },
);

export const BulkResult = Type.Object({ updated: Type.Integer(), items: Type.Array(Measure) });

// ---------------------------------------------------------------------------------------------
// Problems (问题清单 + 责任清单)

const Responsible = Type.Object(
  {
    name: Text(100),
    post: OptText(100),
    duty: literalUnion(['first', 'shared'] as const, { description: 'first = 第一责任人, shared = 一岗双责' }),
  },
  { additionalProperties: false },
);

const ProblemFields = {
  number: Text(40),
  categoryCode: CategoryCode,
  description: Text(4000),
  source: literalUnion(PROBLEM_SOURCES),
  severity: literalUnion(PROBLEM_SEVERITIES),
  responsibleLeader: OptText(100),
  responsibleDepartment: OptText(200),
  responsiblePerson: OptText(100),
  responsibles: Type.Optional(Type.Array(Responsible, { maxItems: 50 })),
  campaignId: Type.Optional(Nullable(Id)),
};

export const CreateProblem = Type.Object(
  { ...ProblemFields, measures: Type.Optional(Type.Array(CreateMeasure, { maxItems: 100 })) },
  { additionalProperties: false },
);

export const UpdateProblem = Type.Object(
  {
    version: Version,
    number: Type.Optional(ProblemFields.number),
    categoryCode: Type.Optional(ProblemFields.categoryCode),
    description: Type.Optional(ProblemFields.description),
    source: Type.Optional(ProblemFields.source),
    severity: Type.Optional(ProblemFields.severity),
    responsibleLeader: ProblemFields.responsibleLeader,
    responsibleDepartment: ProblemFields.responsibleDepartment,
    responsiblePerson: ProblemFields.responsiblePerson,
    responsibles: ProblemFields.responsibles,
    campaignId: ProblemFields.campaignId,
  },
  { additionalProperties: false },
);

export const ProblemResponsible = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  post: Nullable(Type.String()),
  duty: Type.String(),
});

const ProblemBase = {
  id: Type.Integer(),
  roundUnitId: Type.Integer(),
  roundId: Type.Integer(),
  termId: Type.Integer(),
  unitOrgId: Type.Integer(),
  campaignId: Nullable(Type.Integer()),
  seq: Type.Integer(),
  number: Type.String(),
  categoryCode: Type.String(),
  description: Type.String(),
  source: Type.String(),
  severity: Type.String(),
  responsibleLeader: Nullable(Type.String()),
  responsibleDepartment: Nullable(Type.String()),
  responsiblePerson: Nullable(Type.String()),
  measureCount: Type.Integer(),
  doneCount: Type.Integer(),
  rectified: Type.Boolean({ description: 'Every measure done (SPEC §5)' }),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
};

export const ProblemSummary = Type.Object({ ...ProblemBase, responsibles: Type.Array(ProblemResponsible) });
export const Problem = Type.Object({
  ...ProblemBase,
  responsibles: Type.Array(ProblemResponsible),
  measures: Type.Array(Measure),
});
export const ProblemList = Type.Object({ items: Type.Array(ProblemSummary) });

// ---------------------------------------------------------------------------------------------
// The ledger sheet (整改台账)

export const LEDGER_SORTS = ['id', 'deadline', 'status', 'unit'] as const;

export const LedgerQuery = Type.Object(
  {
    termId: Type.Optional(Id),
    roundId: Type.Optional(Id),
    roundUnitId: Type.Optional(Id),
    unitOrgId: Type.Optional(Id),
    categoryCode: Type.Optional(CategoryCode),
    status: Type.Optional(literalUnion(MEASURE_STATUSES)),
    type: Type.Optional(literalUnion(MEASURE_TYPES)),
    overdue: Type.Optional(Type.Boolean()),
    ownerUserId: Type.Optional(Id),
    q: Type.Optional(
      Type.String({ maxLength: 100, description: 'Text in the problem description or measure content' }),
    ),
    sort: Type.Optional(
      literalUnion(LEDGER_SORTS, {
        description: 'id; deadline = the effective deadline; status; unit = the unit organisation id',
      }),
    ),
    order: Type.Optional(literalUnion(['asc', 'desc'] as const)),
    after: Type.Optional(
      Type.String({ maxLength: 300, pattern: '^[A-Za-z0-9_-]+$', description: 'Opaque cursor: nextCursor' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

export const LedgerRow = Type.Object({
  ...Measure.properties,
  problemNumber: Type.String(),
  problemSeq: Type.Integer(),
  problemDescription: Type.String(),
  severity: Type.String(),
  source: Type.String(),
  campaignId: Nullable(Type.Integer()),
  responsibleLeader: Nullable(Type.String()),
  responsibleDepartment: Nullable(Type.String()),
  responsiblePerson: Nullable(Type.String()),
  firstResponsible: Nullable(Type.String({ description: '第一责任人' })),
  sharedResponsibles: Type.Array(Type.String(), { description: '一岗双责' }),
  unitName: Type.String(),
  roundName: Type.String(),
  overdue: Type.Boolean(),
  overdueAgainstOriginal: Type.Boolean(),
  overdueAgainstExtended: Type.Boolean(),
  light: literalUnion(['red', 'yellow', 'green'] as const),
});

export const LedgerPage = Type.Object({
  items: Type.Array(LedgerRow),
  nextCursor: Nullable(Type.String()),
  total: Type.Integer(),
});

// ---------------------------------------------------------------------------------------------
// Deadline extensions (延期申请)

export const RequestExtension = Type.Object(
  { requestedDeadline: DateStr, reason: Text(2000) },
  { additionalProperties: false },
);
export const DecideExtension = Type.Object(
  { approve: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 1000 })), version: Version },
  { additionalProperties: false },
);
export const Extension = Type.Object({
  id: Type.Integer(),
  measureId: Type.Integer(),
  unitOrgId: Type.Integer(),
  previousDeadline: Type.String(),
  requestedDeadline: Type.String(),
  reason: Type.String(),
  status: Type.String(),
  requestedBy: Nullable(Type.Integer()),
  requestedByName: Nullable(Type.String()),
  requestedAt: Type.Integer(),
  decidedBy: Nullable(Type.Integer()),
  decidedByName: Nullable(Type.String()),
  decidedAt: Nullable(Type.Integer()),
  decisionNote: Nullable(Type.String()),
  version: Type.Integer(),
});
export const ExtensionList = Type.Object({ items: Type.Array(Extension) });
export const ExtensionQuery = Type.Object(
  {
    status: Type.Optional(literalUnion(EXTENSION_STATUSES)),
    unitOrgId: Type.Optional(Id),
    after: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export const ExtensionPage = Type.Object({ items: Type.Array(Extension), nextCursor: Nullable(Type.Integer()) });

// ---------------------------------------------------------------------------------------------
// 立行立改

export const ProposeImmediate = Type.Object(
  { content: Text(2000), problemId: Type.Optional(Nullable(Id)) },
  { additionalProperties: false },
);
export const ApproveImmediate = Type.Object(
  { approve: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 1000 })), version: Version },
  { additionalProperties: false },
);
export const FixImmediate = Type.Object({ report: Text(4000), version: Version }, { additionalProperties: false });
export const VerifyImmediate = Type.Object(
  { accept: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 1000 })), version: Version },
  { additionalProperties: false },
);
export const ImmediateItem = Type.Object({
  id: Type.Integer(),
  roundUnitId: Type.Integer(),
  unitOrgId: Type.Integer(),
  problemId: Nullable(Type.Integer()),
  content: Type.String(),
  status: literalUnion(IMMEDIATE_ITEM_STATUSES),
  proposedBy: Nullable(Type.Integer()),
  proposedAt: Nullable(Type.Integer()),
  approvedBy: Nullable(Type.Integer()),
  approvedAt: Nullable(Type.Integer()),
  approvalNote: Nullable(Type.String()),
  fixedBy: Nullable(Type.Integer()),
  fixedAt: Nullable(Type.Integer()),
  fixReport: Nullable(Type.String()),
  verifiedBy: Nullable(Type.Integer()),
  verifiedAt: Nullable(Type.Integer()),
  verifyNote: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});
export const ImmediateItemList = Type.Object({ items: Type.Array(ImmediateItem) });

// ---------------------------------------------------------------------------------------------
// Campaigns (一盘棋) and figures (数着改)

export const Figures = Type.Object({
  units: Type.Integer(),
  problems: Type.Integer(),
  rectifiedProblems: Type.Integer(),
  measures: Type.Integer(),
  doneMeasures: Type.Integer(),
  closedMeasures: Type.Integer({ description: '已销号 measures (对账销号 approved)' }),
  rectificationRate: Nullable(Type.Number({ description: '整改率, percent with one decimal' })),
  closureRate: Nullable(Type.Number({ description: '销号率: closed ÷ all measures, percent with one decimal' })),
  problemRectificationRate: Nullable(Type.Number()),
  rulesEstablished: Type.Integer(),
  fundsReturned: Type.String({ description: '元' }),
  lossesRecovered: Type.String({ description: '元' }),
  peopleHeldAccountable: Type.Integer(),
  casesFiled: Type.Integer(),
  overdue: Type.Integer(),
});

export const CreateCampaign = Type.Object(
  { name: Text(200), categoryCode: Type.Optional(Nullable(CategoryCode)), description: OptText(4000) },
  { additionalProperties: false },
);
export const UpdateCampaign = Type.Object(
  {
    version: Version,
    name: Type.Optional(Text(200)),
    categoryCode: Type.Optional(Nullable(CategoryCode)),
    description: OptText(4000),
  },
  { additionalProperties: false },
);
export const Campaign = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  categoryCode: Nullable(Type.String()),
  description: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});
export const CampaignWithFigures = Type.Object({ ...Campaign.properties, figures: Figures });
export const CampaignList = Type.Object({ items: Type.Array(Campaign) });

export const FiguresQuery = Type.Object(
  {
    termId: Type.Optional(Id),
    roundId: Type.Optional(Id),
    unitOrgId: Type.Optional(Id),
    categoryCode: Type.Optional(CategoryCode),
  },
  { additionalProperties: false },
);

export const UnitsQuery = Type.Object(
  { termId: Type.Optional(Id), roundId: Type.Optional(Id) },
  { additionalProperties: false },
);

export const UnitFigures = Type.Object({
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  problems: Type.Integer(),
  rectifiedProblems: Type.Integer(),
  measures: Type.Integer(),
  doneMeasures: Type.Integer(),
  rectificationRate: Nullable(Type.Number()),
  rulesEstablished: Type.Integer(),
  fundsReturned: Type.String(),
  lossesRecovered: Type.String(),
  peopleHeldAccountable: Type.Integer(),
  casesFiled: Type.Integer(),
  overdue: Type.Integer(),
  dueSoon: Type.Integer({ description: 'Open measures due within the reminder window' }),
  stalled: Type.Integer({
    description: 'Open measures without progress for system.rectification.stalledDays days (default 30)',
  }),
  light: literalUnion(['red', 'yellow', 'green'] as const),
});
export const UnitFiguresList = Type.Object({ items: Type.Array(UnitFigures) });
