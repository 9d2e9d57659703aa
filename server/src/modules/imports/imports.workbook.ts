import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { AppError } from '../../platform/errors.js';

/**
 * Reading and writing the import workbooks. An upload is inspected as a zip before ExcelJS sees
 * it: it must be a real .xlsx (zip magic, xl/workbook.xml present), not macro-enabled, and its
 * parts must inflate to a bounded size — so a zip bomb or a crafted archive is refused cheaply
 * instead of exhausting the server.
 */

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Inflated size of all parts together. A 10,000-row sheet is about 2 MB. */
export const MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024;
/** Data rows per import. */
export const MAX_ROWS = 50_000;

const invalidFile = () => new AppError(400, 'IMPORT_INVALID_FILE');
const tooLarge = () => new AppError(413, 'PAYLOAD_TOO_LARGE');

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

function centralDirectory(buf: Buffer): ZipEntry[] {
  // End-of-central-directory record: within the last 22 + 65,535 (comment) bytes.
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === SIG_END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw invalidFile();
  const count = buf.readUInt16LE(end + 10);
  const size = buf.readUInt32LE(end + 12);
  const offset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || offset === 0xffffffff || offset + size > end) throw invalidFile(); // no ZIP64 here
  const entries: ZipEntry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || buf.readUInt32LE(p) !== SIG_CENTRAL) throw invalidFile();
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    if (p + 46 + nameLength > end) throw invalidFile();
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    entries.push({ name, method, compressedSize, localOffset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function inflate(buf: Buffer, e: ZipEntry, budget: number): Buffer {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== SIG_LOCAL) throw invalidFile();
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  if (start + e.compressedSize > buf.length) throw invalidFile();
  const data = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) {
    if (data.length > budget) throw tooLarge();
    return data;
  }
  if (e.method !== 8) throw invalidFile();
  try {
    return zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, budget) });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
    throw invalidFile();
  }
}

/** Refuses anything but a plain .xlsx workbook (see the module comment). */
export function assertPlainXlsx(buf: Buffer, filename: string | undefined): void {
  if (!filename || !/\.xlsx$/i.test(filename.trim())) throw invalidFile();
  if (buf.length < 30 || buf.readUInt32LE(0) !== SIG_LOCAL) throw invalidFile();
  const entries = centralDirectory(buf);
  const names = new Set(entries.map((e) => e.name));
  if (!names.has('xl/workbook.xml') || !names.has('[Content_Types].xml')) throw invalidFile();
  // Macros: vbaProject.bin (and its signature parts) anywhere in the package.
  if (entries.some((e) => /vba[^/]*\.bin$/i.test(e.name))) throw invalidFile();
  let budget = MAX_UNCOMPRESSED_BYTES;
  for (const e of entries) {
    if (e.name.endsWith('/')) continue; // a directory
    const data = inflate(buf, e, budget);
    budget -= data.length;
    if (budget < 0) throw tooLarge();
    if (e.name === '[Content_Types].xml' && /macroEnabled|vbaProject/i.test(data.toString('utf8'))) throw invalidFile();
  }
}

export async function loadWorkbook(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  try {
    // Parts that can only cost time (a validation or merge over a whole sheet expands cell by cell).
    await wb.xlsx.load(buf as unknown as ArrayBuffer, {
      ignoreNodes: [
        'dataValidations',
        'conditionalFormatting',
        'mergeCells',
        'hyperlinks',
        'drawing',
        'picture',
        'tableParts',
        'extLst',
        'rowBreaks',
        'autoFilter',
      ],
    });
  } catch {
    throw invalidFile();
  }
  if (!wb.worksheets.length) throw invalidFile();
  return wb;
}

/** The text of a cell whatever Excel made of it (number, rich text, formula result, hyperlink …). */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText))
      return v.richText
        .map((t) => t.text ?? '')
        .join('')
        .trim();
    if ('formula' in v || 'sharedFormula' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in v) return cellText((v as { text: ExcelJS.CellValue }).text);
    if ('error' in v) return String((v as { error: unknown }).error);
  }
  return '';
}

