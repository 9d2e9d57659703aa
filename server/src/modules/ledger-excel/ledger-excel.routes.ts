import { PassThrough } from 'node:stream';
import type {} from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { shanghaiDate } from '../../../../domain/calendar.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, invalid } from '../../platform/errors.js';
import { attachment, MAX_UPLOAD_BYTES, XLSX_MIME } from './ledger-excel.layout.js';
import {
  ConfirmBody,
  ConfirmResult,
  ExportQuery,
  IdParams,
  ImportResult,
  ParseResult,
  ParseText,
  XlsxFile,
} from './ledger-excel.schemas.js';
import { LedgerExcelService, type UploadedFile } from './ledger-excel.service.js';

/** Reads the one file of a multipart upload (field `file`) into memory, refusing more than `maxBytes`. */
async function readUpload(req: FastifyRequest, maxBytes: number): Promise<UploadedFile> {
  if (!req.isMultipart()) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE');
  const part = await req.file({ limits: { fileSize: maxBytes, files: 1, fields: 10 }, throwFileSizeLimit: false });
  if (part?.fieldname !== 'file') throw invalid('multipart field "file" is required');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file) {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
  }
  if (part.file.truncated || size > maxBytes) throw new AppError(413, 'PAYLOAD_TOO_LARGE');
  return { buffer: Buffer.concat(chunks), filename: part.filename };
}

/** Sends a workbook (a buffer or a stream) as an attachment with a UTF-8 file name. */
function sendWorkbook(reply: FastifyReply, body: Buffer | PassThrough, asciiName: string, name: string) {
  return reply
    .type(XLSX_MIME)
    .header('content-disposition', attachment(asciiName, name))
    .header('cache-control', 'no-store')
    .send(body);
}

/** M4 三清单一台账 in Excel, and M18 feedback to lists. */
export async function ledgerExcelRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const svc = new LedgerExcelService(ctx);
  const tags = ['ledger-excel'];
  const maxBytes = Math.min(MAX_UPLOAD_BYTES, ctx.config.uploadMaxBytes);

  r.get(
    '/ledger/template',
    {
      config: { access: 'ledger.import' },
      schema: {
        tags,
        summary: 'The 三清单一台账 import template (.xlsx), with a 填写说明 sheet of the allowed values',
        response: { 200: XlsxFile },
      },
    },
    async (_req, reply) =>
      sendWorkbook(reply, await svc.template(), 'ledger-template.xlsx', '三清单一台账导入模板.xlsx'),
  );

  r.post(
    '/round-units/:id/ledger/import',
    {
      config: { access: 'ledger.import' },
      schema: {
        tags,
        summary: "Import problems, responsibilities and measures into a round-unit's ledger (all or nothing)",
        description:
          'multipart/form-data with one .xlsx file in the field `file` (at most 20 MB; not .xlsm). Every row is ' +
          'checked first; if any is wrong the answer is 400 IMPORT_ROWS_INVALID with ' +
          '`errors: [{ row, column, field, message }]` in the caller’s language and nothing is written.',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 200: ImportResult },
      },
    },
    async (req) => {
      const ru = await svc.roundUnitFor(req.actor!, req.params.id); // 404 before reading the upload
      return svc.importLedger(req.actor!, req.auditCtx, req.locale, ru.id, await readUpload(req, maxBytes));
    },
  );

  r.get(
    '/ledger/export',
    {
      config: { access: 'ledger.export' },
      schema: {
        tags,
        summary: 'The ledger in Excel, in the template layout with 轮次 and 被巡察单位 in front (streamed)',
        querystring: ExportQuery,
        response: { 200: XlsxFile },
      },
    },
    async (req, reply) => {
      const filter = await svc.exportFilter(req.actor!, req.query);
      await ctx.audit.recordAlone(req.auditCtx, {
        action: 'export.ledger',
        entity: 'ledger',
        after: { filter: req.query },
      });
      const day = shanghaiDate(ctx.clock.now());
      const out = new PassThrough();
      svc.writeExport(filter, req.locale, out).catch((err) => {
        req.log.error({ err }, 'ledger export failed');
        out.destroy(err as Error);
      });
      return sendWorkbook(reply, out, `ledger-${day}.xlsx`, `三清单一台账-${day}.xlsx`);
    },
  );

  r.post(
    '/round-units/:id/feedback/parse',
    {
      config: { access: 'ledger.write' },
      schema: {
        tags,
        summary: 'Split a 反馈意见 on its own numbering into draft problems (nothing is stored)',
        description:
          'Either JSON `{ text }` or multipart/form-data with a .docx in the field `file` (at most 20 MB). ' +
          'Answers the text before the first number and one draft per leaf item: its full number ' +
          '(一、（二）3.), the titles above it, its text and a guessed category.',
        consumes: ['application/json', 'multipart/form-data'],
        params: IdParams,
        body: { content: { 'application/json': { schema: ParseText } } } as unknown as typeof ParseText,
        response: { 200: ParseResult },
      },
    },
    async (req) => {
      const ru = await svc.roundUnitFor(req.actor!, req.params.id);
      if (req.isMultipart())
        return svc.parseFeedback(req.actor!, req.locale, ru.id, { file: await readUpload(req, maxBytes) });
      const body = req.body as Static<typeof ParseText> | undefined;
      if (!body || typeof body.text !== 'string') throw invalid('body.text is required');
      return svc.parseFeedback(req.actor!, req.locale, ru.id, { text: body.text });
    },
  );

  r.post(
    '/round-units/:id/problems/confirm',
    {
      config: { access: 'ledger.write' },
      schema: {
        tags,
        summary: 'Create the confirmed draft problems of a feedback in one transaction',
        description:
          'Every category must be an active problem_category; a number may not repeat in the request or in ' +
          "the round-unit's problems. Errors answer 400 with `errors: [{ index, path, message }]`.",
        params: IdParams,
        body: ConfirmBody,
        response: { 201: ConfirmResult },
      },
    },
    async (req, reply) => {
      const result = await svc.confirmProblems(req.actor!, req.auditCtx, req.locale, req.params.id, req.body.problems);
      reply.status(201);
      return result;
    },
  );
}
