import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { AccountabilityService } from './accountability.service.js';
import {
  AccountabilityFigures,
  AccountabilityList,
  AccountabilityPage,
  AccountabilityQuery,
  AccountabilityRecord,
  AddMeetingNote,
  AttendeeOrgList,
  CadreQuery,
  CadreRecord,
  CreateAccountability,
  CreateMeeting,
  FiguresQuery,
  HoldMeeting,
  IdParams,
  MeetingDetail,
  MeetingList,
  MeetingPage,
  MeetingQuery,
  ReviewMeeting,
  UnplannedPage,
  UnplannedQuery,
  UpdateAccountability,
  UpdateMeeting,
} from './meetings.schemas.js';
import { MeetingsService } from './meetings.service.js';

/** 整改专题民主生活会 (SPEC M10) and accountability with the leading cadre's record (SPEC M12). */
export async function meetingsRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const meetings = new MeetingsService(ctx);
  const accountability = new AccountabilityService(ctx);
  const tags = ['meetings'];

  // --- 整改专题民主生活会 ----------------------------------------------------------------------
  r.get(
    '/round-units/:id/democratic-meetings',
    {
      config: { access: 'supervision.read' },
      schema: {
        tags,
        summary: "A round-unit's 整改专题民主生活会, one per rectification cycle",
        params: IdParams,
        response: { 200: MeetingList },
      },
    },
    async (req) => meetings.ofRoundUnit(req.actor!, req.params.id),
  );
  r.post(
    '/round-units/:id/democratic-meetings',
    {
      config: { access: 'meeting.write' },
      schema: {
        tags,
        summary:
          "The unit plans its meeting for the round-unit's current cycle (due the 'system.meetings' days, default 60, after the feedback)",
        params: IdParams,
        body: CreateMeeting,
        response: { 201: MeetingDetail },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return meetings.create(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.get(
    '/democratic-meetings',
    {
      config: { access: 'supervision.read' },
      schema: {
        tags,
        summary: 'Meetings in scope, newest first (overdue=true: still planned past the due date)',
        querystring: MeetingQuery,
        response: { 200: MeetingPage },
      },
    },
    async (req) => meetings.page(req.actor!, req.query),
  );
  r.get(
    '/democratic-meetings/attendee-orgs',
    {
      config: { access: 'supervision.read' },
      schema: {
        tags,
        summary: 'The supervising bodies (supervision offices, 组织部 …, 党风政风室) a meeting’s attendees come from',
        response: { 200: AttendeeOrgList },
      },
    },
    async () => meetings.attendeeOrgs(),
  );
  r.get(
    '/democratic-meetings/unplanned',
    {
      config: { access: 'supervision.read' },
      schema: {
        tags,
        summary: 'Round-units in rectification without a meeting for their current cycle (overdue=true: past due)',
        querystring: UnplannedQuery,
        response: { 200: UnplannedPage },
      },
    },
    async (req) => meetings.unplanned(req.actor!, req.query),
  );
  r.get(
    '/democratic-meetings/:id',
    {
      config: { access: 'supervision.read' },
      schema: {
        tags,
        summary: 'One meeting with its guidance and supervision notes',
        params: IdParams,
        response: { 200: MeetingDetail },
      },
    },
    async (req) => meetings.get(req.actor!, req.params.id),
  );
  r.patch(
    '/democratic-meetings/:id',
    {
      config: { access: 'meeting.write' },
      schema: {
        tags,
        summary: 'Edit the plan, the leadership’s report, attendees and outcomes (until reviewed)',
        params: IdParams,
        body: UpdateMeeting,
        response: { 200: MeetingDetail },
      },
    },
    async (req) => meetings.update(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/democratic-meetings/:id/held',
    {
      config: { access: 'meeting.write' },
      schema: {
        tags,
        summary: 'Record that the meeting was held: date, attendees (纪委监委、组织部), outcomes',
        params: IdParams,
        body: HoldMeeting,
        response: { 200: MeetingDetail },
      },
    },
    async (req) => meetings.hold(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/democratic-meetings/:id/notes',
    {
      config: { access: 'meeting.supervise' },
      schema: {
        tags,
        summary: 'A guidance (指导) or supervision (监督) note of a supervising body',
        params: IdParams,
        body: AddMeetingNote,
        response: { 201: MeetingDetail },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return meetings.addNote(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.post(
    '/democratic-meetings/:id/review',
    {
      config: { access: 'meeting.supervise' },
      schema: {
        tags,
        summary: 'A supervising body reviews a held meeting (held → reviewed)',
        params: IdParams,
        body: ReviewMeeting,
        response: { 200: MeetingDetail },
      },
    },
    async (req) => meetings.review(req.actor!, req.auditCtx, req.params.id, req.body),
  );

  // --- accountability -------------------------------------------------------------------------
  r.post(
    '/problems/:id/accountability',
    {
      config: { access: 'accountability.write' },
      schema: {
        tags,
        summary: 'Record 约谈 / 警示约谈 / 提醒谈话 / 通报批评 / 问责 / 立案 for a problem',
        params: IdParams,
        body: CreateAccountability,
        response: { 201: AccountabilityRecord },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return accountability.create(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.get(
    '/problems/:id/accountability',
    {
      config: { access: 'accountability.read' },
      schema: {
        tags,
        summary: "A problem's accountability records",
        params: IdParams,
        response: { 200: AccountabilityList },
      },
    },
    async (req) => accountability.ofProblem(req.actor!, req.params.id),
  );
  r.get(
    '/accountability',
    {
      config: { access: 'accountability.read' },
      schema: {
        tags,
        summary: 'Accountability records in scope, newest first',
        querystring: AccountabilityQuery,
        response: { 200: AccountabilityPage },
      },
    },
    async (req) => accountability.page(req.actor!, req.query),
  );
  r.get(
    '/accountability/figures',
    {
      config: { access: 'accountability.read' },
      schema: {
        tags,
        summary: 'Exact counts in scope per kind, people, 问责 and 立案 (separate from the measures’ figures)',
        querystring: FiguresQuery,
        response: { 200: AccountabilityFigures },
      },
    },
    async (req) => accountability.figures(req.actor!, req.query),
  );
  r.get(
    '/accountability/:id',
    {
      config: { access: 'accountability.read' },
      schema: { tags, summary: 'One accountability record', params: IdParams, response: { 200: AccountabilityRecord } },
    },
    async (req) => accountability.get(req.actor!, req.params.id),
  );
  r.patch(
    '/accountability/:id',
    {
      config: { access: 'accountability.write' },
      schema: {
        tags,
        summary: 'Edit the outcome, reason, post, date or the 政治素质负面清单 entry',
        params: IdParams,
        body: UpdateAccountability,
        response: { 200: AccountabilityRecord },
      },
    },
    async (req) => accountability.update(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.get(
    '/cadres/record',
    {
      config: { access: 'accountability.read' },
      schema: {
        tags,
        summary:
          "A leading cadre's record across rounds (name + unit): talk reports, accountability, rectification results, 负面清单",
        querystring: CadreQuery,
        response: { 200: CadreRecord },
      },
    },
    async (req) => accountability.cadre(req.actor!, req.query),
  );
}
