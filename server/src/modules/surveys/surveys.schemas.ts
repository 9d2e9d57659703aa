import { type TSchema, Type } from 'typebox';
import {
  MAX_BATCH_SIZE,
  MAX_COMMENT_LENGTH,
  MAX_OPTIONS,
  MAX_QUESTIONS,
  MIN_BATCH_SIZE,
  OPTION_COUNTS,
  QUESTION_KINDS,
  SURVEY_AUDIENCES,
  SURVEY_STATUSES,
} from '../../../../domain/surveys.js';
import { literalUnion } from '../../platform/schema.js';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Version = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Key = Type.String({ pattern: '^[a-z0-9_]{1,32}$', description: 'Stable key (a–z, 0–9, _)' });
const Rate = Nullable(Type.Number({ description: 'Percent with one decimal; null when nothing to count' }));

export const IdParams = Type.Object({ id: Id });
export const CodeParams = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 40, description: 'A one-time code, with or without dashes' }),
});

/** Text in 简体, with optional 繁體 (tw) and English (en) for the public page. */
const LocalTextIn = (maxLength: number, required = true) =>
  Type.Object(
    {
      zh: Type.String({ minLength: required ? 1 : 0, maxLength }),
      tw: Type.Optional(Nullable(Type.String({ maxLength }))),
      en: Type.Optional(Nullable(Type.String({ maxLength }))),
    },
    { additionalProperties: false },
  );
const LocalTextOut = Type.Object({
  zh: Type.String(),
  tw: Type.Optional(Nullable(Type.String())),
  en: Type.Optional(Nullable(Type.String())),
});

export const OptionIn = Type.Object(
  {
    key: Key,
    label: LocalTextIn(100),
    counts: literalUnion(OPTION_COUNTS, {
      description: 'satisfied (满意/基本满意), unsatisfied (不满意), excluded (不了解: left out of the rate)',
    }),
  },
  { additionalProperties: false },
);

export const QuestionIn = Type.Object(
  {
    key: Key,
    kind: literalUnion(QUESTION_KINDS, { description: 'choice: single choice; text: free text only' }),
    text: LocalTextIn(500),
    options: Type.Array(OptionIn, { maxItems: MAX_OPTIONS }),
    allowComment: Type.Boolean({ description: 'choice: an optional free-text remark beside the choice' }),
  },
  { additionalProperties: false },
);
const Questions = Type.Array(QuestionIn, { maxItems: MAX_QUESTIONS });
const RoundUnitIds = Type.Array(Id, { maxItems: 500, description: 'The round-units (被巡察单位) surveyed' });

export const CreateSurvey = Type.Object(
  {
    title: LocalTextIn(200),
    intro: Type.Optional(LocalTextIn(2000, false)),
    roundUnitIds: RoundUnitIds,
    questions: Type.Optional(Questions),
  },
  { additionalProperties: false },
);

export const UpdateSurvey = Type.Object(
  {
    version: Version,
    title: Type.Optional(LocalTextIn(200)),
    intro: Type.Optional(LocalTextIn(2000, false)),
    roundUnitIds: Type.Optional(RoundUnitIds),
    questions: Type.Optional(Questions),
  },
  { additionalProperties: false },
);

export const Transition = Type.Object({ version: Version }, { additionalProperties: false });

