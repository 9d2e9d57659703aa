import { type TSchema, Type } from 'typebox';
import {
  ACCOUNTABILITY_KINDS,
  MEETING_ATTENDEE_SIDES,
  MEETING_NOTE_KINDS,
  MEETING_STATUSES,
} from '../../../../domain/meetings.js';
import { literalUnion } from '../../platform/schema.js';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Version = Type.Integer({ minimum: 1, maximum: 2147483647 });
const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, description: 'YYYY-MM-DD' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 }));
const Text = (maxLength: number, description?: string) => Type.String({ maxLength, description });

export const IdParams = Type.Object({ id: Id });

// --- 整改专题民主生活会 ------------------------------------------------------------------------

export const Attendee = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    orgId: Id,
    side: literalUnion(MEETING_ATTENDEE_SIDES, { description: 'discipline = 纪委监委, organisation = 组织部' }),
  },
  { additionalProperties: false },
);
const Attendees = Type.Array(Attendee, { maxItems: 50 });

export const CreateMeeting = Type.Object(
  {
    plannedDate: DateStr,
    plan: Type.Optional(Text(20000, 'The plan: topics, preparation (征求意见、谈心谈话), who speaks')),
    report: Type.Optional(Text(100000, '对照检查材料 of the leadership')),
  },
  { additionalProperties: false },
);

export const UpdateMeeting = Type.Object(
  {
    version: Version,
    plannedDate: Type.Optional(DateStr),
    plan: Type.Optional(Nullable(Text(20000))),
    report: Type.Optional(Nullable(Text(100000))),
    attendees: Type.Optional(Attendees),
    problemsFound: Type.Optional(Nullable(Text(20000))),
    measuresDecided: Type.Optional(Nullable(Text(20000))),
  },
  { additionalProperties: false },
);

export const HoldMeeting = Type.Object(
  {
    version: Version,
    heldOn: DateStr,
    attendees: Attendees,
    report: Type.Optional(Text(100000)),
    problemsFound: Type.Optional(Text(20000, 'Problems found at the meeting (查摆问题)')),
    measuresDecided: Type.Optional(Text(20000, 'Measures decided (整改措施)')),
  },
  { additionalProperties: false },
);

