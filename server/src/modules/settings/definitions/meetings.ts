import { Type } from 'typebox';

/** 整改专题民主生活会: how many days after the feedback the meeting must be held (issue 5 owns this key). */
export const MEETING_SETTINGS = {
  'system.meetings': {
    owner: 'settings.system',
    schema: Type.Object(
      {
        dueDays: Type.Integer({
          minimum: 1,
          maximum: 365,
          description: 'Days after the feedback within which the rectification meeting must be held',
        }),
      },
      { additionalProperties: false },
    ),
    default: { dueDays: 60 },
  },
} as const;
