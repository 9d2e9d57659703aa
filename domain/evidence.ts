/**
 * Evidence files (佐证材料): the kinds allowed, the extensions each may carry, and the rule for names.
 * The server sniffs the bytes and checks them against the name's extension; the web app uses the same
 * lists to filter the file picker and to explain a refusal before uploading.
 */

export const FILE_KINDS = ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'jpg', 'png', 'ofd', 'zip'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export const KIND_EXTENSIONS: Record<FileKind, readonly string[]> = {
  pdf: ['pdf'],
  doc: ['doc'],
  docx: ['docx'],
  xls: ['xls'],
  xlsx: ['xlsx'],
  jpg: ['jpg', 'jpeg'],
  png: ['png'],
  ofd: ['ofd'],
  zip: ['zip'],
};

export const KIND_CONTENT_TYPES: Record<FileKind, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  jpg: 'image/jpeg',
  png: 'image/png',
  ofd: 'application/ofd',
  zip: 'application/zip',
};

export const ACCEPT_ATTRIBUTE = Object.values(KIND_EXTENSIONS)
  .flat()
  .map((e) => `.${e}`)
  .join(',');

export type FileNameProblem = 'empty' | 'too_long' | 'control' | 'bidi' | 'path' | 'lookalike' | 'extension';

// Characters whose compatibility form is a path or extension separator: ．／＼：, ﹒ and friends.
const LOOKALIKE = /[\uFF0E\uFF0F\uFF3C\uFF1A\uFE52\u2024\u2215\u2044\u29F8\u29F9\uFE68\u2236]/u;
// Bidirectional controls make "report‮fdp.exe" display as "reportexe.pdf".
const BIDI = /[\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C]/u;
// C0, DEL, C1 and the Unicode line/paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters refused
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/u;

/**
 * Checks an uploaded file's name. Chinese names with full-width punctuation such as （一） are fine;
 * what could point outside the store or disguise the type is refused, never silently rewritten.
 * Returns the name to keep (NFC, trimmed) and its lower-case extension, or the problem.
 */
export function checkFileName(
  raw: string,
): { ok: true; name: string; ext: string } | { ok: false; problem: FileNameProblem } {
  const name = raw.normalize('NFC').trim();
  if (!name || name === '.' || name === '..') return { ok: false, problem: 'empty' };
  if ([...name].length > 200 || Buffer.byteLength(name) > 255) return { ok: false, problem: 'too_long' };
  if (CONTROL.test(name)) return { ok: false, problem: 'control' };
  if (BIDI.test(name)) return { ok: false, problem: 'bidi' };
  if (/[/\\:*?"<>|]/.test(name) || name.includes('..') || name.startsWith('.')) return { ok: false, problem: 'path' };
  if (LOOKALIKE.test(name) || name.normalize('NFKC') !== name.normalize('NFKC').replace(/[/\\]/g, ''))
    return { ok: false, problem: 'lookalike' };
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1) : '';
  // The extension itself must be plain ASCII: "ｐｄｆ" is not "pdf".
  if (!/^[A-Za-z0-9]{1,8}$/.test(ext)) return { ok: false, problem: 'extension' };
  return { ok: true, name, ext: ext.toLowerCase() };
}

export function kindForExtension(ext: string): FileKind | null {
  for (const k of FILE_KINDS) if (KIND_EXTENSIONS[k].includes(ext.toLowerCase())) return k;
  return null;
}
