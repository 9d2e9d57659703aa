import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import {
  ClueDetail,
  CluePage,
  ClueQuery,
  ClueSummary,
  DisposeClue,
  IdParams,
  ReceiveClue,
  SendClue,
} from './clues.schemas.js';
import { CluesService } from './clues.service.js';

/**
 * 问题线索 (issue 5, deliverable 7): confidential clues from the inspection office to a receiving body.
 * Reads need clue.receive (held by the office and the receiving kinds of body); the service then
 * answers 404 to anyone who is neither the sending office nor the receiving organisation.
 */
export async function cluesRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const clues = new CluesService(ctx);
  const tags = ['clues'];

  r.post(
    '/clues',
    {
      config: { access: 'clue.send' },
      schema: {
        tags,
        summary:
          'Send (移送) a confidential clue found in a round to a receiving body; title, content and names are sealed',
        body: SendClue,
        response: { 201: ClueSummary },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return clues.send(req.actor!, req.auditCtx, req.body);
    },
  );
  r.get(
    '/clues',
    {
      config: { access: 'clue.receive' },
      schema: {
        tags,
        summary: 'Clues the caller sent or received, newest first: metadata only',
        querystring: ClueQuery,
        response: { 200: CluePage },
      },
    },
    async (req) => clues.page(req.actor!, req.query),
  );
  r.get(
    '/clues/:id',
    {
      config: { access: 'clue.receive' },
      schema: {
        tags,
        summary: 'One clue, decrypted, for its sending office or receiving body; every read is audited',
        params: IdParams,
        response: { 200: ClueDetail },
      },
    },
    async (req) => clues.get(req.actor!, req.auditCtx, req.params.id),
  );
  r.post(
    '/clues/:id/receive',
    {
      config: { access: 'clue.receive' },
      schema: {
        tags,
        summary: 'The receiving body signs for the clue (签收)',
        params: IdParams,
        body: ReceiveClue,
        response: { 200: ClueSummary },
      },
    },
    async (req) => clues.receive(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.post(
    '/clues/:id/dispose',
    {
      config: { access: 'clue.receive' },
      schema: {
        tags,
        summary: 'The receiving body records its disposal (按规定处置): kind, date and a sealed note',
        params: IdParams,
        body: DisposeClue,
        response: { 200: ClueSummary },
      },
    },
    async (req) => clues.dispose(req.actor!, req.auditCtx, req.params.id, req.body),
  );
}
