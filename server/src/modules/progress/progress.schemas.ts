import { type TSchema, Type } from 'typebox';
import { PERIOD_KINDS, PROGRESS_REPORT_STATUSES } from '../../../../domain/progress.js';
import { literalUnion } from '../../platform/schema.js';
import { EDITABLE_MEASURE_STATUSES, Id } from '../ledger/ledger.schemas.js';

const Version = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Revision = Type.Integer({ minimum: 1, maximum: 100000 });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const IdParams = Type.Object({ id: Id });
export const ItemParams = Type.Object({ id: Id, measureId: Id });
export const RevisionParams = Type.Object({ id: Id, revision: Revision });

// --- requests ---------------------------------------------------------------------------------

export const CreateReport = Type.Object(
  { periodSeq: Type.Integer({ minimum: 1, maximum: 1200, description: 'The period (1 = at the deadline)' }) },
  { additionalProperties: false },
);

export const UpdateItem = Type.Object(
  {
    version: Version,
    reportedStatus: Type.Optional(literalUnion(EDITABLE_MEASURE_STATUSES)),
    narrative: Type.Optional(Type.String({ maxLength: 5000 })),
    fileIds: Type.Optional(Type.Array(Id, { maxItems: 50, uniqueItems: true })),
  },
  { additionalProperties: false },
);

export const UpdateReport = Type.Object(
  { version: Version, summary: Nullable(Type.String({ maxLength: 10000 })) },
  { additionalProperties: false },
);

export const VersionBody = Type.Object({ version: Version }, { additionalProperties: false });

export const ReturnBody = Type.Object(
  { version: Version, note: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);

export const ReportQuery = Type.Object(
  {
    status: Type.Optional(literalUnion(PROGRESS_REPORT_STATUSES)),
    late: Type.Optional(Type.Boolean()),
    roundId: Type.Optional(Id),
    unitOrgId: Type.Optional(Id),
    roundUnitId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Id),
  },
  { additionalProperties: false },
);

export const CompareQuery = Type.Object({ from: Revision, to: Revision }, { additionalProperties: false });

// --- responses --------------------------------------------------------------------------------

export const EvidenceFile = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  size: Type.Integer(),
  kind: Type.String(),
  sm3: Type.String(),
});

export const ReportItem = Type.Object({
  measureId: Type.Integer(),
  problemId: Type.Integer(),
  problemNumber: Type.String(),
  seq: Type.Integer({ description: "The measure's number within its problem" }),
  content: Type.String(),
  type: Type.String(),
  categoryCode: Type.String(),
  measureStatus: Nullable(Type.String({ description: "The measure's current status" })),
  reportedStatus: Type.String(),
  narrative: Type.String(),
  files: Type.Array(EvidenceFile),
});

const ReportFields = {
  id: Type.Integer(),
  roundUnitId: Type.Integer(),
  roundId: Type.Integer(),
  termId: Type.Integer(),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  periodSeq: Type.Integer(),
  periodKind: literalUnion(PERIOD_KINDS),
  dueDate: Type.String(),
  status: literalUnion(PROGRESS_REPORT_STATUSES),
  revision: Type.Integer({ description: 'The revision being drafted, or the last one submitted' }),
  late: Type.Boolean({ description: 'The last submission was signed off after the due date' }),
  overdue: Type.Boolean({ description: 'Due, and never submitted' }),
  submittedAt: Nullable(Type.Integer()),
  updatedAt: Type.Integer(),
};

export const ReportSummary = Type.Object(ReportFields);

export const Report = Type.Object({
  ...ReportFields,
  summary: Nullable(Type.String()),
  preparedBy: Nullable(Type.Integer()),
  sentForSignoffAt: Nullable(Type.Integer()),
  signedBy: Nullable(Type.Integer()),
  signedByName: Nullable(Type.String()),
  returnedBy: Nullable(Type.Integer()),
  returnedAt: Nullable(Type.Integer()),
  returnNote: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  items: Type.Array(ReportItem),
});

export const ReportPage = Type.Object({ items: Type.Array(ReportSummary), nextCursor: Nullable(Type.Integer()) });

export const Period = Type.Object({
  seq: Type.Integer(),
  kind: literalUnion(PERIOD_KINDS),
  dueDate: Type.String(),
  overdue: Type.Boolean({ description: 'Due, and no report of it submitted' }),
  report: Nullable(
    Type.Object({
      id: Type.Integer(),
      status: literalUnion(PROGRESS_REPORT_STATUSES),
      revision: Type.Integer(),
      late: Type.Boolean(),
      dueDate: Type.String(),
      submittedAt: Nullable(Type.Integer()),
    }),
  ),
});

export const PeriodList = Type.Object({
  deadline: Nullable(Type.String({ description: "The round-unit's rectification deadline (null: not yet set)" })),
  cadence: literalUnion(['monthly', 'quarterly'] as const),
  items: Type.Array(Period),
});

export const VersionSummary = Type.Object({
  revision: Type.Integer(),
  submittedAt: Type.Integer(),
  late: Type.Boolean(),
  signedBy: Nullable(Type.Integer()),
  signedByName: Nullable(Type.String()),
});
export const VersionList = Type.Object({ items: Type.Array(VersionSummary) });

export const VersionSnapshot = Type.Object({
  ...VersionSummary.properties,
  reportId: Type.Integer(),
  preparedBy: Nullable(Type.Integer()),
  summary: Nullable(Type.String()),
  items: Type.Array(ReportItem),
});

const Side = Nullable(Type.Object({ reportedStatus: Type.String(), narrative: Type.String() }));
export const Comparison = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  summaryChanged: Type.Boolean(),
  items: Type.Array(
    Type.Object({
      measureId: Type.Integer(),
      problemNumber: Type.String(),
      seq: Type.Integer(),
      content: Type.String(),
      from: Side,
      to: Side,
      statusChanged: Type.Boolean(),
      narrativeChanged: Type.Boolean(),
      filesAdded: Type.Array(EvidenceFile),
      filesRemoved: Type.Array(EvidenceFile),
    }),
  ),
});
