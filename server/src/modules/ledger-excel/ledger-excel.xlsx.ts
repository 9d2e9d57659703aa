import { AppError } from '../../platform/errors.js';
import { decodeXml, inflateEntry, xmlAttributes, zipEntries } from './ledger-excel.zip.js';

/**
 * A small reader of SpreadsheetML rows: one worksheet of an .xlsx, row by row, each cell reduced to
 * its text (and its number or date when it has one). ExcelJS's streaming reader cannot be used
 * for uploads: it decodes each inflated chunk on its own, so a Chinese character that straddles two
 * chunks turns into U+FFFD (exceljs 4.4 lib/utils/parse-sax.js). Here the worksheet is inflated
 * with a bound and decoded incrementally with a streaming UTF-8 decoder, and only complete rows are
 * parsed, so memory holds one slice of XML and the rows read so far.
 *
 * What it understands: shared strings (rich text runs joined, phonetic runs left out), inline and
 * formula strings, booleans, errors, ISO dates, numbers, and date formats by style (the built-in
 * ones, including the Chinese 年月日 formats, and custom codes with date tokens), the 1904 date
 * system, element prefixes (`<x:row>`), and rows or cells without an `r` attribute.
 */

export interface CellValue {
  text: string;
  number?: number;
  date?: Date;
}

export interface XlsxRow {
  number: number;
  /** By column number (1 = A). */
  cells: Map<number, CellValue>;
}

/** Inflated size of one part (the worksheet, the shared strings): a 50,000-row ledger is about 30 MB. */
const MAX_PART_BYTES = 100 * 1024 * 1024;
const MAX_SMALL_PART_BYTES = 10 * 1024 * 1024;
/** Bytes of worksheet XML decoded at a time. */
const SLICE = 1024 * 1024;

const invalidFile = () => new AppError(400, 'IMPORT_INVALID_FILE');

/** `_xHHHH_` escapes of ST_Xstring (Excel writes a carriage return as `_x000D_`). */
const unescapeX = (s: string) =>
  s.includes('_x')
    ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
    : s;

const text = (xml: string) => unescapeX(decodeXml(xml));

/** The text runs of a shared or inline string: `<t>` elements, without phonetic guides (`<rPh>`). */
function runsText(inner: string): string {
  const body = inner.replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g, '');
  let out = '';
  for (const m of body.matchAll(/<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/g)) out += m[1];
  return text(out);
}

const R_ATTR = /\sr\s*=\s*["']([^"']*)["']/;
const T_ATTR = /\st\s*=\s*["']([^"']*)["']/;
const S_ATTR = /\ss\s*=\s*["']([^"']*)["']/;
/** One attribute of a start tag's inside (the tag name included, so every attribute follows a space). */
const attr = (tag: string, re: RegExp) => re.exec(tag)?.[1];

/** The text of the `<v>` element of a cell's content. */
function cellV(inner: string): string | undefined {
  const start = inner.indexOf('<v>');
  if (start >= 0) {
    const end = inner.indexOf('</v>', start);
    if (end >= 0) return inner.slice(start + 3, end);
  }
  return /<(?:\w+:)?v(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?v>/.exec(inner)?.[1];
}

function columnNumber(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else break;
  }
  return n;
}

/** Built-in number formats that are dates: 14–22, 45–47, and the East Asian 27–36 and 50–58. */
const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56,
  57, 58,
]);

/** A custom format code is a date when, outside quotes, brackets and escapes, it has date or time tokens. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\./g, '')
    .replace(/_.|\*./g, '');
  return /[ymdhs]/i.test(bare) && !/^[#0.,%\s]*$/.test(bare) && !/general/i.test(bare);
}

function partPath(base: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : `${base}${target}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

export interface OpenedSheet {
  name: string;
  rows: () => Generator<XlsxRow>;
}

/**
 * Opens the worksheet named `prefer`, else the first of the workbook. The package must already
 * have passed `assertPlainXlsx` (a real, macro-free .xlsx whose parts inflate within bounds).
 */
