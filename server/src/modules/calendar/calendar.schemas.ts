import { Type } from 'typebox';
import { literalUnion } from '../../platform/schema.js';

export const DAY_KINDS = ['holiday', 'workday'] as const;

const DateString = (description: string) =>
  Type.String({ minLength: 10, maxLength: 10, pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });

export const CalendarDay = Type.Object({
  date: Type.String(),
  kind: literalUnion(DAY_KINDS),
  note: Type.Union([Type.String(), Type.Null()]),
});

export const CalendarQuery = Type.Object(
  { year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2200, description: 'Omit for every year' })) },
  { additionalProperties: false },
);

export const CalendarList = Type.Object({ items: Type.Array(CalendarDay) });

export const DateParams = Type.Object({ date: DateString('YYYY-MM-DD') });

export const PutCalendarDay = Type.Object(
  {
    kind: literalUnion(DAY_KINDS, { description: 'holiday (放假) or workday (调休上班)' }),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const DeadlineQuery = Type.Object(
  {
    from: DateString('Start date, e.g. the feedback date'),
    months: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 120,
        description: 'Months to add; default system.general.rectificationMonths (3)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const AddWorkingDaysQuery = Type.Object(
  {
    from: DateString('Start date (not counted)'),
    days: Type.Integer({ minimum: 0, maximum: 3650 }),
  },
  { additionalProperties: false },
);

export const DateResult = Type.Object({ date: Type.String() });
