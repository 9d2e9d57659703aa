import { type TSchema, Type } from 'typebox';
import { CHANNELS, DELIVERY_STATUSES } from '../../../../domain/notices.js';
import { literalUnion } from '../../platform/schema.js';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Page = Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 }));
const PageSize = Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 }));

export const IdParams = Type.Object({ id: Id });

export const Notice = Type.Object({
  id: Type.Integer(),
  kind: Type.String({ description: 'deadline | overdue | stalled | meeting_missed | warning_signs | digest | …' }),
  severity: Type.String({ description: 'info | warning | danger' }),
  title: Type.String(),
  body: Type.String(),
  link: Nullable(Type.String()),
  unitOrgId: Nullable(Type.Integer()),
  entity: Nullable(Type.String()),
  entityId: Nullable(Type.String()),
  createdAt: Type.Integer(),
  readAt: Nullable(Type.Integer()),
});

export const MyNoticesQuery = Type.Object(
  { unread: Type.Optional(Type.Boolean({ description: 'only the unread ones' })), page: Page, pageSize: PageSize },
  { additionalProperties: false },
);
export const MyNoticesPage = Type.Object({
  items: Type.Array(Notice),
  total: Type.Integer(),
  unread: Type.Integer(),
});
export const UnreadCount = Type.Object({ count: Type.Integer() });
export const ReadAllResult = Type.Object({ updated: Type.Integer() });

export const DeliveryQuery = Type.Object(
  {
    status: Type.Optional(literalUnion(DELIVERY_STATUSES)),
    channel: Type.Optional(literalUnion(CHANNELS)),
    userId: Type.Optional(Id),
    page: Page,
    pageSize: PageSize,
  },
  { additionalProperties: false },
);
export const Delivery = Type.Object({
  id: Type.Integer(),
  noticeId: Type.Integer(),
  channel: Type.String(),
  status: Type.String({ description: 'pending | sending | sent | failed | skipped' }),
  attempts: Type.Integer(),
  nextAttemptAt: Type.Integer(),
  target: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  sentAt: Nullable(Type.Integer()),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
  kind: Type.String(),
  title: Type.String(),
  userId: Type.Integer(),
  userName: Type.String(),
});
export const DeliveryPage = Type.Object({
  items: Type.Array(Delivery),
  total: Type.Integer(),
  counts: Type.Record(Type.String(), Type.Integer(), { description: 'every delivery, by status' }),
});

export const JobRunQuery = Type.Object(
  { job: Type.Optional(Type.String({ maxLength: 64 })), page: Page, pageSize: PageSize },
  { additionalProperties: false },
);
export const JobRun = Type.Object({
  id: Type.Integer(),
  job: Type.String(),
  periodKey: Type.String(),
  status: Type.String({ description: 'running | done | failed' }),
  claimedBy: Type.String(),
  attempts: Type.Integer(),
  scheduledAt: Type.Integer(),
  startedAt: Type.Integer(),
  finishedAt: Nullable(Type.Integer()),
  result: Nullable(Type.Unknown()),
  error: Nullable(Type.String()),
});
export const JobRunPage = Type.Object({
  items: Type.Array(JobRun),
  total: Type.Integer(),
  jobs: Type.Array(Type.String(), { description: 'the jobs this instance has registered' }),
});

export const JobParams = Type.Object({ job: Type.String({ pattern: '^[a-z0-9._-]{1,64}$', maxLength: 64 }) });
export const ManualRun = Type.Object({
  periodKey: Type.String(),
  status: Type.String({ description: 'done | failed' }),
  result: Type.Unknown(),
});

export const WarningSigns = Type.Object({
  items: Type.Array(
    Type.Object({
      unitOrgId: Type.Integer(),
      unitName: Type.String(),
      overdue: Type.Integer({ description: '整改超规定时限: open measures past the deadline' }),
      onBooks: Type.Integer({ description: '挂账整改: open measures long past the deadline' }),
      planOnly: Type.Integer({ description: '以整改计划代替落实: open, old, no evidence' }),
      routineWork: Type.Integer({ description: '日常工作代替整改: progress restating routine work, to review' }),
    }),
  ),
});