export function openWorksheet(buf: Buffer, prefer: string): OpenedSheet {
  const entries = zipEntries(buf, invalidFile);
  const read = (path: string, max: number) => {
    const e = entries.get(path);
    return e ? inflateEntry(buf, e, max, invalidFile) : null;
  };

  const workbook = read('xl/workbook.xml', MAX_SMALL_PART_BYTES)?.toString('utf8');
  if (!workbook) throw invalidFile();
  const date1904 = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*["'](?:1|true)["']/i.test(workbook);
  const sheets: { name: string; rid: string }[] = [];
  for (const m of workbook.matchAll(/<(?:\w+:)?sheet\b([^>]*?)\/?>/g)) {
    const attrs = xmlAttributes(m[1]!);
    const rid = [...attrs].find(([k]) => /^[\w.-]+:id$/.test(k))?.[1];
    if (rid) sheets.push({ name: attrs.get('name') ?? '', rid });
  }
  const rels = new Map<string, { type: string; target: string }>();
  const relsXml = read('xl/_rels/workbook.xml.rels', MAX_SMALL_PART_BYTES)?.toString('utf8') ?? '';
  for (const m of relsXml.matchAll(/<(?:\w+:)?Relationship\b([^>]*?)\/?>/g)) {
    const a = xmlAttributes(m[1]!);
    if (a.get('Id')) rels.set(a.get('Id')!, { type: a.get('Type') ?? '', target: a.get('Target') ?? '' });
  }
  const sheet = sheets.find((s) => s.name === prefer) ?? sheets[0];
  const sheetRel = sheet && rels.get(sheet.rid);
  if (!sheet || !sheetRel) throw invalidFile();
  const sheetPath = partPath('xl/', sheetRel.target);
  const partOf = (type: string, fallback: string) => {
    const rel = [...rels.values()].find((r) => r.type.endsWith(`/${type}`));
    return rel ? partPath('xl/', rel.target) : fallback;
  };

  // Shared strings, in order.
  const shared: string[] = [];
  const sst = read(partOf('sharedStrings', 'xl/sharedStrings.xml'), MAX_PART_BYTES)?.toString('utf8');
  if (sst) {
    for (const m of sst.matchAll(/<(?:\w+:)?si\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?si>)/g)) {
      shared.push(m[1] ? runsText(m[1]) : '');
    }
  }

  // Which cell styles are dates.
  const dateStyles = new Set<number>();
  const styles = read(partOf('styles', 'xl/styles.xml'), MAX_SMALL_PART_BYTES)?.toString('utf8');
  if (styles) {
    const custom = new Map<number, string>();
    for (const m of styles.matchAll(/<(?:\w+:)?numFmt\b([^>]*?)\/?>/g)) {
      const a = xmlAttributes(m[1]!);
      custom.set(Number(a.get('numFmtId')), a.get('formatCode') ?? '');
    }
    const xfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(styles)?.[1] ?? '';
    let index = 0;
    for (const m of xfs.matchAll(/<(?:\w+:)?xf\b([^>]*?)\/?>/g)) {
      const id = Number(xmlAttributes(m[1]!).get('numFmtId') ?? 0);
      const code = custom.get(id);
      if (code !== undefined ? isDateFormat(code) : BUILTIN_DATE_FORMATS.has(id)) dateStyles.add(index);
      index++;
    }
  }

  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  const cellValue = (tag: string, inner: string): CellValue => {
    const type = attr(tag, T_ATTR) ?? 'n';
    if (type === 'inlineStr') {
      const is = /<(?:\w+:)?is\b[^>]*>([\s\S]*?)<\/(?:\w+:)?is>/.exec(inner);
      return { text: is ? runsText(is[1]!) : '' };
    }
    const v = cellV(inner);
    if (v === undefined) return { text: '' };
    switch (type) {
      case 's':
        return { text: shared[Number(v)] ?? '' };
      case 'str':
      case 'e':
        return { text: text(v) };
      case 'b':
        return { text: v.trim() === '1' ? 'TRUE' : 'FALSE' };
      case 'd': {
        const d = new Date(text(v).trim());
        return Number.isNaN(d.getTime()) ? { text: text(v) } : { text: d.toISOString().slice(0, 10), date: d };
      }
      default: {
        const n = Number(v.trim());
        if (!v.trim() || !Number.isFinite(n)) return { text: '' };
        if (dateStyles.size && dateStyles.has(Number(attr(tag, S_ATTR) ?? 0))) {
          const d = new Date(epoch + Math.round(n * 86_400_000));
          if (!Number.isNaN(d.getTime())) return { text: d.toISOString().slice(0, 10), date: d };
        }
        return { text: String(n), number: n };
      }
    }
  };

  function* rows(): Generator<XlsxRow> {
    const xml = read(sheetPath, MAX_PART_BYTES);
    if (!xml) throw invalidFile();
    const decoder = new TextDecoder('utf-8');
    const rowStart = /<(\w+:)?row\b([^>]*?)(\/?)>/g;
    let pending = '';
    let lastRow = 0;
    for (let off = 0; off < xml.length || off === 0; off += SLICE) {
      const final = off + SLICE >= xml.length;
      pending += decoder.decode(xml.subarray(off, off + SLICE), { stream: !final });
      let pos = 0;
      for (;;) {
        rowStart.lastIndex = pos;
        const m = rowStart.exec(pending);
        if (!m) {
          pos = Math.max(pos, pending.lastIndexOf('<')); // a start tag may straddle the slices
          break;
        }
        let inner = '';
        let next = rowStart.lastIndex;
        if (!m[3]) {
          const close = `</${m[1] ?? ''}row>`;
          const end = pending.indexOf(close, rowStart.lastIndex);
          if (end < 0) {
            pos = m.index; // the rest of the row is in the next slice
            break;
          }
          inner = pending.slice(rowStart.lastIndex, end);
          next = end + close.length;
        }
        const number = Number(attr(m[2]!, R_ATTR)) || lastRow + 1;
        lastRow = number;
        const cells = new Map<number, CellValue>();
        let lastColumn = 0;
        // Cells: <c …/> or <c …>…</c>, with or without a prefix, scanned by hand (fast).
        for (let i = inner.indexOf('<'); i >= 0; i = inner.indexOf('<', i)) {
          const tagEnd = inner.indexOf('>', i);
          if (tagEnd < 0) break;
          const tag = inner.slice(i + 1, tagEnd);
          const nameEnd = tag.search(/[\s/]|$/);
          const name = tag.slice(0, nameEnd);
          if (name !== 'c' && !name.endsWith(':c')) {
            i = tagEnd + 1;
            continue;
          }
          let content = '';
          if (tag.endsWith('/')) i = tagEnd + 1;
          else {
            const close = `</${name}>`;
            const end = inner.indexOf(close, tagEnd);
            if (end < 0) break;
            content = inner.slice(tagEnd + 1, end);
            i = end + close.length;
          }
          const column = columnNumber(attr(tag, R_ATTR) ?? '') || lastColumn + 1;
          lastColumn = column;
          const value = cellValue(tag, content);
          if (value.text) cells.set(column, value);
        }
        yield { number, cells };
        pos = next;
      }
      pending = pending.slice(pos);
      if (final) break;
    }
  }

  return { name: sheet.name, rows };
}
