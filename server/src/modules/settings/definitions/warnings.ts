import { Type } from 'typebox';
import { literalUnion } from '../../../platform/schema.js';

/**
 * The warning chain (催着改, SPEC M14/M18): who is told how many days before a measure's deadline, when
 * the daily run and the weekly digest go out, and the thresholds of the seed's warning signs.
 */
export const WARNING_SETTINGS = {
  'system.warnings': {
    owner: 'settings.system',
    schema: Type.Object(
      {
        steps: Type.Array(
          Type.Object(
            {
              daysBefore: Type.Integer({
                minimum: -365,
                maximum: 365,
                description: 'Days before the deadline; 0 = on the day, negative = days overdue',
              }),
              recipient: literalUnion(['owner', 'leader_in_charge', 'principal', 'supervisors'] as const),
            },
            { additionalProperties: false },
          ),
          { maxItems: 10 },
        ),
        digestWeekday: Type.Integer({ minimum: 1, maximum: 7, description: 'ISO weekday of the weekly digest' }),
        dailyAt: Type.Optional(
          Type.String({
            pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
            description: 'Local time (Asia/Shanghai) of the daily warning run and the weekly digest, HH:MM',
          }),
        ),
        onBooksDays: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: 3650,
            description: '挂账整改: an open measure this many days past its deadline is flagged',
          }),
        ),
        routinePhrases: Type.Optional(
          Type.Array(Type.String({ minLength: 1, maxLength: 40 }), {
            maxItems: 30,
            description: '日常工作代替整改: progress text containing one of these is flagged for review',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    default: {
      steps: [
        { daysBefore: 20, recipient: 'owner' },
        { daysBefore: 10, recipient: 'leader_in_charge' },
        { daysBefore: -1, recipient: 'principal' },
        { daysBefore: -1, recipient: 'supervisors' },
      ],
      digestWeekday: 1,
      dailyAt: '07:00',
      onBooksDays: 90,
      routinePhrases: ['日常工作', '常规工作', '按照惯例', '正常开展', '例行检查'],
    },
  },
} as const;

/** The optional fields' defaults, for a value stored before they existed. */
export const WARNING_DEFAULTS = {
  dailyAt: '07:00',
  onBooksDays: 90,
  routinePhrases: ['日常工作', '常规工作', '按照惯例', '正常开展', '例行检查'],
} as const;
