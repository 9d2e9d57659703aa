import { type TSchema, Type } from 'typebox';
import { FILE_KINDS } from '../../../../domain/evidence.js';
import { literalUnion } from '../../platform/schema.js';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const IdParams = Type.Object({ id: Id });

const FileFields = {
  id: Id,
  name: Type.String({ maxLength: 255 }),
  size: Type.Integer({ minimum: 0 }),
  sm3: Type.String({ maxLength: 64, description: 'SM3 digest of the bytes (64 hex)' }),
  kind: literalUnion(FILE_KINDS),
  roundUnitId: Id,
  unitOrgId: Id,
  uploadedBy: Nullable(Id),
  createdAt: Type.Integer({ description: 'epoch ms' }),
};

export const EvidenceFile = Type.Object(FileFields);

export const UploadedFile = Type.Object({
  ...FileFields,
  duplicates: Type.Integer({
    minimum: 0,
    description:
      'How many evidence links of other problems carry the same bytes (SM3); the closure review shows them in detail',
  }),
});

export const FilesQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 2147483647, description: 'nextCursor of the page before' }),
    ),
  },
  { additionalProperties: false },
);

export const FilePage = Type.Object({ items: Type.Array(EvidenceFile), nextCursor: Nullable(Id) });

const Reuse = Type.Object({
  measureId: Id,
  problemId: Id,
  problemNumber: Type.String(),
  categoryCode: Type.String(),
  unitOrgId: Id,
  unitName: Type.String(),
  roundUnitId: Id,
  source: Type.String(),
  createdAt: Type.Integer(),
});

export const MeasureEvidenceList = Type.Object({
  items: Type.Array(
    Type.Object({
      fileId: Id,
      name: Type.String(),
      size: Type.Integer({ minimum: 0 }),
      kind: Type.String(),
      sm3: Type.String(),
      source: Type.String({ description: 'report | closure' }),
      sourceId: Id,
      createdAt: Type.Integer(),
      reuses: Type.Array(Reuse, {
        description: 'The same bytes offered for other problems, as far as the caller may see them',
      }),
      moreReuses: Type.Integer({
        minimum: 0,
        description: 'Further such links not shown (outside the caller’s scope, or beyond the first 50)',
      }),
    }),
  ),
});

export const BinaryFile = {
  description: 'The file’s bytes, as an attachment',
  content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } },
};
export const ZipFile = {
  description: 'A zip of the files (streamed)',
  content: { 'application/zip': { schema: Type.String({ format: 'binary' }) } },
};

/** For the OpenAPI document only: the handler reads the multipart stream itself. */
export const multipartBody = {
  consumes: ['multipart/form-data'],
  body: {
    content: {
      'multipart/form-data': {
        schema: {
          properties: { file: { type: 'string', format: 'binary', description: 'One evidence file' } },
        },
      },
    },
  },
};
