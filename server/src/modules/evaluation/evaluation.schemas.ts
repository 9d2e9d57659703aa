import { type TSchema, Type } from 'typebox';
import { CHECK_KINDS, EVALUATION_STATUSES } from '../../../../domain/evaluation.js';
import { ROUND_UNIT_STATUSES } from '../../../../domain/rectification.js';
import { literalUnion } from '../../platform/schema.js';
import { XLSX_MIME } from '../ledger-excel/ledger-excel.layout.js';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Version = Type.Integer({ minimum: 1, maximum: 2147483647 });
const VersionOrNew = Type.Integer({ minimum: 0, maximum: 2147483647, description: '0 when there is none yet' });
const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, description: 'YYYY-MM-DD' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$', maxLength: 64 });
const Points = Type.Number({ description: 'Points with at most two decimals' });

export const IdParams = Type.Object({ id: Id });
export const ScoreParams = Type.Object({ id: Id, code: Code });

export const ListQuery = Type.Object(
  {
    roundId: Type.Optional(Id),
    status: Type.Optional(literalUnion(ROUND_UNIT_STATUSES)),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Part of the unit name' })),
    cursor: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

const Labels = {
  labelZhCn: Type.String(),
  labelZhTw: Type.String(),
  labelEn: Type.String(),
};

export const ListItem = Type.Object({
  roundUnitId: Type.Integer(),
  roundId: Type.Integer(),
  roundName: Type.String(),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  status: Type.String({ description: 'The round-unit status (整改期满, 已评价, 重新整改 …)' }),
  cycle: Type.Integer(),
  deadline: Nullable(Type.String()),
  evaluationStatus: Nullable(literalUnion(EVALUATION_STATUSES)),
  checks: Type.Integer(),
  opinions: Type.Integer(),
  liaisons: Type.Integer(),
  total: Nullable(Type.Number({ description: "This cycle's total once finalised" })),
  gradeCode: Nullable(Type.String()),
  lastTotal: Nullable(Type.Number({ description: 'The latest finalised total of any cycle' })),
  lastGradeCode: Nullable(Type.String()),
});
export const ListPage = Type.Object({ items: Type.Array(ListItem), nextCursor: Nullable(Type.Integer()) });

export const Check = Type.Object({
  id: Type.Integer(),
  kind: literalUnion(CHECK_KINDS),
  checkedOn: Type.String(),
  checkers: Type.String(),
  subjects: Nullable(Type.String()),
  findings: Type.String(),
  createdBy: Nullable(Type.Integer()),
  createdByName: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

export const CreateCheck = Type.Object(
  {
    kind: literalUnion(CHECK_KINDS, {
      description: 'talk = 个别谈话, questionnaire = 问卷调查, site_visit = 实地查看, reconciliation = 对账销号',
    }),
    checkedOn: DateStr,
    checkers: Type.String({ minLength: 1, maxLength: 500, description: 'Who of the check team' }),
    subjects: Type.Optional(Type.String({ maxLength: 1000, description: 'Whom they talked to, where they looked' })),
    findings: Type.String({ minLength: 1, maxLength: 20000 }),
  },
  { additionalProperties: false },
);

export const UpdateCheck = Type.Object(
  {
    version: Version,
    checkedOn: Type.Optional(DateStr),
    checkers: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    subjects: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    findings: Type.Optional(Type.String({ minLength: 1, maxLength: 20000 })),
  },
  { additionalProperties: false },
);

export const Opinion = Type.Object({
  id: Type.Integer(),
  supervisorOrgId: Type.Integer(),
  supervisorName: Type.String(),
  opinion: Type.String(),
  suggestedGrade: Nullable(Type.String()),
  givenBy: Nullable(Type.Integer()),
  givenByName: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

export const PutOpinion = Type.Object(
  {
    version: VersionOrNew,
    opinion: Type.String({ minLength: 1, maxLength: 20000 }),
    suggestedGrade: Type.Optional(Nullable(Code)),
  },
  { additionalProperties: false },
);

export const PutScore = Type.Object(
  {
    version: VersionOrNew,
    score: Type.Number({ minimum: 0, maximum: 1000 }),
    note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);

export const CreateDeduction = Type.Object(
  {
    reasonCode: Code,
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const Finalise = Type.Object(
  {
    version: VersionOrNew,
    conclusion: Type.Optional(Type.String({ maxLength: 20000 })),
    interview: Type.Optional(
      Type.Object(
        {
          personName: Type.String({ minLength: 1, maxLength: 100 }),
          personPost: Type.Optional(Type.String({ maxLength: 100 })),
          reason: Type.Optional(Type.String({ maxLength: 5000 })),
        },
        { additionalProperties: false, description: '约谈: required when the grade is 不合格' },
      ),
    ),
    reRectifyDeadline: Type.Optional(
      Type.String({
        pattern: '^\\d{4}-\\d{2}-\\d{2}$',
        maxLength: 10,
        description: '重新整改 deadline; by default today + the rectification period on the working calendar',
      }),
    ),
  },
  { additionalProperties: false },
);

const SheetIndicator = Type.Object({
  code: Type.String(),
  ...Labels,
  weight: Type.Number(),
  maxScore: Type.Number(),
  source: literalUnion(['ledger', 'entered'] as const),
  score: Nullable(Type.Number()),
  weighted: Nullable(Type.Number({ description: 'score ÷ maxScore × weight' })),
  note: Nullable(Type.String()),
  version: Type.Integer({ description: 'Of the entered score; 0 when none' }),
  updatedByName: Nullable(Type.String()),
});
const SheetDeduction = Type.Object({
  id: Nullable(Type.Integer({ description: 'null for the one computed from the overdue count' })),
  reasonCode: Type.String(),
  ...Labels,
  points: Points,
  computed: Type.Boolean(),
  count: Type.Integer(),
  note: Nullable(Type.String()),
  createdByName: Nullable(Type.String()),
});
const Figures = Type.Object({
  measures: Type.Integer(),
  done: Type.Integer(),
  closed: Type.Integer(),
  onTime: Type.Integer(),
  overdue: Type.Integer(),
  onTimeRate: Nullable(Type.Number()),
  closureRate: Nullable(Type.Number()),
  rectificationRate: Nullable(Type.Number()),
});
const Grade = Type.Object({ code: Type.String(), ...Labels, minScore: Type.Number() });
export const Sheet = Type.Object({
  indicators: Type.Array(SheetIndicator),
  deductions: Type.Array(SheetDeduction),
  figures: Figures,
  grades: Type.Array(Grade),
  total: Nullable(Type.Number()),
  gradeCode: Nullable(Type.String()),
  missing: Type.Array(Type.String({ description: 'Indicators without a score' })),
  asOf: Type.String({ description: 'The day the ledger figures were counted' }),
});

const HistoryItem = Type.Object({
  id: Type.Integer(),
  action: Type.String(),
  code: Nullable(Type.String()),
  before: Nullable(Type.Number()),
  after: Nullable(Type.Number()),
  note: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  at: Type.Integer(),
});

const PastResult = Type.Object({
  cycle: Type.Integer(),
  total: Nullable(Type.Number()),
  gradeCode: Nullable(Type.String()),
  finalisedAt: Nullable(Type.Integer()),
  reRectifyDeadline: Nullable(Type.String()),
  accountabilityId: Nullable(Type.Integer()),
});

export const Detail = Type.Object({
  roundUnit: Type.Object({
    id: Type.Integer(),
    roundId: Type.Integer(),
    roundName: Type.String(),
    unitOrgId: Type.Integer(),
    unitName: Type.String(),
    status: Type.String(),
    cycle: Type.Integer(),
    feedbackDate: Nullable(Type.String()),
    deadline: Nullable(Type.String()),
    version: Type.Integer(),
  }),
  cycle: Type.Integer({ description: 'The cycle shown: the current one, or the last evaluated one' }),
  evaluation: Nullable(
    Type.Object({
      id: Type.Integer(),
      status: literalUnion(EVALUATION_STATUSES),
      total: Nullable(Type.Number()),
      gradeCode: Nullable(Type.String()),
      conclusion: Nullable(Type.String()),
      finalisedByName: Nullable(Type.String()),
      finalisedAt: Nullable(Type.Integer()),
      accountabilityId: Nullable(Type.Integer()),
      reRectifyDeadline: Nullable(Type.String()),
      version: Type.Integer(),
    }),
  ),
  version: Type.Integer({ description: "The evaluation's version, 0 when there is none yet (for finalise)" }),
  open: Type.Boolean({ description: 'Checks, scores and opinions may be recorded now' }),
  checks: Type.Array(Check),
  opinions: Nullable(Type.Array(Opinion, { description: '汇商会; null for the unit itself' })),
  missingOpinions: Nullable(Type.Array(Type.Object({ orgId: Type.Integer(), name: Type.String() }))),
  sheet: Sheet,
  history: Nullable(Type.Array(HistoryItem)),
  past: Type.Array(PastResult),
});

export const YearQuery = Type.Object(
  { year: Type.Integer({ minimum: 2000, maximum: 2100 }) },
  { additionalProperties: false },
);
export const RoundQuery = Type.Object({ roundId: Id }, { additionalProperties: false });

export const XlsxFile = {
  description: 'An Excel workbook (.xlsx)',
  content: { [XLSX_MIME]: { schema: Type.String({ format: 'binary' }) } },
};
