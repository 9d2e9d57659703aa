import { type TSchema, Type } from 'typebox';
import { CLUE_DISPOSAL_KINDS, CLUE_SOURCES, CLUE_STATUSES } from '../../../../domain/clues.js';
import { literalUnion } from '../../platform/schema.js';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Version = Type.Integer({ minimum: 1, maximum: 2147483647 });
const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, description: 'YYYY-MM-DD' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const IdParams = Type.Object({ id: Id });

// ---------------------------------------------------------------------------------------------
// Requests

export const SendClue = Type.Object(
  {
    roundUnitId: Type.Integer({
      minimum: 1,
      maximum: 2147483647,
      description: 'The unit in the round where it was found',
    }),
    problemId: Type.Optional(Nullable(Id)),
    receivingOrgId: Type.Integer({
      minimum: 1,
      maximum: 2147483647,
      description:
        'The receiving body: a supervising body (纪委监委监督检查室、派驻组、组织部、职能部门) or the 党风政风室',
    }),
    source: literalUnion(CLUE_SOURCES, { description: 'How the office came by it' }),
    title: Type.String({ minLength: 1, maxLength: 200, description: 'Sealed at rest' }),
    content: Type.String({ minLength: 1, maxLength: 20000, description: 'Sealed at rest' }),
    persons: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
      minItems: 1,
      maxItems: 50,
      description: 'The names of the people concerned; sealed at rest',
    }),
  },
  { additionalProperties: false },
);

export const ReceiveClue = Type.Object({ version: Version }, { additionalProperties: false });

export const DisposeClue = Type.Object(
  {
    version: Version,
    kind: literalUnion(CLUE_DISPOSAL_KINDS, {
      description:
        'inquiry 谈话函询, preliminary_verification 初步核实, case_review 立案审查调查, shelved 暂存待查, concluded 予以了结, organisational 组织处理',
    }),
    date: DateStr,
    note: Type.String({ minLength: 1, maxLength: 4000, description: 'Sealed at rest' }),
  },
  { additionalProperties: false },
);

export const ClueQuery = Type.Object(
  {
    status: Type.Optional(literalUnion(CLUE_STATUSES)),
    receivingOrgId: Type.Optional(Id),
    roundId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'nextCursor' })),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------------------------------------
// Responses

/** What a list shows: metadata only, never the title, content, names or note. */
export const ClueSummary = Type.Object({
  id: Type.Integer(),
  roundUnitId: Type.Integer(),
  roundId: Type.Integer(),
  roundName: Type.String(),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  problemId: Nullable(Type.Integer()),
  problemNumber: Nullable(Type.String()),
  senderOrgId: Type.Integer(),
  senderOrgName: Type.String(),
  sentBy: Nullable(Type.Integer()),
  sentByName: Nullable(Type.String()),
  receivingOrgId: Type.Integer(),
  receivingOrgName: Type.String(),
  source: Type.String(),
  status: Type.String(),
  sentAt: Type.Integer(),
  receivedBy: Nullable(Type.Integer()),
  receivedByName: Nullable(Type.String()),
  receivedAt: Nullable(Type.Integer()),
  disposalKind: Nullable(Type.String()),
  disposalDate: Nullable(Type.String()),
  disposedBy: Nullable(Type.Integer()),
  disposedByName: Nullable(Type.String()),
  disposedAt: Nullable(Type.Integer()),
  version: Type.Integer(),
  /** Which side the caller reads it as. */
  side: Type.String({ description: 'sender | receiver' }),
});

export const ClueDetail = Type.Object({
  ...ClueSummary.properties,
  title: Type.String(),
  content: Type.String(),
  persons: Type.Array(Type.String()),
  disposalNote: Nullable(Type.String()),
});

export const CluePage = Type.Object({
  items: Type.Array(ClueSummary),
  nextCursor: Nullable(Type.Integer()),
});
