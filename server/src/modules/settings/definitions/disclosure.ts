import { Type } from 'typebox';

/** Public disclosure (整改公开): channels and what stays internal (issue 8 owns this key). */
export const DISCLOSURE_SETTINGS = {
  'system.disclosure': {
    owner: 'settings.system',
    schema: Type.Object(
      {
        channels: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), {
          maxItems: 20,
          uniqueItems: true,
          description: 'Where published items appear (日报, 网站, 党风廉政网 …)',
        }),
        publishAmounts: Type.Boolean({ description: 'Whether amounts (元) appear on the public site' }),
      },
      { additionalProperties: false },
    ),
    default: { channels: ['日报', '网站', '党风廉政网'], publishAmounts: false },
  },
} as const;
