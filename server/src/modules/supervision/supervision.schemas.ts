import { type TSchema, Type } from 'typebox';
import {
  DISPATCH_ORDER_STATUSES,
  SUPERVISION_ACTION_KINDS,
  SUPERVISION_ACTION_STATUSES,
  SUPERVISION_TARGET_TYPES,
  SUPERVISION_TASK_STATUSES,
  WORK_QUEUE_KINDS,
} from '../../../../domain/supervision.js';
import { literalUnion } from '../../platform/schema.js';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Version = Type.Integer({ minimum: 1, maximum: 2147483647 });
const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, description: 'YYYY-MM-DD' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 }));
const Cursor = Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'nextCursor' }));
const Title = Type.String({ minLength: 1, maxLength: 200 });
const Text = (max: number) => Type.String({ maxLength: max });
const FileIds = Type.Array(Id, {
  maxItems: 50,
  uniqueItems: true,
  description: "Evidence: uploads of the record's round-unit (none when it has no round-unit)",
});

export const IdParams = Type.Object({ id: Id });
export const ItemParams = Type.Object({ id: Id, itemId: Id });

// ---------------------------------------------------------------------------------------------
// Requests

const NewMilestone = Type.Object({ title: Title, dueDate: DateStr }, { additionalProperties: false });

export const CreatePlan = Type.Object(
  {
    unitOrgId: Id,
    roundUnitId: Type.Optional(Id),
    title: Title,
    content: Type.Optional(Text(10000)),
    startDate: Type.Optional(DateStr),
    endDate: Type.Optional(DateStr),
    milestones: Type.Optional(Type.Array(NewMilestone, { maxItems: 50 })),
  },
  { additionalProperties: false },
);

export const UpdatePlan = Type.Object(
  {
    version: Version,
    title: Type.Optional(Title),
    content: Type.Optional(Text(10000)),
    roundUnitId: Type.Optional(Nullable(Id)),
    startDate: Type.Optional(Nullable(DateStr)),
    endDate: Type.Optional(Nullable(DateStr)),
  },
  { additionalProperties: false },
);

export const AddMilestone = NewMilestone;

export const UpdateMilestone = Type.Object(
  { version: Version, title: Type.Optional(Title), dueDate: Type.Optional(DateStr) },
  { additionalProperties: false },
);

export const MilestoneDone = Type.Object(
  {
    version: Version,
    doneDate: Type.Optional(DateStr),
    note: Type.Optional(Text(2000)),
  },
  { additionalProperties: false },
);

export const PlanQuery = Type.Object(
  { unitOrgId: Type.Optional(Id), supervisorOrgId: Type.Optional(Id), limit: Limit, cursor: Cursor },
  { additionalProperties: false },
);

export const CreateAction = Type.Object(
  {
    kind: literalUnion(SUPERVISION_ACTION_KINDS),
    unitOrgId: Id,
    targetType: literalUnion(SUPERVISION_TARGET_TYPES),
    problemId: Type.Optional(Id),
    measureId: Type.Optional(Id),
    roundUnitId: Type.Optional(Id),
    planId: Type.Optional(Id),
    actionDate: DateStr,
    title: Title,
    content: Type.String({ minLength: 1, maxLength: 20000 }),
    responseRequired: Type.Boolean(),
    responseDeadline: Type.Optional(DateStr),
  },
  { additionalProperties: false },
);

export const RespondAction = Type.Object(
  { version: Version, text: Type.String({ minLength: 1, maxLength: 10000 }), fileIds: Type.Optional(FileIds) },
  { additionalProperties: false },
);