export const ReviewMeeting = Type.Object(
  { version: Version, note: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

export const AddMeetingNote = Type.Object(
  {
    kind: literalUnion(MEETING_NOTE_KINDS, { description: 'guidance = 指导, supervision = 监督' }),
    content: Type.String({ minLength: 1, maxLength: 10000 }),
  },
  { additionalProperties: false },
);

export const MeetingQuery = Type.Object(
  {
    overdue: Type.Optional(Type.Boolean({ description: 'Only meetings still planned past their due date' })),
    status: Type.Optional(literalUnion(MEETING_STATUSES)),
    roundId: Type.Optional(Id),
    termId: Type.Optional(Id),
    unitOrgId: Type.Optional(Id),
    cursor: Type.Optional(Id),
    limit: Limit,
  },
  { additionalProperties: false },
);

export const UnplannedQuery = Type.Object(
  {
    overdue: Type.Optional(Type.Boolean({ description: 'Only those whose due date has passed' })),
    roundId: Type.Optional(Id),
    unitOrgId: Type.Optional(Id),
    cursor: Type.Optional(Id),
    limit: Limit,
  },
  { additionalProperties: false },
);

export const UnplannedPage = Type.Object({
  items: Type.Array(
    Type.Object({
      roundUnitId: Type.Integer(),
      roundId: Type.Integer(),
      roundName: Type.String(),
      unitOrgId: Type.Integer(),
      unitName: Type.String(),
      cycle: Type.Integer(),
      status: Type.String(),
      feedbackDate: Type.String(),
      dueDate: Type.String(),
      overdue: Type.Boolean(),
    }),
  ),
  nextCursor: Nullable(Type.Integer()),
});

export const AttendeeView = Type.Object({
  name: Type.String(),
  orgId: Type.Integer(),
  orgName: Nullable(Type.String()),
  side: Type.String(),
});

export const Meeting = Type.Object({
  id: Type.Integer(),
  roundUnitId: Type.Integer(),
  roundId: Type.Integer(),
  roundName: Type.String(),
  termId: Type.Integer(),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  cycle: Type.Integer(),
  status: Type.String(),
  feedbackDate: Type.String(),
  dueDate: Type.String(),
  plannedDate: Type.String(),
  plan: Nullable(Type.String()),
  report: Nullable(Type.String()),
  heldOn: Nullable(Type.String()),
  attendees: Type.Array(AttendeeView),
  problemsFound: Nullable(Type.String()),
  measuresDecided: Nullable(Type.String()),
  overdue: Type.Boolean({ description: 'Not held and past its due date' }),
  heldLate: Type.Boolean({ description: 'Held after its due date' }),
  flag: Nullable(Type.String({ description: 'overdue | held_late' })),
  createdBy: Nullable(Type.Integer()),
  createdByName: Nullable(Type.String()),
  heldRecordedBy: Nullable(Type.Integer()),
  heldRecordedByName: Nullable(Type.String()),
  heldRecordedAt: Nullable(Type.Integer()),
  reviewedBy: Nullable(Type.Integer()),
  reviewedByName: Nullable(Type.String()),
  reviewedAt: Nullable(Type.Integer()),
  reviewNote: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

export const MeetingNote = Type.Object({
  id: Type.Integer(),
  meetingId: Type.Integer(),
  kind: Type.String(),
  content: Type.String(),
  authorId: Type.Integer(),
  authorName: Nullable(Type.String()),
  authorOrgId: Type.Integer(),
  authorOrgName: Nullable(Type.String()),
  createdAt: Type.Integer(),
});

export const MeetingDetail = Type.Object({ ...Meeting.properties, notes: Type.Array(MeetingNote) });
export const MeetingList = Type.Object({ items: Type.Array(Meeting) });
export const AttendeeOrgList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      type: Type.String(),
      supervisorLine: Nullable(Type.String()),
    }),
  ),
});
export const MeetingPage = Type.Object({ items: Type.Array(Meeting), nextCursor: Nullable(Type.Integer()) });

// --- accountability ---------------------------------------------------------------------------

const KindSchema = literalUnion(ACCOUNTABILITY_KINDS, {
  description:
    'interview = 约谈, warning_interview = 警示约谈, reminder_talk = 提醒谈话, circulated_criticism = 通报批评, accountability = 问责, case_filed = 立案',
});

export const CreateAccountability = Type.Object(
  {
    kind: KindSchema,
    personName: Type.String({ minLength: 1, maxLength: 100 }),
    personPost: Type.Optional(Type.String({ maxLength: 100 })),
    personUnitOrgId: Type.Optional(Id),
    reason: Type.String({ minLength: 1, maxLength: 10000 }),
    decidingOrgId: Type.Optional(Id),
    decidedOn: DateStr,
    outcome: Type.Optional(Type.String({ maxLength: 10000 })),
    negativeList: Type.Optional(Type.Boolean({ description: 'Enters the person’s 政治素质负面清单' })),
    negativeListNote: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const UpdateAccountability = Type.Object(
  {
    version: Version,
    personPost: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 10000 })),
    decidedOn: Type.Optional(DateStr),
    outcome: Type.Optional(Nullable(Type.String({ maxLength: 10000 }))),
    negativeList: Type.Optional(Type.Boolean()),
    negativeListNote: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);

const FilterFields = {
  roundId: Type.Optional(Id),
  termId: Type.Optional(Id),
  unitOrgId: Type.Optional(Id),
  decidingOrgId: Type.Optional(Id),
};

