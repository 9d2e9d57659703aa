import { Type } from 'typebox';

export const ImportResult = Type.Object({
  imported: Type.Integer({ description: 'Rows written (all of them: an import is all or nothing)' }),
});

export const UserImportResult = Type.Object({
  imported: Type.Integer({ description: 'Accounts created (all of them: an import is all or nothing)' }),
  accounts: Type.Array(
    Type.Object({
      username: Type.String(),
      initialPassword: Type.String({ description: 'One-time password, changed at the first sign-in' }),
    }),
    { description: 'The new accounts and their one-time passwords: shown once, never stored in clear' },
  ),
});

/** A workbook download (the import templates). */
export const XlsxFile = {
  description: 'An Excel workbook (.xlsx)',
  content: {
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
      schema: Type.String({ format: 'binary' }),
    },
  },
};
