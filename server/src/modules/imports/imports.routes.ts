import type {} from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { ImportResult, UserImportResult, XlsxFile } from './imports.schemas.js';
import { ImportService, type UploadedFile } from './imports.service.js';
import { XLSX_MIME } from './imports.workbook.js';

/** Hard cap of one uploaded workbook. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** Reads the one file of a multipart upload into memory, refusing more than `maxBytes`. */
async function readUpload(req: FastifyRequest, maxBytes: number): Promise<UploadedFile> {
  if (!req.isMultipart()) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE');
  const part = await req.file({ limits: { fileSize: maxBytes, files: 1, fields: 10 }, throwFileSizeLimit: false });
  if (!part) throw new AppError(400, 'IMPORT_INVALID_FILE');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file) {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
  }
  if (part.file.truncated || size > maxBytes) throw new AppError(413, 'PAYLOAD_TOO_LARGE');
  return { buffer: Buffer.concat(chunks), filename: part.filename };
}

function sendWorkbook(reply: FastifyReply, buf: Buffer, asciiName: string, name: string) {
  return reply
    .type(XLSX_MIME)
    .header('content-disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`)
    .header('cache-control', 'no-store')
    .send(buf);
}

const multipartBody = {
  consumes: ['multipart/form-data'],
  // For the OpenAPI document only: a multipart body reaches the handler as a stream (req.file()),
  // which reads and checks it. With no `type`, the schema lets the unparsed body through.
  body: {
    content: {
      'multipart/form-data': {
        schema: {
          properties: { file: { type: 'string', format: 'binary', description: 'The .xlsx workbook' } },
        },
      },
    },
  },
  description:
    'multipart/form-data with one .xlsx file (at most 20 MB). Every row is checked first; if any is wrong the answer is 400 IMPORT_ROWS_INVALID with `errors: [{ row, column, field, message }]` and nothing is written.',
};

/** M1: organisations and accounts from Excel — all rows checked first, then written in one transaction. */
export async function importRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const svc = new ImportService(ctx);
  const tags = ['imports'];
  const maxBytes = Math.min(MAX_IMPORT_BYTES, ctx.config.uploadMaxBytes);

  r.get(
    '/imports/organisations/template',
    {
      config: { access: 'org.import' },
      schema: { tags, summary: 'The organisation import template (.xlsx)', response: { 200: XlsxFile } },
    },
    async (_req, reply) =>
      sendWorkbook(reply, await svc.orgTemplate(), 'organisations-template.xlsx', '单位导入模板.xlsx'),
  );
  r.get(
    '/imports/users/template',
    {
      config: { access: 'user.import' },
      schema: { tags, summary: 'The user import template (.xlsx)', response: { 200: XlsxFile } },
    },
    async (_req, reply) => sendWorkbook(reply, await svc.userTemplate(), 'users-template.xlsx', '用户导入模板.xlsx'),
  );

  r.post(
    '/imports/organisations',
    {
      config: { access: 'org.import' },
      schema: {
        tags,
        summary: 'Import organisations from an .xlsx file (all or nothing; parents may be anywhere in the file)',
        ...multipartBody,
        response: { 200: ImportResult },
      },
    },
    async (req) => svc.importOrganisations(req.actor!, req.auditCtx, req.locale, await readUpload(req, maxBytes)),
  );
  r.post(
    '/imports/users',
    {
      config: { access: 'user.import' },
      schema: {
        tags,
        summary: 'Import accounts from an .xlsx file (all or nothing); answers the one-time passwords once',
        ...multipartBody,
        response: { 200: UserImportResult },
      },
    },
    async (req, reply) => {
      const result = await svc.importUsers(req.actor!, req.auditCtx, req.locale, await readUpload(req, maxBytes));
      reply.header('cache-control', 'no-store');
      return result;
    },
  );
}
