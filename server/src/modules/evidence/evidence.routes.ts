import type {} from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type FileKind, KIND_CONTENT_TYPES } from '../../../../domain/evidence.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, invalid } from '../../platform/errors.js';
import {
  BinaryFile,
  EvidenceFile,
  FilePage,
  FilesQuery,
  IdParams,
  MeasureEvidenceList,
  multipartBody,
  UploadedFile,
  ZipFile,
} from './evidence.schemas.js';
import { EvidenceService, toFile } from './evidence.service.js';
import { streamZip } from './evidence.zip.js';

/** RFC 6266 / 5987: an ASCII fallback and the exact UTF-8 name. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function attachment(reply: FastifyReply, type: string, name: string): FastifyReply {
  return reply
    .type(type)
    .header('content-disposition', contentDisposition(name))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store');
}

/** 佐证材料 (SPEC M6): uploads to a round-unit, downloads in scope (single files or one zip), each audited. */
export async function evidenceRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const svc = new EvidenceService(ctx);
  const tags = ['evidence'];

  r.post(
    '/round-units/:id/files',
    {
      config: { access: 'evidence.upload' },
      schema: {
        tags,
        summary: 'Upload one evidence file (multipart/form-data, part `file`) to a round-unit',
        description:
          'pdf, doc/docx, xls/xlsx, jpg/png, ofd or zip, at most UPLOAD_MAX_BYTES (default 50 MB). The type is told from the bytes and must match the extension; zips are checked against zip bombs. Nothing is kept unless every check passes.',
        params: IdParams,
        ...multipartBody,
        response: { 201: UploadedFile },
      },
    },
    async (req, reply) => {
      if (svc.tooLong(req.headers['content-length'])) {
        // Refused unread; closing the connection spares reading (and discarding) the rest of it.
        reply.header('connection', 'close');
        throw new AppError(413, 'PAYLOAD_TOO_LARGE');
      }
      if (!req.isMultipart()) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE');
      const ru = await svc.uploadTarget(req.actor!, req.params.id);
      // preservePath: the name as sent, so that "../x.pdf" is refused rather than quietly cut to "x.pdf".
      const part = await req.file({
        preservePath: true,
        limits: { fileSize: svc.maxBytes, files: 1, fields: 10, parts: 20 },
      });
      if (part?.fieldname !== 'file') {
        part?.file.resume();
        if (!req.raw.complete) reply.header('connection', 'close');
        throw invalid('one part named "file" is required');
      }
      try {
        const out = await svc.upload(req.actor!, req.auditCtx, ru, part);
        reply.status(201);
        return out;
      } catch (e) {
        // Refused before the body was all there: the rest is drained, and the connection is not kept
        // for another request (a client that stopped sending on our answer would hold it forever).
        if (!req.raw.complete) reply.header('connection', 'close');
        throw e;
      }
    },
  );

  r.get(
    '/round-units/:id/files',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: "A round-unit's evidence files the caller may see, newest first (keyset: ?cursor=nextCursor)",
        params: IdParams,
        querystring: FilesQuery,
        response: { 200: FilePage },
      },
    },
    async (req) => svc.listFiles(req.actor!, req.params.id, req.query),
  );

  r.get(
    '/files/:id',
    {
      config: { access: 'ledger.read' },
      schema: { tags, summary: "One evidence file's metadata", params: IdParams, response: { 200: EvidenceFile } },
    },
    async (req) => toFile(await svc.file(req.actor!, req.params.id)),
  );

  r.get(
    '/files/:id/content',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: 'Download one evidence file (verified against its SM3; audited)',
        params: IdParams,
        response: { 200: BinaryFile },
      },
    },
    async (req, reply) => {
      const { file, blob } = await svc.download(req.actor!, req.auditCtx, req.params.id);
      const stream = blob.stream();
      stream.once('close', () => void blob.close());
      return attachment(reply, KIND_CONTENT_TYPES[file.kind as FileKind] ?? 'application/octet-stream', file.name)
        .header('content-length', String(blob.size))
        .send(stream);
    },
  );

  r.get(
    '/measures/:id/evidence',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: "A measure's evidence, with where else the same bytes were offered (as far as the caller may see)",
        params: IdParams,
        response: { 200: MeasureEvidenceList },
      },
    },
    async (req) => svc.measureEvidence(req.actor!, req.params.id),
  );

  r.get(
    '/round-units/:id/materials.zip',
    {
      config: { access: 'ledger.read' },
      schema: {
        tags,
        summary: "All of a round-unit's evidence files the caller may see, as one streamed zip (audited)",
        params: IdParams,
        response: { 200: ZipFile },
      },
    },
    async (req, reply) => {
      const { ru, files } = await svc.allFiles(req.actor!, req.params.id);
      const first = files[0] ? await svc.openVerified(req.auditCtx, files[0]) : null;
      try {
        await ctx.audit.recordAlone(req.auditCtx, {
          action: 'evidence.download_zip',
          entity: 'round_unit',
          entityId: ru.id,
          after: { files: files.length, fileIds: files.map((f) => Number(f.id)) },
        });
      } catch (e) {
        await first?.close();
        throw e;
      }
      const archive = streamZip(
        files,
        first,
        (f) => svc.openVerified(req.auditCtx, f),
        (err) => req.log.warn({ err }, 'materials zip stopped'),
      );
      reply.raw.once('close', () => {
        if (!archive.destroyed && !archive.readableEnded) archive.destroy();
      });
      return attachment(reply, 'application/zip', `佐证材料-${ru.id}.zip`).send(archive);
    },
  );
}
