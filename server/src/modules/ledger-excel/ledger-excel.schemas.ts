import { Type } from 'typebox';
import {
  MEASURE_STATUSES,
  MEASURE_TYPES,
  PROBLEM_SEVERITIES,
  PROBLEM_SOURCES,
} from '../../../../domain/rectification.js';
import { literalUnion } from '../../platform/schema.js';
import { XLSX_MIME } from './ledger-excel.layout.js';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

/** A workbook download (template, export). */
export const XlsxFile = {
  description: 'An Excel workbook (.xlsx)',
  content: { [XLSX_MIME]: { schema: Type.String({ format: 'binary' }) } },
};

export const ImportResult = Type.Object({
  problems: Type.Integer({ description: 'Problems created (all of the file: an import is all or nothing)' }),
  measures: Type.Integer({ description: 'Measures created' }),
});

export const ExportQuery = Type.Object(
  {
    termId: Type.Optional(Id),
    roundId: Type.Optional(Id),
    roundUnitId: Type.Optional(Id),
    unitOrgId: Type.Optional(Id),
    categoryCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    status: Type.Optional(literalUnion(MEASURE_STATUSES)),
    type: Type.Optional(literalUnion(MEASURE_TYPES)),
  },
  { additionalProperties: false },
);

/** At most this many characters of pasted feedback (a long 反馈意见 is a few tens of thousands). */
export const MAX_FEEDBACK_CHARS = 200_000;

export const ParseText = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: MAX_FEEDBACK_CHARS, description: 'The 反馈意见 as plain text' }) },
  { additionalProperties: false },
);

export const ParseResult = Type.Object({
  preamble: Type.String({ description: 'The text before the first number' }),
  drafts: Type.Array(
    Type.Object({
      number: Type.String({ description: 'Full path label, e.g. 一、（二）3.' }),
      heading: Type.String({ description: 'The titles of the items above it, joined with " / "' }),
      description: Type.String(),
      categoryCode: Nullable(Type.String({ description: 'Guessed problem_category code; null when none matched' })),
    }),
  ),
});

const OptText = (max: number) => Type.Optional(Nullable(Type.String({ maxLength: max })));

export const ConfirmBody = Type.Object(
  {
    problems: Type.Array(
      Type.Object(
        {
          number: Type.String({ minLength: 1, maxLength: 40 }),
          categoryCode: Type.String({ minLength: 1, maxLength: 64 }),
          description: Type.String({ minLength: 1, maxLength: 4000 }),
          source: Type.Optional(literalUnion(PROBLEM_SOURCES)),
          severity: Type.Optional(literalUnion(PROBLEM_SEVERITIES)),
          responsibleLeader: OptText(100),
          responsibleDepartment: OptText(200),
          responsiblePerson: OptText(100),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 2000 },
    ),
  },
  { additionalProperties: false },
);

export const ConfirmResult = Type.Object({
  ids: Type.Array(Type.Integer(), { description: 'The new problems, in the order sent' }),
});