export function columnLetter(index: number): string {
  let s = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export interface ColumnDef<F extends string> {
  field: F;
  /** Bilingual header: Chinese, a space, English. */
  header: string;
  /** The column must be in the sheet (its cells may still be optional). */
  required: boolean;
  width: number;
}

export interface SheetCell {
  text: string;
  column: string;
}
export interface SheetRow<F extends string> {
  row: number;
  cells: Record<F, SheetCell>;
}

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Finds the columns by their headers in row 1 (full bilingual header, its Chinese or its English
 * part, in any order) and reads every non-empty data row. Missing required columns come back so
 * that they can be reported.
 */
export function readSheet<F extends string>(
  ws: ExcelJS.Worksheet,
  columns: readonly ColumnDef<F>[],
): { rows: SheetRow<F>[]; missing: ColumnDef<F>[] } {
  const found = new Map<F, number>();
  const header = ws.getRow(1);
  const width = Math.min(ws.columnCount, 200);
  for (let c = 1; c <= width; c++) {
    const text = norm(cellText(header.getCell(c).value));
    if (!text) continue;
    for (const col of columns) {
      if (found.has(col.field)) continue;
      const full = norm(col.header);
      const space = full.indexOf(' ');
      const zh = space > 0 ? full.slice(0, space) : full;
      const en = space > 0 ? full.slice(space + 1) : full;
      if (text === full || text === zh || text === en || text === col.field.toLowerCase()) {
        found.set(col.field, c);
        break;
      }
    }
  }
  const missing = columns.filter((c) => c.required && !found.has(c.field));
  const rows: SheetRow<F>[] = [];
  if (missing.length) return { rows, missing };
  if (ws.actualRowCount > MAX_ROWS + 1) throw tooLarge();
  const last = ws.rowCount;
  for (let r = 2; r <= last; r++) {
    const row = ws.findRow(r);
    if (!row) continue;
    const cells = {} as Record<F, SheetCell>;
    let any = false;
    columns.forEach((col, i) => {
      const c = found.get(col.field);
      const text = c ? cellText(row.getCell(c).value) : '';
      if (text) any = true;
      cells[col.field] = { text, column: columnLetter(c ?? i + 1) };
    });
    if (any) rows.push({ row: r, cells });
  }
  return { rows, missing };
}

export interface AllowedValue {
  field: string;
  code: string;
  labels: { 'zh-CN': string; 'zh-TW': string; en: string };
}

/** The template: headers in row 1, dropdowns from a second sheet that lists the allowed values. */
export async function templateWorkbook<F extends string>(
  sheetName: string,
  columns: readonly ColumnDef<F>[],
  allowed: AllowedValue[],
  notes: string[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Rectify';
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, key: c.field, width: c.width }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };

  const valuesName = '允许值 allowed values';
  const vs = wb.addWorksheet(valuesName);
  vs.columns = [
    { header: '字段 field', key: 'field', width: 28 },
    { header: '代码 code', key: 'code', width: 22 },
    { header: '简体中文', key: 'zhCN', width: 24 },
    { header: '繁體中文', key: 'zhTW', width: 24 },
    { header: 'English', key: 'en', width: 30 },
  ];
  vs.getRow(1).font = { bold: true };
  const ranges = new Map<string, { first: number; last: number }>();
  allowed.forEach((a, i) => {
    const r = i + 2;
    vs.addRow({ field: a.field, code: a.code, zhCN: a.labels['zh-CN'], zhTW: a.labels['zh-TW'], en: a.labels.en });
    const range = ranges.get(a.field);
    if (range) range.last = r;
    else ranges.set(a.field, { first: r, last: r });
  });
  vs.addRow({});
  for (const n of notes) vs.addRow({ field: n });

  // Dropdowns: each coded column offers the codes listed on the second sheet.
  const validations = (ws as unknown as { dataValidations: { add(a: string, v: ExcelJS.DataValidation): void } })
    .dataValidations;
  columns.forEach((c, i) => {
    const range = ranges.get(c.header);
    if (!range) return;
    const letter = columnLetter(i + 1);
    validations.add(`${letter}2:${letter}${MAX_ROWS + 1}`, {
      type: 'list',
      allowBlank: true,
      showErrorMessage: false,
      formulae: [`'${valuesName}'!$B$${range.first}:$B$${range.last}`],
    });
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
