import { type TSchema, Type } from 'typebox';
import { DISCLOSURE_KINDS, DISCLOSURE_STATUSES, PERSON_RANKS } from '../../../../domain/disclosure.js';
import { literalUnion } from '../../platform/schema.js';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Version = Type.Integer({ minimum: 1, maximum: 2147483647 });
const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, description: 'YYYY-MM-DD' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Title = Type.String({ minLength: 1, maxLength: 300 });
const Body = Type.String({ maxLength: 20000 });
const Reason = Type.String({ minLength: 1, maxLength: 2000 });
const Channel = Type.String({ minLength: 1, maxLength: 50 });

export const IdParams = Type.Object({ id: Id });

export const Person = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50 }),
    post: Type.String({ maxLength: 100 }),
    rank: literalUnion(PERSON_RANKS, { description: '职级: names below the configured rank are published as 张某' }),
  },
  { additionalProperties: false },
);

export const ItemQuery = Type.Object(
  {
    status: Type.Optional(literalUnion(DISCLOSURE_STATUSES)),
    kind: Type.Optional(literalUnion(DISCLOSURE_KINDS)),
    batchId: Type.Optional(Id),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    cursor: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

export const CreateTypical = Type.Object(
  {
    problemId: Id,
    batchId: Type.Optional(Nullable(Id)),
    titleHans: Title,
    titleHant: Type.Optional(Title),
    bodyHans: Body,
    bodyHant: Type.Optional(Body),
    persons: Type.Optional(Type.Array(Person, { maxItems: 20 })),
    internalNote: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false },
);

export const UpdateItem = Type.Object(
  {
    version: Version,
    batchId: Type.Optional(Nullable(Id)),
    titleHans: Type.Optional(Title),
    titleHant: Type.Optional(Title),
    bodyHans: Type.Optional(Body),
    bodyHant: Type.Optional(Body),
    persons: Type.Optional(Type.Array(Person, { maxItems: 20 })),
    internalNote: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  },
  { additionalProperties: false },
);

export const VersionBody = Type.Object({ version: Version }, { additionalProperties: false });
export const ReasonBody = Type.Object({ version: Version, reason: Reason }, { additionalProperties: false });

const ChannelIn = Type.Object({ channel: Channel, publishedOn: DateStr }, { additionalProperties: false });

export const PublishBody = Type.Object(
  {
    version: Version,
    publishedOn: Type.Optional(DateStr),
    channels: Type.Optional(Type.Array(ChannelIn, { maxItems: 20 })),
  },
  { additionalProperties: false },
);

export const RecordChannel = Type.Object(
  { channel: Channel, publishedOn: DateStr, note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

export const CreateBatch = Type.Object(
  { titleHans: Title, titleHant: Type.Optional(Title) },
  { additionalProperties: false },
);

export const BatchAction = Type.Object(
  {
    publishedOn: Type.Optional(DateStr),
    channels: Type.Optional(Type.Array(ChannelIn, { maxItems: 20 })),
  },
  { additionalProperties: false },
);

export const CandidateQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })),
  },
  { additionalProperties: false },
);

// --- answers ----------------------------------------------------------------------------------

const ChannelOut = Type.Object({
  id: Type.Integer(),
  channel: Type.String(),
  publishedOn: Type.String(),
  note: Nullable(Type.String()),
  recordedBy: Nullable(Type.Integer()),
  recordedByName: Nullable(Type.String()),
  recordedAt: Type.Integer(),
});

