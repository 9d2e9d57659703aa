import { Type } from 'typebox';
import { DEFAULT_NAME_RANK_FROM, PERSON_RANKS } from '../../../../../domain/disclosure.js';
import { literalUnion } from '../../../platform/schema.js';

/** Public disclosure (整改公开, SPEC M15): channels and what stays internal (issue 8 owns this key). */
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
        nameRankFrom: literalUnion(PERSON_RANKS, {
          description: 'Names of people at this rank (职级) and above are published; below it only the surname (张某)',
        }),
      },
      { additionalProperties: false },
    ),
    default: { channels: ['日报', '网站', '党风廉政网'], publishAmounts: false, nameRankFrom: DEFAULT_NAME_RANK_FROM },
  },
} as const;
