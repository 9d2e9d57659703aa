import { type TSchema, Type } from 'typebox';
import {
  FEEDBACK_RECIPIENT_KINDS,
  ROUND_TYPES,
  ROUND_UNIT_STATUSES,
  type RoundUnitStatus,
} from '../../../../domain/rectification.js';
import { literalUnion } from '../../platform/schema.js';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Version = Type.Integer({ minimum: 1, maximum: 2147483647, description: 'The version you read' });
const dateText = (description = 'YYYY-MM-DD') =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', minLength: 10, maxLength: 10, description });
const DateText = dateText();
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const NullableDate = Nullable(DateText);
const NullableInt = Nullable(Type.Integer());
const NullableString = Nullable(Type.String());

export const MEMBER_ROLES = ['leader', 'deputy', 'member', 'liaison'] as const; // 组长 副组长 组员 联络员

export const IdParams = Type.Object({ id: Id });

// ── 届 ────────────────────────────────────────────────────────────────────────────────────────
export const Term = Type.Object({
  id: Type.Integer(),
  number: Type.Integer(),
  name: Type.String(),
  startDate: NullableString,
  endDate: NullableString,
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

export const TermList = Type.Object({ items: Type.Array(Term) });

export const CreateTerm = Type.Object(
  {
    number: Type.Integer({ minimum: 1, maximum: 1000, description: '届次, e.g. 5 for 五届市委' }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    startDate: Type.Optional(NullableDate),
    endDate: Type.Optional(NullableDate),
  },
  { additionalProperties: false },
);

export const UpdateTerm = Type.Object(
  {
    version: Version,
    number: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    startDate: Type.Optional(NullableDate),
    endDate: Type.Optional(NullableDate),
  },
  { additionalProperties: false },
);

// ── 轮 ────────────────────────────────────────────────────────────────────────────────────────
const statusCounts = Object.fromEntries(ROUND_UNIT_STATUSES.map((s) => [s, Type.Integer()])) as Record<
  RoundUnitStatus,
  ReturnType<typeof Type.Integer>
>;

export const UnitCounts = Type.Object(
  { total: Type.Integer(), ...statusCounts },
  { description: "Round-units in the caller's scope, in all and per status" },
);

export const Round = Type.Object({
  id: Type.Integer(),
  termId: Type.Integer(),
  termNumber: Type.Integer(),
  termName: Type.String(),
  number: Type.Integer(),
  name: Type.String(),
  type: Type.String(),
  onSiteStart: NullableString,
  onSiteEnd: NullableString,
  notes: NullableString,
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
  unitCounts: UnitCounts,
});

export const RoundList = Type.Object({ items: Type.Array(Round) });

export const RoundQuery = Type.Object(
  {
    termId: Type.Optional(Id),
    type: Type.Optional(literalUnion(ROUND_TYPES)),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Text in the name' })),
  },
  { additionalProperties: false },
);

export const CreateRound = Type.Object(
  {
    termId: Id,
    number: Type.Integer({ minimum: 1, maximum: 1000, description: '轮次 within the term' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    type: literalUnion(ROUND_TYPES),
    onSiteStart: Type.Optional(NullableDate),
    onSiteEnd: Type.Optional(NullableDate),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  },
  { additionalProperties: false },
);

export const UpdateRound = Type.Object(
  {
    version: Version,
    number: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    type: Type.Optional(literalUnion(ROUND_TYPES)),
    onSiteStart: Type.Optional(NullableDate),
    onSiteEnd: Type.Optional(NullableDate),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  },
  { additionalProperties: false },
);

// ── 巡察组 and 巡察人员 ───────────────────────────────────────────────────────────────────────
export const TeamMember = Type.Object({
  id: Type.Integer(),
  teamId: Type.Integer(),
  name: Type.String(),
  post: NullableString,
  memberRole: Type.String(),
  sourceOrgId: NullableInt,
  sourceOrgName: NullableString,
  userId: NullableInt,
  createdAt: Type.Integer(),
});

export const Team = Type.Object({
  id: Type.Integer(),
  roundId: Type.Integer(),
  name: Type.String(),
  notes: NullableString,
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
  members: Type.Array(TeamMember),
});

export const TeamList = Type.Object({ items: Type.Array(Team) });

export const CreateTeam = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: 'e.g. 市委第一巡察组' }),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  },
  { additionalProperties: false },
);

export const UpdateTeam = Type.Object(
  {
    version: Version,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  },
  { additionalProperties: false },
);

export const CreateTeamMember = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    post: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    memberRole: literalUnion(MEMBER_ROLES, {
      description: '组长 leader · 副组长 deputy · 组员 member · 联络员 liaison',
    }),
    sourceOrgId: Type.Optional(Nullable(Id)),
    userId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);

// ── 被巡察单位 of a round ──────────────────────────────────────────────────────────────────────
export const RoundUnit = Type.Object({
  id: Type.Integer(),
  roundId: Type.Integer(),
  roundNumber: Type.Integer(),
  roundName: Type.String(),
  roundType: Type.String(),
  termId: Type.Integer(),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  teamId: NullableInt,
  teamName: NullableString,
  status: literalUnion(ROUND_UNIT_STATUSES),
  cycle: Type.Integer({ description: '1, then 2+ after 重新整改' }),
  feedbackDate: NullableString,
  deadline: NullableString,
  deadlineOverridden: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

export const RoundUnitPage = Type.Object({
  items: Type.Array(RoundUnit),
  total: Type.Integer(),
  nextCursor: NullableInt,
});

export const RoundUnitQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: "Text in the unit's name or short name" })),
    termId: Type.Optional(Id),
    roundId: Type.Optional(Id),
    unitOrgId: Type.Optional(Id),
    status: Type.Optional(literalUnion(ROUND_UNIT_STATUSES)),
    after: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 2147483647, description: 'Keyset cursor: last id of the previous page' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  },
  { additionalProperties: false },
);

