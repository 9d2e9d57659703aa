import { Type } from 'typebox';
import { MEASURE_STATUSES } from '../../../../domain/rectification.js';
import { literalUnion } from '../../platform/schema.js';
import { Figures, Id } from '../ledger/ledger.schemas.js';

const CategoryCode = Type.String({ minLength: 1, maxLength: 64 });
const Rate = Type.Union([Type.Number({ description: 'percent with one decimal' }), Type.Null()]);

export const BoardQuery = Type.Object(
  {
    termId: Type.Optional(Id),
    roundId: Type.Optional(Id),
    unitOrgId: Type.Optional(Id),
    categoryCode: Type.Optional(CategoryCode),
  },
  { additionalProperties: false },
);

/** One filter of the ledger sheet (GET /ledger takes the same keys). */
const DrillFilter = Type.Object({
  termId: Type.Optional(Type.Integer()),
  roundId: Type.Optional(Type.Integer()),
  unitOrgId: Type.Optional(Type.Integer()),
  categoryCode: Type.Optional(Type.String()),
  status: Type.Optional(literalUnion(MEASURE_STATUSES)),
  overdue: Type.Optional(Type.Boolean()),
});

export const Drill = Type.Object(
  {
    parts: Type.Array(DrillFilter, { description: 'Disjoint ledger filters whose rows together are the number' }),
    exact: Type.Boolean({ description: 'false when the sheet has no filter for exactly these rows (a superset)' }),
  },
  { description: 'The ledger rows behind a number (drill-down)' },
);

const FigureDrills = Type.Object({
  units: Drill,
  problems: Drill,
  rectifiedProblems: Drill,
  measures: Drill,
  doneMeasures: Drill,
  closedMeasures: Drill,
  overdue: Drill,
  rulesEstablished: Drill,
  fundsReturned: Drill,
  lossesRecovered: Drill,
  peopleHeldAccountable: Drill,
  casesFiled: Drill,
});

const StatusCount = Type.Object({ status: literalUnion(MEASURE_STATUSES), count: Type.Integer(), drill: Drill });

const CategoryFigures = Type.Object({
  categoryCode: Type.String(),
  problems: Type.Integer(),
  rectifiedProblems: Type.Integer(),
  measures: Type.Integer(),
  doneMeasures: Type.Integer(),
  overdue: Type.Integer(),
  rectificationRate: Rate,
  drill: Type.Object({ measures: Drill, doneMeasures: Drill, overdue: Drill }),
});

const RankedUnit = Type.Object({
  rank: Type.Integer({ minimum: 1 }),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  problems: Type.Integer(),
  measures: Type.Integer(),
  doneMeasures: Type.Integer(),
  rectificationRate: Rate,
  overdue: Type.Integer(),
  dueSoon: Type.Integer({ description: 'Open measures due within the reminder window' }),
  stalled: Type.Integer({ description: 'Open measures without progress for system.rectification.stalledDays days' }),
  light: literalUnion(['red', 'yellow', 'green'] as const),
  drill: Type.Object({ measures: Drill, doneMeasures: Drill, overdue: Drill }),
});

const TrendPoint = Type.Object({
  month: Type.String({ description: 'YYYY-MM' }),
  completed: Type.Integer({ description: 'Measures done, by the month of their completion date' }),
  due: Type.Integer({ description: 'Measures whose effective deadline falls in the month' }),
  cumulativeDone: Type.Integer(),
  cumulativeRate: Rate,
  drill: Type.Object({ completed: Drill, due: Drill }),
});

export const Board = Type.Object({
  filter: BoardQuery,
  today: Type.String(),
  figures: Figures,
  drill: FigureDrills,
  byStatus: Type.Array(StatusCount),
  byCategory: Type.Array(CategoryFigures),
  ranking: Type.Array(RankedUnit),
  lights: Type.Object({ red: Type.Integer(), yellow: Type.Integer(), green: Type.Integer() }),
  trend: Type.Array(TrendPoint),
});