export const CloseAction = Type.Object(
  { version: Version, note: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

export const ActionQuery = Type.Object(
  {
    kind: Type.Optional(literalUnion(SUPERVISION_ACTION_KINDS)),
    status: Type.Optional(literalUnion(SUPERVISION_ACTION_STATUSES)),
    unitOrgId: Type.Optional(Id),
    overdue: Type.Optional(Type.Boolean()),
    limit: Limit,
    cursor: Cursor,
  },
  { additionalProperties: false },
);

export const CreateOrder = Type.Object(
  {
    unitOrgId: Id,
    roundUnitId: Type.Optional(Id),
    addressee: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: "The unit's party organisation; default the unit" }),
    ),
    title: Title,
    content: Type.Optional(Text(10000)),
    deadline: DateStr,
    items: Type.Array(
      Type.Object(
        {
          content: Type.String({ minLength: 1, maxLength: 2000 }),
          deadline: Type.Optional(DateStr),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);

export const AnswerItem = RespondAction;

export const ReviewItem = Type.Object(
  { version: Version, note: Type.Optional(Text(2000)) },
  { additionalProperties: false },
);

export const ReturnItem = Type.Object(
  { version: Version, note: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

export const OrderQuery = Type.Object(
  {
    status: Type.Optional(literalUnion(DISPATCH_ORDER_STATUSES)),
    unitOrgId: Type.Optional(Id),
    overdue: Type.Optional(Type.Boolean({ description: 'Orders with an item past its deadline still unanswered' })),
    limit: Limit,
    cursor: Cursor,
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------------------------------------
// Responses

const Light = literalUnion(['green', 'amber', 'red'] as const);

export const Milestone = Type.Object({
  id: Type.Integer(),
  planId: Type.Integer(),
  title: Type.String(),
  dueDate: Type.String(),
  doneDate: Nullable(Type.String()),
  doneNote: Nullable(Type.String()),
  doneBy: Nullable(Type.Integer()),
  doneByName: Nullable(Type.String()),
  light: Light,
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

export const Plan = Type.Object({
  id: Type.Integer(),
  supervisorOrgId: Type.Integer(),
  supervisorName: Type.String(),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  roundUnitId: Nullable(Type.Integer()),
  title: Type.String(),
  content: Type.String(),
  startDate: Nullable(Type.String()),
  endDate: Nullable(Type.String()),
  light: Light,
  milestones: Type.Array(Milestone),
  createdBy: Type.Integer(),
  createdByName: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});
export const PlanPage = Type.Object({ items: Type.Array(Plan), nextCursor: Nullable(Type.Integer()) });

export const Action = Type.Object({
  id: Type.Integer(),
  kind: Type.String({ description: 'SUPERVISION_ACTION_KINDS' }),
  supervisorOrgId: Type.Integer(),
  supervisorName: Type.String(),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  targetType: Type.String({ description: 'unit | problem | measure' }),
  problemId: Nullable(Type.Integer()),
  problemNumber: Nullable(Type.String()),
  measureId: Nullable(Type.Integer()),
  measureContent: Nullable(Type.String()),
  categoryCode: Nullable(Type.String()),
  roundUnitId: Nullable(Type.Integer()),
  planId: Nullable(Type.Integer()),
  actionDate: Type.String(),
  title: Type.String(),
  content: Type.String(),
  responseRequired: Type.Boolean(),
  responseDeadline: Nullable(Type.String()),
  status: Type.String({ description: 'open | responded | closed' }),
  overdue: Type.Boolean({ description: 'A required response is past its deadline and not given' }),
  responseText: Nullable(Type.String()),
  responseFileIds: Type.Array(Type.Integer()),
  respondedBy: Nullable(Type.Integer()),
  respondedByName: Nullable(Type.String()),
  respondedAt: Nullable(Type.Integer()),
  closedBy: Nullable(Type.Integer()),
  closedByName: Nullable(Type.String()),
  closedAt: Nullable(Type.Integer()),
  closeNote: Nullable(Type.String()),
  hasDocument: Type.Boolean({ description: '督办单 / 监察建议书: GET …/document.docx' }),
  docNumber: Nullable(Type.String({ description: '文号' })),
  createdBy: Type.Integer(),
  createdByName: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});
export const ActionPage = Type.Object({ items: Type.Array(Action), nextCursor: Nullable(Type.Integer()) });

export const DispatchItem = Type.Object({
  id: Type.Integer(),
  orderId: Type.Integer(),
  seq: Type.Integer(),
  content: Type.String(),
  deadline: Type.String(),
  status: Type.String({ description: 'pending | answered | accepted | returned' }),
  overdue: Type.Boolean(),
  answerText: Nullable(Type.String()),
  answerFileIds: Type.Array(Type.Integer()),
  answeredBy: Nullable(Type.Integer()),
  answeredByName: Nullable(Type.String()),
  answeredAt: Nullable(Type.Integer()),
  reviewedBy: Nullable(Type.Integer()),
  reviewedByName: Nullable(Type.String()),
  reviewedAt: Nullable(Type.Integer()),
  reviewNote: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

export const DispatchOrder = Type.Object({
  id: Type.Integer(),
  supervisorOrgId: Type.Integer(),
  supervisorName: Type.String(),
  unitOrgId: Type.Integer(),
  unitName: Type.String(),
  roundUnitId: Nullable(Type.Integer()),
  addressee: Type.String(),
  title: Type.String(),
  content: Type.String(),
  deadline: Type.String(),
  status: Type.String({ description: 'open | done' }),
  doneAt: Nullable(Type.Integer()),
  overdueItems: Type.Integer(),
  items: Type.Array(DispatchItem),
  createdBy: Type.Integer(),
  createdByName: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});
export const OrderPage = Type.Object({ items: Type.Array(DispatchOrder), nextCursor: Nullable(Type.Integer()) });

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const DocxFile = {
  description: 'The 督办单 or 监察建议书 as a Word document (.docx)',
  content: { [DOCX_MIME]: { schema: Type.String({ format: 'binary' }) } },
};

// ---------------------------------------------------------------------------------------------
// 整改监督信息沟通会 and its tasks (decisions followed to completion), the work queue

const NewTask = Type.Object(
  {
    content: Type.String({ minLength: 1, maxLength: 2000 }),
    ownerOrgId: Id,
    ownerUserId: Type.Optional(Id),
    deadline: DateStr,
  },
  { additionalProperties: false },
);
export const AddTask = NewTask;

const MeetingAttendee = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), orgId: Type.Optional(Id) },
  { additionalProperties: false },
);

export const CreateSupervisionMeeting = Type.Object(
  {
    title: Title,
    heldOn: DateStr,
    location: Type.Optional(Type.String({ maxLength: 200 })),
    roundId: Type.Optional(Id),
    attendees: Type.Optional(Type.Array(MeetingAttendee, { maxItems: 100 })),
    summary: Text(20000),
    tasks: Type.Array(NewTask, { maxItems: 100, description: 'The decisions, each a task for its owner' }),
  },
  { additionalProperties: false },
);

export const SupervisionMeetingQuery = Type.Object(
  { convenerOrgId: Type.Optional(Id), cursor: Cursor, limit: Limit },
  { additionalProperties: false },
);

export const TaskQuery = Type.Object(
  {
    meetingId: Type.Optional(Id),
    ownerOrgId: Type.Optional(Id),
    convenerOrgId: Type.Optional(Id),
    status: Type.Optional(literalUnion(SUPERVISION_TASK_STATUSES)),
    overdue: Type.Optional(Type.Boolean()),
    cursor: Cursor,
    limit: Limit,
  },
  { additionalProperties: false },
);

export const ReportTask = Type.Object(
  {
    version: Version,
    text: Type.String({ minLength: 1, maxLength: 10000 }),
    completedOn: Type.Optional(DateStr),
  },
  { additionalProperties: false },
);
export const AcceptTask = Type.Object(
  { version: Version, note: Type.Optional(Text(2000)) },
  { additionalProperties: false },
);
export const ReturnTask = Type.Object(
  { version: Version, note: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

export const SupervisionTask = Type.Object({
  id: Type.Integer(),
  meetingId: Type.Integer(),
  meetingTitle: Type.String(),
  meetingHeldOn: Type.String(),
  convenerOrgId: Type.Integer(),
  convenerName: Type.String(),
  seq: Type.Integer(),
  content: Type.String(),
  ownerOrgId: Type.Integer(),
  ownerOrgName: Type.String(),
  ownerUserId: Nullable(Type.Integer()),
  ownerUserName: Nullable(Type.String()),
  deadline: Type.String(),
  status: Type.String({ description: 'open | reported | accepted | returned' }),
  overdue: Type.Boolean({ description: 'Past the deadline and the owner still owes its report' }),
  reportText: Nullable(Type.String()),
  reportedBy: Nullable(Type.Integer()),
  reportedByName: Nullable(Type.String()),
  reportedAt: Nullable(Type.Integer()),
  completedOn: Nullable(Type.String()),
  reviewedBy: Nullable(Type.Integer()),
  reviewedByName: Nullable(Type.String()),
  reviewedAt: Nullable(Type.Integer()),
  reviewNote: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});
export const TaskPage = Type.Object({ items: Type.Array(SupervisionTask), nextCursor: Nullable(Type.Integer()) });

export const SupervisionMeeting = Type.Object({
  id: Type.Integer(),
  convenerOrgId: Type.Integer(),
  convenerName: Type.String(),
  roundId: Nullable(Type.Integer()),
  roundName: Nullable(Type.String()),
  title: Type.String(),
  heldOn: Type.String(),
  location: Nullable(Type.String()),
  attendees: Type.Array(Type.Object({ name: Type.String(), orgId: Nullable(Type.Integer()) })),
  summary: Type.String(),
  tasks: Type.Array(SupervisionTask, { description: 'The decisions the caller may see' }),
  openTasks: Type.Integer(),
  overdueTasks: Type.Integer(),
  createdBy: Type.Integer(),
  createdByName: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});
export const SupervisionMeetingPage = Type.Object({
  items: Type.Array(SupervisionMeeting),
  nextCursor: Nullable(Type.Integer()),
});

const QueueCursor = Type.String({
  pattern: '^[01]\\|\\d{4}-\\d{2}-\\d{2}\\|[01]\\|\\d\\|\\d{12}$',
  maxLength: 40,
  description: 'nextCursor of the previous page (the urgency key of its last entry)',
});
export const WorkQueueQuery = Type.Object(
  {
    kind: Type.Optional(literalUnion(WORK_QUEUE_KINDS)),
    move: Type.Optional(literalUnion(['act', 'watch'] as const)),
    cursor: Type.Optional(QueueCursor),
    limit: Limit,
  },
  { additionalProperties: false },
);

export const WorkQueueEntry = Type.Object({
  key: Type.String({ description: 'Urgency key: overdue first, then the earliest deadline, then stalled' }),
  kind: Type.String({ description: 'problem | measure | action | dispatch_item | task' }),
  id: Type.Integer(),
  title: Type.String(),
  detail: Nullable(Type.String()),
  unitOrgId: Nullable(Type.Integer()),
  unitName: Nullable(Type.String()),
  status: Type.String(),
  deadline: Nullable(Type.String()),
  daysLeft: Nullable(Type.Integer({ description: 'Days to the deadline; negative when overdue' })),
  overdue: Type.Boolean(),
  stalled: Type.Boolean(),
  move: Type.String({ description: "act: the caller's move; watch: waiting on the other side" }),
  problemId: Nullable(Type.Integer()),
  orderId: Nullable(Type.Integer()),
  meetingId: Nullable(Type.Integer()),
});
export const WorkQueuePage = Type.Object({
  items: Type.Array(WorkQueueEntry),
  total: Type.Integer(),
  overdue: Type.Integer(),
  nextCursor: Nullable(Type.String()),
});