export const CreateRoundUnit = Type.Object(
  { unitOrgId: Id, teamId: Type.Optional(Nullable(Id)) },
  { additionalProperties: false },
);

export const UpdateRoundUnit = Type.Object(
  {
    version: Version,
    deadline: Type.Optional(DateText),
    teamId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);

export const Transition = Type.Object(
  {
    to: literalUnion(ROUND_UNIT_STATUSES),
    version: Version,
    reason: Type.Optional(
      Type.String({
        maxLength: 1000,
        description: 'Required for 重新整改 and for reopening an ended period (整改期满 → 整改中)',
      }),
    ),
    deadline: Type.Optional(
      dateText('New deadline (YYYY-MM-DD) when the period is extended (→ 整改中) or a new cycle starts (→ 重新整改)'),
    ),
  },
  { additionalProperties: false },
);

export const RoundUnitEvent = Type.Object({
  id: Type.Integer(),
  fromStatus: NullableString,
  toStatus: Type.String(),
  cycle: Type.Integer(),
  deadline: NullableString,
  reason: NullableString,
  actorId: NullableInt,
  actorName: NullableString,
  at: Type.Integer(),
});

// ── 反馈意见 and 抄送 ──────────────────────────────────────────────────────────────────────────
export const Feedback = Type.Object({
  id: Type.Integer(),
  roundUnitId: Type.Integer(),
  title: NullableString,
  body: Type.String(),
  deliveredOn: NullableString,
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

export const PutFeedback = Type.Object(
  {
    title: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
    body: Type.String({ minLength: 1, maxLength: 200_000 }),
    deliveredOn: DateText,
    version: Type.Integer({ minimum: 0, maximum: 2147483647, description: '0 when there is no feedback yet' }),
  },
  { additionalProperties: false },
);

export const FeedbackResult = Type.Object({ feedback: Feedback, roundUnit: RoundUnit });

export const FeedbackCopy = Type.Object({
  id: Type.Integer(),
  roundUnitId: Type.Integer(),
  recipientKind: Type.String(),
  recipientOrgId: NullableInt,
  recipientOrgName: NullableString,
  recipientName: NullableString,
  sentAt: NullableInt,
  receivedAt: NullableInt,
  note: NullableString,
  version: Type.Integer(),
  createdAt: Type.Integer(),
});

export const CreateFeedbackCopy = Type.Object(
  {
    recipientKind: literalUnion(FEEDBACK_RECIPIENT_KINDS),
    recipientOrgId: Type.Optional(Nullable(Id)),
    recipientName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);

export const Distribute = Type.Object(
  { markSent: Type.Optional(Type.Boolean({ description: 'Record the new copies as sent now', default: false })) },
  { additionalProperties: false },
);

export const DistributeResult = Type.Object({
  created: Type.Array(FeedbackCopy),
  skipped: Type.Array(Type.String(), { description: 'Kinds that already had a copy' }),
  missing: Type.Array(Type.String(), { description: 'Kinds without a liaison link of that line' }),
  copies: Type.Array(FeedbackCopy),
});

// ── 个别谈话情况报告 ─────────────────────────────────────────────────────────────────────────────
export const TalkReport = Type.Object({
  id: Type.Integer(),
  roundUnitId: Type.Integer(),
  sentToOrgId: NullableInt,
  sentToOrgName: NullableString,
  summary: NullableString,
  sentAt: NullableInt,
  receivedAt: NullableInt,
  version: Type.Integer(),
  createdAt: Type.Integer(),
});

export const CreateTalkReport = Type.Object(
  { sentToOrgId: Id, summary: Type.String({ minLength: 1, maxLength: 100_000 }) },
  { additionalProperties: false },
);

// ── 巡前情况通报 ───────────────────────────────────────────────────────────────────────────────
export const Briefing = Type.Object({
  id: Type.Integer(),
  roundUnitId: Type.Integer(),
  teamId: NullableInt,
  teamName: NullableString,
  supervisorOrgId: Type.Integer(),
  supervisorOrgName: Type.String(),
  content: Type.String(),
  givenOn: NullableString,
  createdBy: NullableInt,
  createdByName: NullableString,
  createdAt: Type.Integer(),
});

export const BriefingList = Type.Object({ items: Type.Array(Briefing) });

export const CreateBriefing = Type.Object(
  {
    teamId: Type.Optional(Nullable(Id)),
    content: Type.String({ minLength: 1, maxLength: 100_000 }),
    givenOn: Type.Optional(NullableDate),
    supervisorOrgId: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 2147483647,
        description: 'The office records a briefing on behalf of a liaison supervisor; a supervisor briefs as itself',
      }),
    ),
  },
  { additionalProperties: false },
);

// ── one round-unit in full ────────────────────────────────────────────────────────────────────
export const RoundUnitDetail = Type.Object({
  ...RoundUnit.properties,
  round: Round,
  team: Nullable(Team),
  feedback: Nullable(Feedback),
  copies: Type.Array(FeedbackCopy),
  talkReports: Type.Array(TalkReport, { description: 'Only for the office, the leadership and the recipient' }),
  briefings: Type.Array(Briefing, { description: 'Only for the office, the leadership and the briefing body' }),
  history: Type.Array(RoundUnitEvent),
  allowedTransitions: Type.Array(Type.String(), { description: 'Statuses the caller may move it to now' }),
});
