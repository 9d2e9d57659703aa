import { Type } from 'typebox';
import { DICTIONARY_KINDS } from '../../../../domain/dictionaries.js';
import { SUPERVISOR_LINES } from '../../../../domain/roles.js';
import { literalUnion } from '../../platform/schema.js';

const Kind = literalUnion(DICTIONARY_KINDS);
const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const code = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' });
const label = Type.String({ minLength: 1, maxLength: 200 });
const sort = Type.Integer({ minimum: 0, maximum: 1000000 });

/**
 * Every field any kind's `extra` may hold; which of them a kind allows or requires is checked by
 * `checkExtra` of domain/dictionaries.ts (problem_category: line, campaign; grade: minScore;
 * scoring_indicator: weight, maxScore; deduction_reason: points; disclosure_channel: url;
 * round_type: external; action_type: none).
 */
const extraFields = {
  line: Type.Optional(literalUnion(SUPERVISOR_LINES, { description: 'problem_category: supervisor line routed to' })),
  campaign: Type.Optional(Type.Boolean({ description: 'problem_category: sector-wide campaign (一盘棋)' })),
  minScore: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'grade: lowest score earning it' })),
  weight: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'scoring_indicator: percent of total' })),
  maxScore: Type.Optional(Type.Number({ minimum: 0, maximum: 1000, description: 'scoring_indicator: points' })),
  points: Type.Optional(Type.Number({ minimum: -100, maximum: 0, description: 'deduction_reason: e.g. -5' })),
  url: Type.Optional(Type.String({ maxLength: 500, description: 'disclosure_channel: address' })),
  external: Type.Optional(Type.Boolean({ description: 'round_type: a higher level’s round (上级巡视)' })),
};
const ExtraIn = Type.Union([Type.Object(extraFields, { additionalProperties: false }), Type.Null()]);
const ExtraOut = Type.Union([Type.Object(extraFields), Type.Null()]);

export const DictionaryItem = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  code: Type.String(),
  labelZhCn: Type.String(),
  labelZhTw: Type.String(),
  labelEn: Type.String(),
  sort: Type.Integer(),
  active: Type.Boolean(),
  extra: ExtraOut,
  version: Type.Integer(),
  updatedAt: Type.Integer(),
});

export const DictionaryQuery = Type.Object(
  { kind: Type.Optional(Kind), active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const DictionaryList = Type.Object({ items: Type.Array(DictionaryItem) });

export const CreateDictionaryItem = Type.Object(
  {
    kind: Kind,
    code,
    labelZhCn: label,
    labelZhTw: Type.Optional(Type.Union([label, Type.Null()], { description: 'defaults to labelZhCn' })),
    labelEn: Type.Optional(Type.Union([label, Type.Null()], { description: 'defaults to labelZhCn' })),
    sort: Type.Optional(sort),
    active: Type.Optional(Type.Boolean()),
    extra: Type.Optional(ExtraIn),
  },
  { additionalProperties: false },
);

export const UpdateDictionaryItem = Type.Object(
  {
    version: Type.Integer({ minimum: 1, maximum: 2147483647 }),
    code: Type.Optional(code),
    labelZhCn: Type.Optional(label),
    labelZhTw: Type.Optional(label),
    labelEn: Type.Optional(label),
    sort: Type.Optional(sort),
    active: Type.Optional(Type.Boolean()),
    extra: Type.Optional(ExtraIn),
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Id });