export const SurveyQuery = Type.Object(
  {
    status: Type.Optional(literalUnion(SURVEY_STATUSES)),
    cursor: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

const SurveyUnit = Type.Object({
  roundUnitId: Type.Integer(),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  roundId: Type.Integer(),
  roundName: Type.String(),
});

const BatchView = Type.Object({
  id: Type.Integer(),
  surveyId: Type.Integer(),
  roundUnitId: Type.Integer(),
  unitName: Type.String(),
  audience: Type.String(),
  label: Nullable(Type.String()),
  codeCount: Type.Integer(),
  usedCount: Type.Integer(),
  responseRate: Rate,
  createdByName: Nullable(Type.String()),
  createdAt: Type.Integer(),
});

const QuestionOut = Type.Object({
  key: Type.String(),
  kind: Type.String(),
  text: LocalTextOut,
  options: Type.Array(Type.Object({ key: Type.String(), label: LocalTextOut, counts: Type.String() })),
  allowComment: Type.Boolean(),
});

export const SurveySummary = Type.Object({
  id: Type.Integer(),
  title: LocalTextOut,
  status: Type.String(),
  unitCount: Type.Integer(),
  codeCount: Type.Integer(),
  usedCount: Type.Integer(),
  openedAt: Nullable(Type.Integer()),
  closedAt: Nullable(Type.Integer()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

export const SurveyPage = Type.Object({ items: Type.Array(SurveySummary), nextCursor: Nullable(Type.Integer()) });

export const SurveyDetail = Type.Object({
  ...SurveySummary.properties,
  intro: LocalTextOut,
  questions: Type.Array(QuestionOut),
  units: Type.Array(SurveyUnit),
  batches: Type.Array(BatchView),
  createdByName: Nullable(Type.String()),
});

export const CreateBatch = Type.Object(
  {
    roundUnitId: Id,
    audience: literalUnion(SURVEY_AUDIENCES, { description: 'cadre 干部, staff 职工, public 群众' }),
    count: Type.Integer({ minimum: MIN_BATCH_SIZE, maximum: MAX_BATCH_SIZE }),
    label: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const BatchCodes = Type.Object({
  batch: BatchView,
  surveyTitle: LocalTextOut,
  codes: Type.Array(Type.String(), { description: 'The plaintext codes, formatted ABCD-EFGH-JKMN' }),
});

const TallyOut = Type.Object({
  satisfied: Type.Integer(),
  unsatisfied: Type.Integer(),
  excluded: Type.Integer(),
  rate: Rate,
});

const QuestionResult = Type.Object({
  key: Type.String(),
  text: LocalTextOut,
  kind: Type.String(),
  options: Type.Array(
    Type.Object({ key: Type.String(), label: LocalTextOut, counts: Type.String(), count: Type.Integer() }),
  ),
  tally: TallyOut,
  comments: Type.Array(Type.String()),
});

const AudienceResult = Type.Object({
  audience: Type.String(),
  codeCount: Type.Integer(),
  usedCount: Type.Integer(),
  responses: Type.Integer(),
  responseRate: Rate,
  tally: TallyOut,
});

export const SurveyResults = Type.Object({
  surveyId: Type.Integer(),
  title: LocalTextOut,
  status: Type.String(),
  responses: Type.Integer(),
  codeCount: Type.Integer(),
  usedCount: Type.Integer(),
  responseRate: Rate,
  tally: TallyOut,
  units: Type.Array(
    Type.Object({
      roundUnitId: Type.Integer(),
      unitName: Type.String(),
      roundName: Type.String(),
      responses: Type.Integer(),
      codeCount: Type.Integer(),
      usedCount: Type.Integer(),
      responseRate: Rate,
      tally: TallyOut,
      audiences: Type.Array(AudienceResult),
      questions: Type.Array(QuestionResult),
    }),
  ),
  batches: Type.Array(BatchView),
});

// --- public (no login) -----------------------------------------------------------------------------

export const PublicSurvey = Type.Object({
  surveyId: Type.Integer(),
  title: Type.String(),
  intro: Type.String(),
  unitName: Type.String(),
  audience: Type.String(),
  questions: Type.Array(
    Type.Object({
      key: Type.String(),
      kind: Type.String(),
      text: Type.String(),
      allowComment: Type.Boolean(),
      options: Type.Array(Type.Object({ key: Type.String(), label: Type.String() })),
    }),
  ),
});

export const PublicAnswer = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 40 }),
    surveyId: Id,
    answers: Type.Array(
      Type.Object(
        {
          key: Key,
          option: Type.Optional(Nullable(Key)),
          text: Type.Optional(Nullable(Type.String({ maxLength: MAX_COMMENT_LENGTH }))),
        },
        { additionalProperties: false },
      ),
      { maxItems: MAX_QUESTIONS },
    ),
  },
  { additionalProperties: false },
);

export const PublicAnswered = Type.Object({ ok: Type.Boolean() });

export const XlsxFile = {
  description: 'An Excel workbook (.xlsx)',
  content: {
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: Type.String({ format: 'binary' }) },
  },
};
