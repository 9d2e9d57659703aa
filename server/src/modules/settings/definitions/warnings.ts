import { Type } from 'typebox';
import { literalUnion } from '../../../platform/schema.js';

/** The warning chain (催着改): who is told how many days before a deadline (issue 7 owns this key). */
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
    },
  },
} as const;