export const PublicItem = Type.Object({
  id: Type.Integer(),
  kind: literalUnion(DISCLOSURE_KINDS),
  title: Type.String(),
  body: Type.String(),
  unitName: Type.String(),
  roundName: Type.String(),
  batchNumber: Nullable(Type.Integer()),
  batchTitle: Nullable(Type.String()),
  publishedOn: Type.String(),
  channels: Type.Array(Type.Object({ channel: Type.String(), publishedOn: Type.String() })),
  figures: Nullable(
    Type.Object({
      problems: Type.Integer(),
      rectifiedProblems: Type.Integer(),
      measures: Type.Integer(),
      doneMeasures: Type.Integer(),
      rate: Nullable(Type.Number()),
      problemRate: Nullable(Type.Number()),
      rulesEstablished: Type.Integer(),
      peopleHeldAccountable: Type.Integer(),
      casesFiled: Type.Integer(),
      fundsReturned: Nullable(Type.String()),
      lossesRecovered: Nullable(Type.String()),
    }),
  ),
  categories: Type.Array(Type.Object({ label: Type.String(), problems: Type.Integer(), rectified: Type.Integer() })),
  problems: Type.Array(Type.Object({ number: Type.String(), category: Type.String(), rectified: Type.Boolean() })),
  persons: Type.Array(Type.Object({ post: Type.String(), name: Type.String() })),
});

export const Item = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  status: Type.String(),
  batchId: Nullable(Type.Integer()),
  batchNumber: Nullable(Type.Integer()),
  roundUnitId: Type.Integer(),
  roundId: Type.Integer(),
  roundName: Type.String(),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  cycle: Type.Integer(),
  problemId: Nullable(Type.Integer()),
  titleHans: Type.String(),
  titleHant: Type.String(),
  bodyHans: Type.String(),
  bodyHant: Type.String(),
  persons: Type.Array(Type.Object({ name: Type.String(), post: Type.String(), rank: Type.String() })),
  internalNote: Nullable(Type.String()),
  publishedOn: Nullable(Type.String()),
  createdByName: Nullable(Type.String()),
  submittedAt: Nullable(Type.Integer()),
  approvedByName: Nullable(Type.String()),
  approvedAt: Nullable(Type.Integer()),
  returnedNote: Nullable(Type.String()),
  publishedAt: Nullable(Type.Integer()),
  withdrawnByName: Nullable(Type.String()),
  withdrawnAt: Nullable(Type.Integer()),
  withdrawReason: Nullable(Type.String()),
  channels: Type.Array(ChannelOut),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

export const ItemDetail = Type.Object({
  item: Item,
  /** Exactly what the public site would show, 简体 and 繁體. */
  preview: Type.Object({ hans: PublicItem, hant: PublicItem }),
});

export const ItemPage = Type.Object({ items: Type.Array(Item), nextCursor: Nullable(Type.Integer()) });

export const DraftResult = Type.Object({ drafted: Type.Integer(), items: Type.Array(Item) });

export const Batch = Type.Object({
  id: Type.Integer(),
  number: Type.Integer(),
  titleHans: Type.String(),
  titleHant: Type.String(),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  itemCount: Type.Integer(),
  publishedCount: Type.Integer(),
});
export const BatchList = Type.Object({ items: Type.Array(Batch) });
export const BatchDetail = Type.Object({ batch: Batch, items: Type.Array(Item) });
export const BatchResult = Type.Object({ changed: Type.Integer(), items: Type.Array(Item) });

export const Candidate = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  categoryCode: Type.String(),
  description: Type.String(),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  roundName: Type.String(),
  rectified: Type.Boolean(),
});
export const CandidateList = Type.Object({ items: Type.Array(Candidate) });

export const DisclosureSettingsOut = Type.Object({
  channels: Type.Array(Type.String()),
  publishAmounts: Type.Boolean(),
  nameRankFrom: Type.String(),
});

// --- the public JSON API ------------------------------------------------------------------------

export const PublicQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    kind: Type.Optional(literalUnion(DISCLOSURE_KINDS)),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
    lang: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false },
);
export const PublicLangQuery = Type.Object(
  { lang: Type.Optional(Type.String({ maxLength: 20 })) },
  { additionalProperties: false },
);
export const PublicPage = Type.Object({
  lang: Type.String(),
  page: Type.Integer(),
  pages: Type.Integer(),
  total: Type.Integer(),
  items: Type.Array(PublicItem),
});
