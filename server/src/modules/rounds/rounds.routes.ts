import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import {
  Briefing,
  BriefingList,
  CreateBriefing,
  CreateFeedbackCopy,
  CreateRound,
  CreateRoundUnit,
  CreateTalkReport,
  CreateTeam,
  CreateTeamMember,
  CreateTerm,
  Distribute,
  DistributeResult,
  FeedbackCopy,
  FeedbackResult,
  IdParams,
  PutFeedback,
  Round,
  RoundList,
  RoundQuery,
  RoundUnit,
  RoundUnitDetail,
  RoundUnitPage,
  RoundUnitQuery,
  TalkReport,
  Team,
  TeamList,
  TeamMember,
  Term,
  TermList,
  Transition,
  UpdateRound,
  UpdateRoundUnit,
  UpdateTeam,
  UpdateTerm,
} from './rounds.schemas.js';
import { RoundService } from './rounds.service.js';

const Ok = Type.Object({ ok: Type.Literal(true) });

/** M2 terms, rounds, teams, units of a round; M3 feedback, distribution, talk reports; 巡前情况通报. */
export async function roundRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const svc = new RoundService(ctx);
  const tags = ['rounds'];

  // ── 届 ──────────────────────────────────────────────────────────────────────────────────────
  r.get(
    '/terms',
    {
      config: { access: 'round.read' },
      schema: { tags, summary: 'Party committee terms (届)', response: { 200: TermList } },
    },
    async (req) => svc.listTerms(req.actor!),
  );
  r.post(
    '/terms',
    {
      config: { access: 'round.write' },
      schema: { tags, summary: 'Create a term', body: CreateTerm, response: { 201: Term } },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.createTerm(req.actor!, req.auditCtx, req.body);
    },
  );
  r.patch(
    '/terms/:id',
    {
      config: { access: 'round.write' },
      schema: {
        tags,
        summary: 'Change a term (optimistic: send the version you read)',
        params: IdParams,
        body: UpdateTerm,
        response: { 200: Term },
      },
    },
    async (req) => svc.updateTerm(req.actor!, req.auditCtx, req.params.id, req.body),
  );

  // ── 轮 ──────────────────────────────────────────────────────────────────────────────────────
  r.get(
    '/rounds',
    {
      config: { access: 'round.read' },
      schema: {
        tags,
        summary: 'Inspection rounds (轮) with the counts of their units in scope',
        querystring: RoundQuery,
        response: { 200: RoundList },
      },
    },
    async (req) => svc.listRounds(req.actor!, req.query),
  );
  r.get(
    '/rounds/:id',
    {
      config: { access: 'round.read' },
      schema: { tags, summary: 'One round', params: IdParams, response: { 200: Round } },
    },
    async (req) => svc.getRound(req.actor!, req.params.id),
  );
  r.post(
    '/rounds',
    {
      config: { access: 'round.write' },
      schema: { tags, summary: 'Create a round', body: CreateRound, response: { 201: Round } },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.createRound(req.actor!, req.auditCtx, req.body);
    },
  );
  r.patch(
    '/rounds/:id',
    {
      config: { access: 'round.write' },
      schema: {
        tags,
        summary: 'Change a round (optimistic: send the version you read)',
        params: IdParams,
        body: UpdateRound,
        response: { 200: Round },
      },
    },
    async (req) => svc.updateRound(req.actor!, req.auditCtx, req.params.id, req.body),
  );

  // ── 巡察组 and 巡察人员选派 ──────────────────────────────────────────────────────────────────
  r.get(
    '/rounds/:id/teams',
    {
      config: { access: 'round.read' },
      schema: {
        tags,
        summary: 'Inspection teams of a round with their members',
        params: IdParams,
        response: { 200: TeamList },
      },
    },
    async (req) => svc.listTeams(req.actor!, req.params.id),
  );
  r.post(
    '/rounds/:id/teams',
    {
      config: { access: 'round.write' },
      schema: {
        tags,
        summary: 'Create an inspection team',
        params: IdParams,
        body: CreateTeam,
        response: { 201: Team },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.createTeam(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.patch(
    '/teams/:id',
    {
      config: { access: 'round.write' },
      schema: {
        tags,
        summary: 'Change a team (optimistic: send the version you read)',
        params: IdParams,
        body: UpdateTeam,
        response: { 200: Team },
      },
    },
    async (req) => svc.updateTeam(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/teams/:id/members',
    {
      config: { access: 'round.write' },
      schema: {
        tags,
        summary: 'Second a person to the team (巡察人员选派)',
        params: IdParams,
        body: CreateTeamMember,
        response: { 201: TeamMember },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.addMember(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.delete(
    '/team-members/:id',
    {
      config: { access: 'round.write' },
      schema: { tags, summary: 'Remove a team member', params: IdParams, response: { 200: Ok } },
    },
    async (req) => {
      await svc.removeMember(req.actor!, req.auditCtx, req.params.id);
      return { ok: true as const };
    },
  );

  // ── 被巡察单位 of a round ────────────────────────────────────────────────────────────────────
  r.get(
    '/round-units',
    {
      config: { access: 'round.read' },
      schema: {
        tags,
        summary: 'Inspected units of rounds in scope (keyset paged)',
        querystring: RoundUnitQuery,
        response: { 200: RoundUnitPage },
      },
    },
    async (req) => svc.listRoundUnits(req.actor!, req.query),
  );
  r.get(
    '/round-units/:id',
    {
      config: { access: 'round.read' },
      schema: {
        tags,
        summary: 'One round-unit with its round, team, feedback, copies, talk reports, briefings and history',
        params: IdParams,
        response: { 200: RoundUnitDetail },
      },
    },
    async (req) => svc.getRoundUnit(req.actor!, req.params.id),
  );
  r.post(
    '/rounds/:id/units',
    {
      config: { access: 'round.write' },
      schema: {
        tags,
        summary: 'Add an inspected unit to a round (status 待反馈)',
        params: IdParams,
        body: CreateRoundUnit,
        response: { 201: RoundUnit },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.addRoundUnit(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.patch(
    '/round-units/:id',
    {
      config: { access: 'round.write' },
      schema: {
        tags,
        summary: 'Set the deadline by hand or change the team (optimistic)',
        params: IdParams,
        body: UpdateRoundUnit,
        response: { 200: RoundUnit },
      },
    },
    async (req) => svc.updateRoundUnit(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.delete(
    '/round-units/:id',
    {
      config: { access: 'round.write' },
      schema: {
        tags,
        summary: 'Take a unit added by mistake out of the round (only while 待反馈 and nothing hangs on it)',
        params: IdParams,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await svc.removeRoundUnit(req.actor!, req.auditCtx, req.params.id);
      return { ok: true as const };
    },
  );
  r.post(
    '/round-units/:id/transition',
    {
      config: { access: 'round.write' },
      schema: {
        tags,
        summary: 'Move a round-unit to another status along the transition table',
        params: IdParams,
        body: Transition,
        response: { 200: RoundUnit },
      },
    },
    async (req) => svc.transition(req.actor!, req.auditCtx, req.params.id, req.body),
  );

  // ── 反馈意见 and 抄送 ──────────────────────────────────────────────────────────────────────────
  r.put(
    '/round-units/:id/feedback',
    {
      config: { access: 'round.write' },
      schema: {
        tags,
        summary: 'Record the feedback (反馈意见); its first delivery starts the rectification clock',
        params: IdParams,
        body: PutFeedback,
        response: { 200: FeedbackResult },
      },
    },
    async (req) => svc.putFeedback(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/round-units/:id/copies',
    {
      config: { access: 'round.write' },
      schema: {
        tags,
        summary: 'Add a written copy (抄送) of the feedback',
        params: IdParams,
        body: CreateFeedbackCopy,
        response: { 201: FeedbackCopy },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.addCopy(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.post(
    '/round-units/:id/distribute',
    {
      config: { access: 'round.write' },
      schema: {
        tags,
        summary: 'Create the five standard copies from the liaison links, skipping kinds already present',
        params: IdParams,
        body: Distribute,
        response: { 200: DistributeResult },
      },
    },
    async (req) => svc.distribute(req.actor!, req.auditCtx, req.params.id, req.body ?? {}),
  );
  r.post(
    '/feedback-copies/:id/sent',
    {
      config: { access: 'round.write' },
      schema: { tags, summary: 'Record a copy as sent', params: IdParams, response: { 200: FeedbackCopy } },
    },
    async (req) => svc.markCopySent(req.actor!, req.auditCtx, req.params.id),
  );
  r.post(
    '/feedback-copies/:id/received',
    {
      config: { access: 'round.read' },
      schema: {
        tags,
        summary: 'Record a copy as received (the recipient, or the office)',
        params: IdParams,
        response: { 200: FeedbackCopy },
      },
    },
    async (req) => svc.markCopyReceived(req.actor!, req.auditCtx, req.params.id),
  );

  // ── 个别谈话情况报告 ───────────────────────────────────────────────────────────────────────────
  r.post(
    '/round-units/:id/talk-reports',
    {
      config: { access: 'round.write' },
      schema: {
        tags,
        summary: 'Send the individual-talk report to the organisation department',
        params: IdParams,
        body: CreateTalkReport,
        response: { 201: TalkReport },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.addTalkReport(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.post(
    '/talk-reports/:id/received',
    {
      config: { access: 'round.read' },
      schema: {
        tags,
        summary: 'Record a talk report as received (the department it went to, or the office)',
        params: IdParams,
        response: { 200: TalkReport },
      },
    },
    async (req) => svc.markTalkReportReceived(req.actor!, req.auditCtx, req.params.id),
  );

  // ── 巡前情况通报 ─────────────────────────────────────────────────────────────────────────────
  r.post(
    '/round-units/:id/briefings',
    {
      config: { access: 'briefing.write' },
      schema: {
        tags,
        summary: 'Brief the team about the unit before the inspection (a liaison supervisor, or the office)',
        params: IdParams,
        body: CreateBriefing,
        response: { 201: Briefing },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.addBriefing(req.actor!, req.auditCtx, req.params.id, req.body);
    },
  );
  r.get(
    '/round-units/:id/briefings',
    {
      config: { access: 'round.read' },
      schema: {
        tags,
        summary: 'Briefings on a round-unit: the office and leadership all, a supervisor its own, the unit none',
        params: IdParams,
        response: { 200: BriefingList },
      },
    },
    async (req) => svc.listBriefings(req.actor!, req.params.id),
  );
}
