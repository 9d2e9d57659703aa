import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import {
  CreateDictionaryItem,
  DictionaryItem,
  DictionaryList,
  DictionaryQuery,
  IdParams,
  UpdateDictionaryItem,
} from './dictionaries.schemas.js';
import { DictionaryService } from './dictionaries.service.js';

const Ok = Type.Object({ ok: Type.Literal(true) });

/** M17 dictionaries: every signed-in role reads them (dict.read), the system administrator keeps them. */
export async function dictionaryRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const svc = new DictionaryService(ctx);
  const tags = ['dictionaries'];

  r.get(
    '/dictionaries',
    {
      config: { access: 'dict.read' },
      schema: {
        tags,
        summary: 'Dictionary entries, by kind, in display order',
        querystring: DictionaryQuery,
        response: { 200: DictionaryList },
      },
    },
    async (req) => svc.list(req.actor!, req.query),
  );
  r.get(
    '/dictionaries/:id',
    {
      config: { access: 'dict.read' },
      schema: { tags, summary: 'One dictionary entry', params: IdParams, response: { 200: DictionaryItem } },
    },
    async (req) => svc.get(req.actor!, req.params.id),
  );
  r.post(
    '/dictionaries',
    {
      config: { access: 'dict.write' },
      schema: {
        tags,
        summary: 'Add a dictionary entry (extra is checked against its kind)',
        body: CreateDictionaryItem,
        response: { 201: DictionaryItem },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.create(req.actor!, req.auditCtx, req.body);
    },
  );
  r.patch(
    '/dictionaries/:id',
    {
      config: { access: 'dict.write' },
      schema: {
        tags,
        summary: 'Change a dictionary entry (optimistic: send the version you read; the kind cannot change)',
        params: IdParams,
        body: UpdateDictionaryItem,
        response: { 200: DictionaryItem },
      },
    },
    async (req) => svc.update(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.delete(
    '/dictionaries/:id',
    {
      config: { access: 'dict.write' },
      schema: {
        tags,
        summary: 'Delete a dictionary entry (deactivate it instead to keep old records labelled)',
        params: IdParams,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await svc.remove(req.actor!, req.auditCtx, req.params.id);
      return { ok: true as const };
    },
  );
}
