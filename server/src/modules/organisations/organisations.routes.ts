import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import {
  CreateLiaisonLink,
  CreateOrganisation,
  IdParams,
  LiaisonLink,
  LiaisonQuery,
  Organisation,
  OrganisationPage,
  OrganisationQuery,
  UpdateOrganisation,
} from './organisations.schemas.js';
import { OrganisationService } from './organisations.service.js';

const Ok = Type.Object({ ok: Type.Literal(true) });

export async function organisationRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const svc = new OrganisationService(ctx);
  const tags = ['organisations'];

  r.get(
    '/organisations',
    {
      config: { access: 'org.read' },
      schema: {
        tags,
        summary: 'Organisations in scope (keyset paged)',
        querystring: OrganisationQuery,
        response: { 200: OrganisationPage },
      },
    },
    async (req) => svc.list(req.actor!, req.query),
  );
  r.get(
    '/organisations/:id',
    {
      config: { access: 'org.read' },
      schema: { tags, summary: 'One organisation', params: IdParams, response: { 200: Organisation } },
    },
    async (req) => svc.get(req.actor!, req.params.id),
  );
  r.post(
    '/organisations',
    {
      config: { access: 'org.write' },
      schema: { tags, summary: 'Create an organisation', body: CreateOrganisation, response: { 201: Organisation } },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.create(req.actor!, req.auditCtx, req.body);
    },
  );
  r.patch(
    '/organisations/:id',
    {
      config: { access: 'org.write' },
      schema: {
        tags,
        summary: 'Change an organisation (optimistic: send the version you read)',
        params: IdParams,
        body: UpdateOrganisation,
        response: { 200: Organisation },
      },
    },
    async (req) => svc.update(req.actor!, req.auditCtx, req.params.id, req.body),
  );
  r.delete(
    '/organisations/:id',
    {
      config: { access: 'org.write' },
      schema: { tags, summary: 'Delete an unused organisation', params: IdParams, response: { 200: Ok } },
    },
    async (req) => {
      await svc.remove(req.actor!, req.auditCtx, req.params.id);
      return { ok: true as const };
    },
  );

  r.get(
    '/liaison-links',
    {
      config: { access: 'liaison.read' },
      schema: {
        tags,
        summary: 'Liaison links unit ↔ supervisor (联系关系)',
        querystring: LiaisonQuery,
        response: { 200: Type.Object({ items: Type.Array(LiaisonLink) }) },
      },
    },
    async (req) => svc.links(req.actor!, req.query),
  );
  r.post(
    '/liaison-links',
    {
      config: { access: 'liaison.write' },
      schema: {
        tags,
        summary: 'Link a unit to a supervising body',
        body: CreateLiaisonLink,
        response: { 201: LiaisonLink },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return svc.createLink(req.actor!, req.auditCtx, req.body);
    },
  );
  r.delete(
    '/liaison-links/:id',
    {
      config: { access: 'liaison.write' },
      schema: { tags, summary: 'Remove a liaison link', params: IdParams, response: { 200: Ok } },
    },
    async (req) => {
      await svc.removeLink(req.actor!, req.auditCtx, req.params.id);
      return { ok: true as const };
    },
  );
}