export const AccountabilityQuery = Type.Object(
  {
    ...FilterFields,
    kind: Type.Optional(KindSchema),
    negativeList: Type.Optional(Type.Boolean()),
    cursor: Type.Optional(Id),
    limit: Limit,
  },
  { additionalProperties: false },
);

export const FiguresQuery = Type.Object(FilterFields, { additionalProperties: false });

export const CadreQuery = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: 'The person’s name as written in the lists' }),
    unitOrgId: Id,
  },
  { additionalProperties: false },
);

export const AccountabilityRecord = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  problemId: Type.Integer(),
  problemNumber: Type.String(),
  problemDescription: Type.String(),
  categoryCode: Type.String(),
  roundUnitId: Type.Integer(),
  roundId: Type.Integer(),
  roundName: Type.String(),
  termId: Type.Integer(),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  personName: Type.String(),
  personPost: Nullable(Type.String()),
  personUnitOrgId: Type.Integer(),
  personUnitName: Type.String(),
  reason: Type.String(),
  decidingOrgId: Type.Integer(),
  decidingOrgName: Type.String(),
  decidedOn: Type.String(),
  outcome: Nullable(Type.String()),
  negativeList: Type.Boolean(),
  negativeListNote: Nullable(Type.String()),
  createdBy: Nullable(Type.Integer()),
  createdByName: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

export const AccountabilityList = Type.Object({ items: Type.Array(AccountabilityRecord) });
export const AccountabilityPage = Type.Object({
  items: Type.Array(AccountabilityRecord),
  nextCursor: Nullable(Type.Integer()),
});

const KindCounts = Type.Object(
  Object.fromEntries(ACCOUNTABILITY_KINDS.map((k) => [k, Type.Integer()])) as Record<
    (typeof ACCOUNTABILITY_KINDS)[number],
    ReturnType<typeof Type.Integer>
  >,
);

export const AccountabilityFigures = Type.Object({
  records: Type.Integer(),
  byKind: KindCounts,
  people: Type.Integer({ description: 'Distinct persons (name and unit) with a record' }),
  peopleHeldAccountable: Type.Integer({ description: 'Records of 通报批评 and 问责' }),
  casesFiled: Type.Integer({ description: 'Records of 立案' }),
  negativeList: Type.Integer({ description: 'Entries of the 政治素质负面清单' }),
});

export const CadreRecord = Type.Object({
  person: Type.Object({
    name: Type.String(),
    unitOrgId: Type.Integer(),
    unitName: Type.String(),
    posts: Type.Array(Type.String()),
  }),
  talkReports: Type.Array(
    Type.Object({
      id: Type.Integer(),
      roundUnitId: Type.Integer(),
      roundId: Type.Integer(),
      roundName: Type.String(),
      sentToOrgId: Nullable(Type.Integer()),
      sentToOrgName: Nullable(Type.String()),
      summary: Nullable(Type.String()),
      sentAt: Nullable(Type.Integer()),
      receivedAt: Nullable(Type.Integer()),
    }),
  ),
  accountability: Type.Array(AccountabilityRecord),
  negativeList: Type.Array(AccountabilityRecord),
  responsibilities: Type.Array(
    Type.Object({
      problemId: Type.Integer(),
      number: Type.String(),
      description: Type.String(),
      categoryCode: Type.String(),
      roundUnitId: Type.Integer(),
      roundId: Type.Integer(),
      roundName: Type.String(),
      duties: Type.Array(Type.String({ description: 'leader | person | first | shared' })),
      measureCount: Type.Integer(),
      doneCount: Type.Integer(),
      rectified: Type.Boolean(),
    }),
  ),
  figures: Type.Object({
    byKind: KindCounts,
    records: Type.Integer(),
    negativeList: Type.Integer(),
    problems: Type.Integer(),
    rectifiedProblems: Type.Integer(),
    measures: Type.Integer(),
    doneMeasures: Type.Integer(),
  }),
});
