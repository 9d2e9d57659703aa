import { type TSchema, Type } from 'typebox';
import { MINUTES_KINDS, REPORT_MEETING_KINDS, TASK_STATUSES } from '../../../../domain/reports.js';
import { literalUnion } from '../../platform/schema.js';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Version = Type.Integer({ minimum: 1, maximum: 2147483647 });
const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, description: 'YYYY-MM-DD' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Title = Type.String({ minLength: 1, maxLength: 200 });
const Text = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max });

export const REPORT_KINDS = ['comprehensive', 'progress_statistics', 'open_measures'] as const;

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

/** The data a generated report covers: a term, a round, one unit, always within the caller's scope. */
export const ReportQuery = Type.Object(
  { termId: Type.Optional(Id), roundId: Type.Optional(Id), unitOrgId: Type.Optional(Id) },
  { additionalProperties: false },
);

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const DocxFile = {
  description: '整改进展情况综合报告 as a Word document laid out per GB/T 9704',
  content: { [DOCX_MIME]: { schema: Type.String({ format: 'binary' }) } },
};
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const XlsxFile = {
  description: 'An Excel workbook (streamed)',
  content: { [XLSX_MIME]: { schema: Type.String({ format: 'binary' }) } },
};

// --- 三个汇报 records ------------------------------------------------------------------------------

export const CreateReportMeeting = Type.Object(
  {
    kind: literalUnion(REPORT_MEETING_KINDS),
    meetingDate: DateStr,
    termId: Type.Optional(Id),
    roundId: Type.Optional(Id),
    title: Title,
    summary: Text(20000, 1),
    reportKind: Type.Optional(literalUnion(REPORT_KINDS)),
  },
  { additionalProperties: false },
);

export const UpdateReportMeeting = Type.Object(
  {
    version: Version,
    meetingDate: Type.Optional(DateStr),
    title: Type.Optional(Title),
    summary: Type.Optional(Text(20000, 1)),
  },
  { additionalProperties: false },
);

export const ReportMeeting = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  meetingDate: Type.String(),
  termId: Nullable(Type.Integer()),
  roundId: Nullable(Type.Integer()),
  roundName: Nullable(Type.String()),
  termName: Nullable(Type.String()),
  title: Type.String(),
  summary: Type.String(),
  reportKind: Nullable(Type.String()),
  figures: Nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'Headline figures when recorded' })),
  createdBy: Type.Integer(),
  createdByName: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});
export const ReportMeetingList = Type.Object({ items: Type.Array(ReportMeeting) });

// --- minutes and tasks -----------------------------------------------------------------------------

const Decision = Type.Object(
  {
    content: Text(4000, 1),
    ownerOrgId: Id,
    ownerUserId: Type.Optional(Id),
    deadline: DateStr,
  },
  { additionalProperties: false },
);

export const CreateMinutes = Type.Object(
  {
    kind: literalUnion(MINUTES_KINDS),
    meetingDate: DateStr,
    docNumber: Type.Optional(Text(100)),
    title: Title,
    content: Text(50000, 1),
    roundId: Type.Optional(Id),
    reportMeetingId: Type.Optional(Id),
    decisions: Type.Array(Decision, { minItems: 1, maxItems: 100, description: 'Each becomes a 限时办结 task' }),
  },
  { additionalProperties: false },
);

export const TaskEvent = Type.Object({
  id: Type.Integer(),
  kind: Type.String({ description: 'urge | report | return | close' }),
  note: Nullable(Type.String()),
  actorId: Type.Integer(),
  actorName: Nullable(Type.String()),
  actorOrgName: Nullable(Type.String()),
  createdAt: Type.Integer(),
});

export const Task = Type.Object({
  id: Type.Integer(),
  minutesId: Type.Integer(),
  minutesTitle: Type.String(),
  minutesKind: Type.String(),
  meetingDate: Type.String(),
  seq: Type.Integer(),
  content: Type.String(),
  ownerOrgId: Type.Integer(),
  ownerOrgName: Type.String(),
  ownerUserId: Nullable(Type.Integer()),
  ownerUserName: Nullable(Type.String()),
  deadline: Type.String(),
  status: literalUnion(TASK_STATUSES),
  overdue: Type.Boolean({ description: 'Waiting on the owner past its deadline' }),
  reportText: Nullable(Type.String()),
  reportedAt: Nullable(Type.Integer()),
  reportedByName: Nullable(Type.String()),
  reviewNote: Nullable(Type.String()),
  reviewedAt: Nullable(Type.Integer()),
  closedOn: Nullable(Type.String()),
  urgeCount: Type.Integer(),
  lastUrgedAt: Nullable(Type.Integer()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});
export const TaskWithEvents = Type.Object({ ...Task.properties, events: Type.Array(TaskEvent) });

export const Minutes = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  meetingDate: Type.String(),
  docNumber: Nullable(Type.String()),
  title: Type.String(),
  content: Type.String(),
  roundId: Nullable(Type.Integer()),
  reportMeetingId: Nullable(Type.Integer()),
  createdBy: Type.Integer(),
  createdByName: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
  tasks: Type.Array(Task),
});
export const MinutesList = Type.Object({ items: Type.Array(Minutes) });

export const TaskQuery = Type.Object(
  {
    status: Type.Optional(literalUnion(TASK_STATUSES)),
    overdue: Type.Optional(Type.Boolean()),
    ownerOrgId: Type.Optional(Id),
    minutesId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'nextCursor' })),
  },
  { additionalProperties: false },
);
export const TaskPage = Type.Object({ items: Type.Array(Task), nextCursor: Nullable(Type.Integer()) });

export const UrgeTask = Type.Object({ note: Type.Optional(Text(2000)) }, { additionalProperties: false });
export const ReportTask = Type.Object({ version: Version, text: Text(10000, 1) }, { additionalProperties: false });
export const AcceptTask = Type.Object(
  { version: Version, note: Type.Optional(Text(2000)) },
  { additionalProperties: false },
);
export const ReturnTask = Type.Object({ version: Version, note: Text(2000, 1) }, { additionalProperties: false });
