import { type TSchema, Type } from 'typebox';
import { HANDOVER_ACTIONS, HANDOVER_ITEM_STATUSES } from '../../../../domain/handover.js';
import { literalUnion } from '../../platform/schema.js';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Version = Type.Integer({ minimum: 1, maximum: 2147483647 });
const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, description: 'YYYY-MM-DD' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 }));
const Cursor = Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'nextCursor' }));
const PersonName = Type.String({ minLength: 1, maxLength: 100 });

export const IdParams = Type.Object({ id: Id });

// ---------------------------------------------------------------------------------------------
// Requests: handover (M9)

export const CreateHandover = Type.Object(
  {
    problemIds: Type.Array(Id, {
      minItems: 1,
      maxItems: 200,
      uniqueItems: true,
      description: 'Problems of any round-units, each with a 长期坚持 measure not closed or a measure not done',
    }),
    receivingOrgId: Type.Integer({
      minimum: 1,
      maximum: 2147483647,
      description: 'The 党风政风室: an active organisation of type discipline_office',
    }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const AcceptHandover = Type.Object(
  {
    version: Version,
    itemIds: Type.Optional(
      Type.Array(Id, {
        minItems: 1,
        maxItems: 200,
        uniqueItems: true,
        description: 'The items to accept; all still awaiting acceptance when left out',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ReturnHandover = Type.Object(
  {
    version: Version,
    itemIds: Type.Optional(
      Type.Array(Id, {
        minItems: 1,
        maxItems: 200,
        uniqueItems: true,
        description: 'The items to return; all still awaiting acceptance when left out',
      }),
    ),
    reason: Type.String({ minLength: 1, maxLength: 2000, description: 'Why the office gets it back' }),
  },
  { additionalProperties: false },
);

export const DispatchItem = Type.Object(
  {
    version: Version,
    supervisorOrgId: Type.Integer({
      minimum: 1,
      maximum: 2147483647,
      description: 'The supervision office: an active organisation of type supervisor',
    }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    dueDate: Type.Optional(DateStr),
  },
  { additionalProperties: false },
);

export const AddNote = Type.Object(
  { content: Type.String({ minLength: 1, maxLength: 4000 }) },
  { additionalProperties: false },
);

export const ConcludeItem = Type.Object(
  { version: Version, conclusion: Type.String({ minLength: 1, maxLength: 4000, description: '办结情况' }) },
  { additionalProperties: false },
);

export const HandoverQuery = Type.Object(
  {
    receivingOrgId: Type.Optional(Id),
    pending: Type.Optional(Type.Boolean({ description: 'Only handovers with items awaiting acceptance' })),
    limit: Limit,
    cursor: Cursor,
  },
  { additionalProperties: false },
);

export const LedgerQuery = Type.Object(
  {
    status: Type.Optional(literalUnion(HANDOVER_ITEM_STATUSES)),
    supervisorOrgId: Type.Optional(Id),
    unitOrgId: Type.Optional(Id),
    limit: Limit,
    cursor: Cursor,
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------------------------------------
// Requests: responsibility handover (M18)

export const CreateResponsibilityHandover = Type.Object(
  {
    fromUserId: Type.Optional(Id),
    fromName: Type.Optional(PersonName),
    toUserId: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 2147483647,
        description: "An active user of the unit's subtree, or of the inspection office",
      }),
    ),
    toName: Type.Optional(PersonName),
    measureIds: Type.Optional(
      Type.Array(Id, {
        minItems: 1,
        maxItems: 1000,
        uniqueItems: true,
        description: "Chosen measures of the outgoing person; all of the person's open measures when left out",
      }),
    ),
    versions: Type.Optional(
      Type.Record(Type.String({ pattern: '^[1-9][0-9]{0,9}$' }), Version, {
        maxProperties: 1000,
        additionalProperties: false,
        description: 'The version read of each measure, by id; a stale one fails the whole request',
      }),
    ),
    effectiveDate: DateStr,
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);

export const PageQuery = Type.Object({ limit: Limit, cursor: Cursor }, { additionalProperties: false });

export const NoticeQuery = Type.Object(
  { unread: Type.Optional(Type.Boolean()), limit: Limit, cursor: Cursor },
  { additionalProperties: false },
);

// ---------------------------------------------------------------------------------------------
// Responses

export const HandoverItem = Type.Object({
  id: Type.Integer(),
  handoverId: Type.Integer(),
  problemId: Type.Integer(),
  problemNumber: Type.String(),
  problemDescription: Type.String(),
  categoryCode: Type.String(),
  severity: Type.String(),
  roundUnitId: Type.Integer(),
  roundName: Type.String(),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  receivingOrgId: Type.Integer(),
  receivingOrgName: Type.String(),
  kind: Type.String({ description: 'long_term | unrectified' }),
  status: Type.String(),
  acceptedBy: Nullable(Type.Integer()),
  acceptedByName: Nullable(Type.String()),
  acceptedAt: Nullable(Type.Integer()),
  returnedBy: Nullable(Type.Integer()),
  returnedByName: Nullable(Type.String()),
  returnedAt: Nullable(Type.Integer()),
  returnReason: Nullable(Type.String()),
  supervisorOrgId: Nullable(Type.Integer()),
  supervisorOrgName: Nullable(Type.String()),
  dispatchedBy: Nullable(Type.Integer()),
  dispatchedByName: Nullable(Type.String()),
  dispatchedAt: Nullable(Type.Integer()),
  dispatchNote: Nullable(Type.String()),
  dueDate: Nullable(Type.String()),
  concludedBy: Nullable(Type.Integer()),
  concludedByName: Nullable(Type.String()),
  concludedAt: Nullable(Type.Integer()),
  conclusion: Nullable(Type.String()),
  actions: Type.Array(literalUnion(HANDOVER_ACTIONS), { description: 'What the caller may do next' }),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

export const HandoverItemDetail = Type.Object({
  ...HandoverItem.properties,
  measures: Type.Array(
    Type.Object({
      id: Type.Integer(),
      content: Type.String(),
      type: Type.String(),
      status: Type.String(),
      effectiveDeadline: Type.String(),
      ownerName: Nullable(Type.String()),
    }),
  ),
  notes: Type.Array(
    Type.Object({
      id: Type.Integer(),
      authorId: Type.Integer(),
      authorName: Nullable(Type.String()),
      authorOrgId: Type.Integer(),
      authorOrgName: Nullable(Type.String()),
      content: Type.String(),
      createdAt: Type.Integer(),
    }),
  ),
});

export const Handover = Type.Object({
  id: Type.Integer(),
  receivingOrgId: Type.Integer(),
  receivingOrgName: Type.String(),
  note: Nullable(Type.String()),
  sentBy: Type.Integer(),
  sentByName: Nullable(Type.String()),
  sentAt: Type.Integer(),
  counts: Type.Record(Type.String(), Type.Integer(), { description: 'Items by status (of those the caller sees)' }),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});
export const HandoverDetail = Type.Object({ ...Handover.properties, items: Type.Array(HandoverItem) });
export const HandoverPage = Type.Object({ items: Type.Array(Handover), nextCursor: Nullable(Type.Integer()) });
export const LedgerPage = Type.Object({ items: Type.Array(HandoverItem), nextCursor: Nullable(Type.Integer()) });

export const ResponsibilityHandover = Type.Object({
  id: Type.Integer(),
  roundUnitId: Type.Integer(),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  fromUserId: Nullable(Type.Integer()),
  fromName: Type.String(),
  toUserId: Nullable(Type.Integer()),
  toName: Type.String(),
  effectiveDate: Type.String(),
  reason: Type.String(),
  measureCount: Type.Integer(),
  recordedBy: Type.Integer(),
  recordedByName: Nullable(Type.String()),
  createdAt: Type.Integer(),
});
export const ResponsibilityHandoverDetail = Type.Object({
  ...ResponsibilityHandover.properties,
  measures: Type.Array(
    Type.Object({
      measureId: Type.Integer(),
      problemId: Type.Integer(),
      problemNumber: Type.String(),
      content: Type.String(),
      status: Type.String(),
      previousOwnerName: Nullable(Type.String()),
      previousOwnerUserId: Nullable(Type.Integer()),
      versionBefore: Type.Integer(),
      versionAfter: Type.Integer(),
    }),
  ),
  notices: Type.Array(
    Type.Object({ recipientUserId: Type.Integer(), role: Type.String(), readAt: Nullable(Type.Integer()) }),
  ),
});
export const ResponsibilityHandoverPage = Type.Object({
  items: Type.Array(ResponsibilityHandover),
  nextCursor: Nullable(Type.Integer()),
});

export const HandoverNotice = Type.Object({
  id: Type.Integer(),
  handoverId: Type.Integer(),
  role: Type.String({ description: 'outgoing | successor' }),
  roundUnitId: Type.Integer(),
  unitName: Type.String(),
  fromName: Type.String(),
  toName: Type.String(),
  effectiveDate: Type.String(),
  reason: Type.String(),
  measureCount: Type.Integer(),
  createdAt: Type.Integer(),
  readAt: Nullable(Type.Integer()),
});
export const HandoverNoticePage = Type.Object({
  items: Type.Array(HandoverNotice),
  nextCursor: Nullable(Type.Integer()),
});

export const DispatchTargetList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      shortName: Nullable(Type.String()),
      supervisorLine: Nullable(Type.String()),
    }),
  ),
});
