import type { Locale } from '../../../../domain/errors.js';
import {
  type LedgerImportMessageKey,
  ledgerImportMessage,
  NEW_MEASURE_STATUSES,
} from '../../../../domain/ledger-import-messages.js';
import { fenToYuan, yuanToFen } from '../../../../domain/money.js';
import type { MeasureStatus, MeasureType } from '../../../../domain/rectification.js';
import { AppError } from '../../platform/errors.js';
import {
  columnLetter,
  LABELS,
  LEDGER_COLUMN_LIST,
  LEDGER_COLUMNS,
  LEDGER_SHEET,
  type LedgerColumn,
  type LedgerField,
  MAX_COUNT,
  MAX_FEN,
  MAX_IMPORT_ROWS,
  MAX_RESPONSIBLES,
  splitNames,
  xmlSafe,
} from './ledger-excel.layout.js';
import { type CellValue, openWorksheet } from './ledger-excel.xlsx.js';

export type { CellValue };

/**
 * Reading an uploaded 三清单一台账 sheet: the rows are streamed out of the workbook (see
 * ledger-excel.xlsx.ts, so a big file never becomes a full in-memory model), each cell reduced to
 * its text (and its number or date when it has one), and then every row is checked. All the
 * errors of a file come back together, by row and column letter, in the caller's language.
 */

export interface SheetRow {
  row: number;
  cells: Partial<Record<LedgerField, CellValue>>;
}

export interface LedgerSheet {
  /** Column number (1-based) of every field found in the header row. */
  columns: Map<LedgerField, number>;
  headerRow: number;
  rows: SheetRow[];
  /** More data rows than an import takes: reading stopped there. */
  tooMany: boolean;
}

export interface RowError {
  row: number;
  column: string;
  field: string;
  message: string;
}

/** At most this many row errors are listed (the count in the message says how many there were). */
export const MAX_LISTED_ERRORS = 1000;

// ---------------------------------------------------------------------------------------------
// Cells

const clean = (s: string) => xmlSafe(s).trim();

const norm = (s: string) => s.toLowerCase().replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, ' ').trim();

/** The field a header cell names: the bilingual header, its Chinese or its English half, or the field name. */
function fieldOfHeader(text: string): LedgerField | undefined {
  const t = norm(text);
  if (!t) return undefined;
  const zh = t.split(' ')[0]!;
  for (const c of LEDGER_COLUMNS) {
    if (zh === norm(c.zh) || t === norm(c.en) || t === c.field.toLowerCase()) return c.field;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Reading the workbook

/** Rows above the header that a sheet may have (a title such as "XX单位巡察整改三清单一台账"). */
const HEADER_SEARCH_ROWS = 10;

/**
 * Reads the ledger sheet of a workbook that `assertPlainXlsx` has accepted: the sheet named
 * 三清单一台账 if there is one, else the first. The header row is the first of the top rows that
 * names at least three of the ledger's columns; the rows above it (a title) are skipped.
 */
export function readLedgerSheet(buf: Buffer): LedgerSheet {
  const sheet: LedgerSheet = { columns: new Map(), headerRow: 0, rows: [], tooMany: false };
  for (const row of openWorksheet(buf, LEDGER_SHEET).rows()) {
    if (!sheet.headerRow) {
      if (row.number > HEADER_SEARCH_ROWS) break;
      const found = new Map<LedgerField, number>();
      for (const [c, v] of row.cells) {
        const field = fieldOfHeader(v.text);
        if (field && !found.has(field)) found.set(field, c);
      }
      if (found.size >= 3) {
        sheet.columns = found;
        sheet.headerRow = row.number;
      }
      continue;
    }
    const cells: SheetRow['cells'] = {};
    let any = false;
    for (const [field, c] of sheet.columns) {
      const v = row.cells.get(c);
      if (!v) continue;
      const t = clean(v.text);
      if (t) {
        cells[field] = t === v.text ? v : { ...v, text: t };
        any = true;
      }
    }
    if (!any) continue;
    if (sheet.rows.length >= MAX_IMPORT_ROWS) {
      sheet.tooMany = true;
      break;
    }
    sheet.rows.push({ row: row.number, cells });
  }
  return sheet;
}

// ---------------------------------------------------------------------------------------------
// Checking the rows

export interface CategoryEntry {
  code: string;
  active: boolean;
  labels: readonly string[];
}

export interface ParsedMeasure {
  row: number;
  seq: number;
  content: string;
  type: MeasureType;
  status: MeasureStatus;
  deadline: string;
  ownerName: string | null;
  rulesEstablished: number;
  fundsReturnedFen: bigint;
  lossesRecoveredFen: bigint;
  peopleHeldAccountable: number;
  casesFiled: number;
}

export interface ParsedProblem {
  row: number;
  number: string;
  categoryCode: string;
  description: string;
  source: string;
  severity: string;
  responsibleLeader: string | null;
  responsibleDepartment: string | null;
  responsiblePerson: string | null;
  first: string[];
  shared: string[];
  measures: ParsedMeasure[];
}

/** Code by its code or any of its labels, lower-cased: one map lookup per cell. */
function labelIndex<C extends string>(labels: Record<C, Record<Locale, string>>): Map<string, C> {
  const m = new Map<string, C>();
  for (const [code, l] of Object.entries(labels) as [C, Record<Locale, string>][]) {
    for (const key of [code, l['zh-CN'], l['zh-TW'], l.en]) {
      const k = key.trim().toLowerCase();
      if (!m.has(k)) m.set(k, code);
    }
  }
  return m;
}
const BY_LABEL = {
  source: labelIndex(LABELS.source),
  severity: labelIndex(LABELS.severity),
  type: labelIndex(LABELS.type),
  status: labelIndex(LABELS.status),
};
const codeOf = <K extends keyof typeof BY_LABEL>(kind: K, text: string) =>
  BY_LABEL[kind].get(text.trim().toLowerCase()) as (typeof LABELS)[K] extends Record<infer C, unknown>
    ? C | undefined
    : never;

const COLUMN_BY_FIELD = new Map<LedgerField, LedgerColumn<LedgerField>>(LEDGER_COLUMNS.map((c) => [c.field, c]));
const PROBLEM_FIELDS = LEDGER_COLUMNS.filter((c) => c.part === 'problem').map((c) => c.field);
const MEASURE_FIELDS = LEDGER_COLUMNS.filter((c) => c.part === 'measure').map((c) => c.field);

export class RowErrors {
  readonly list: RowError[] = [];
  constructor(
    private readonly locale: Locale,
    private readonly columns: Map<LedgerField, number>,
  ) {}

  letter(field: LedgerField): string {
    const c = this.columns.get(field);
    return c ? columnLetter(c) : '';
  }

  add(row: number, field: LedgerField, key: LedgerImportMessageKey, params: Record<string, unknown> = {}) {
    this.list.push({ row, column: this.letter(field), field, message: ledgerImportMessage(key, this.locale, params) });
  }

  /** Nothing is written when any row is wrong: every error is reported at once, in row and column order. */
  throwIfAny(): void {
    if (!this.list.length) return;
    const byColumn = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
    const sorted = [...this.list].sort((a, b) => a.row - b.row || byColumn(a.column, b.column));
    throw new AppError(
      400,
      'IMPORT_ROWS_INVALID',
      { count: sorted.length },
      { errors: sorted.slice(0, MAX_LISTED_ERRORS), truncated: sorted.length > MAX_LISTED_ERRORS },
    );
  }
}

const shown = (v: string) => (v.length > 50 ? `${v.slice(0, 50)}…` : v);
/** Length in characters (code points), as the columns count it; the UTF-16 length bounds it from above. */
const longerThan = (s: string, max: number) => s.length > max && [...s].length > max;

/** 'YYYY-MM-DD' from a date cell, an Excel serial number or a typed date; null when it is none. */
export function parseDateCell(v: CellValue): string | null {
  if (v.date) return v.date.toISOString().slice(0, 10);
  if (v.number !== undefined) {
    // An Excel serial (1900 date system) in a cell without a date format.
    if (v.number < 1 || v.number > 2958465) return null;
    return new Date(Date.UTC(1899, 11, 30) + Math.floor(v.number) * 86_400_000).toISOString().slice(0, 10);
  }
  const t = v.text.replace(/\s+/g, '');
  const r =
    /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t) ??
    /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/.exec(t) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!r) return null;
  const [y, m, d] = [Number(r[1]), Number(r[2]), Number(r[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  if (y < 1900 || y > 9999) return null;
  return date.toISOString().slice(0, 10);
}

/** 元 with at most two decimals → 分; null when the cell is not such an amount. */
export function parseMoneyCell(v: CellValue): bigint | null {
  const t = v.text
    .replace(/[\s,，]/g, '')
    .replace(/^[¥￥]/, '')
    .replace(/元$/, '');
  if (!/^\d{1,15}(\.\d{1,2})?$/.test(t)) return null;
  return yuanToFen(t);
}

/** A whole number from min to max; null when the cell is not one. */
export function parseIntegerCell(v: CellValue, min: number, max: number): number | null {
  const t = v.text.replace(/[\s,，]/g, '');
  if (!/^\d{1,10}(\.0+)?$/.test(t)) return null;
  const n = Number.parseInt(t, 10);
  return n >= min && n <= max ? n : null;
}

/**
 * Checks every row and groups them into problems: consecutive rows with the same 问题编号 are one
 * problem; its fields come from the first row that fills them in, and a later row may only repeat
 * them. Every error of the file is collected in `errors`.
 */
export function checkLedgerRows(sheet: LedgerSheet, categories: readonly CategoryEntry[], errors: RowErrors) {
  const problems: ParsedProblem[] = [];
  if (sheet.tooMany) {
    errors.add(sheet.headerRow + MAX_IMPORT_ROWS + 1, 'number', 'TOO_MANY_ROWS', { max: MAX_IMPORT_ROWS });
    return problems;
  }
  const categoryByKey = new Map<string, CategoryEntry>();
  for (const c of categories) {
    for (const key of [c.code, ...c.labels]) {
      const k = key.trim().toLowerCase();
      if (k && !categoryByKey.has(k)) categoryByKey.set(k, c);
    }
  }

  // Group the rows: consecutive rows with the same number.
  const groups: { number: string; rows: SheetRow[] }[] = [];
  const firstRowOfNumber = new Map<string, number>();
  for (const r of sheet.rows) {
    const number = r.cells.number?.text ?? '';
    const last = groups[groups.length - 1];
    if (number && last && last.number === number) {
      last.rows.push(r);
      continue;
    }
    if (!number) {
      errors.add(r.row, 'number', 'REQUIRED');
    } else {
      if (longerThan(number, 40)) errors.add(r.row, 'number', 'TOO_LONG', { max: 40 });
      const seen = firstRowOfNumber.get(number);
      if (seen !== undefined) errors.add(r.row, 'number', 'NUMBER_NOT_ADJACENT', { value: shown(number), row: seen });
      else firstRowOfNumber.set(number, r.row);
    }
    groups.push({ number, rows: [r] });
  }

  for (const g of groups) {
    // Problem fields: the first row that fills each in; a later one may only repeat it.
    const value = new Map<LedgerField, { row: number; cell: CellValue; key: string }>();
    let categoryReported = false;
    for (const r of g.rows) {
      for (const field of PROBLEM_FIELDS) {
        const cell = r.cells[field];
        if (!cell || field === 'number') continue;
        let key = cell.text;
        if (field === 'category') {
          // Every category cell must name an active category, even on a later row of the problem.
          const entry = categoryByKey.get(cell.text.toLowerCase());
          if (!entry?.active) {
            errors.add(r.row, 'category', entry ? 'CATEGORY_INACTIVE' : 'NOT_ALLOWED', { value: shown(cell.text) });
            categoryReported = true;
            continue;
          }
          key = entry.code;
        }
        const first = value.get(field);
        if (!first) value.set(field, { row: r.row, cell, key });
        else if (first.key !== key)
          errors.add(r.row, field, 'PROBLEM_MISMATCH', { row: first.row, value: shown(first.cell.text) });
      }
    }
    const firstRow = g.rows[0]!.row;
    const text = (field: LedgerField): string | null => {
      const v = value.get(field);
      if (!v) {
        if (COLUMN_BY_FIELD.get(field)!.required) errors.add(firstRow, field, 'REQUIRED');
        return null;
      }
      const max = COLUMN_BY_FIELD.get(field)!.max ?? 4000;
      if (longerThan(v.cell.text, max)) errors.add(v.row, field, 'TOO_LONG', { max });
      return v.cell.text;
    };
    const coded = <C extends string>(field: 'source' | 'severity', fallback: C): C => {
      const v = value.get(field);
      if (!v) return fallback;
      const code = codeOf(field, v.cell.text) as C | undefined;
      if (!code) errors.add(v.row, field, 'NOT_ALLOWED', { value: shown(v.cell.text) });
      return code ?? fallback;
    };

    const cat = value.get('category');
    if (!cat && !categoryReported) errors.add(firstRow, 'category', 'REQUIRED');
    const categoryCode = cat?.key ?? '';
    const names = (field: 'firstResponsible' | 'sharedResponsible') => {
      const v = value.get(field);
      if (!v) return [];
      const list = splitNames(v.cell.text);
      if (list.some((n) => longerThan(n, 100))) errors.add(v.row, field, 'TOO_LONG', { max: 100 });
      return list;
    };
    const problem: ParsedProblem = {
      row: firstRow,
      number: g.number,
      categoryCode,
      description: text('description') ?? '',
      source: coded('source', 'feedback'),
      severity: coded('severity', 'medium'),
      responsibleLeader: text('responsibleLeader'),
      responsibleDepartment: text('responsibleDepartment'),
      responsiblePerson: text('responsiblePerson'),
      first: names('firstResponsible'),
      shared: names('sharedResponsible'),
      measures: [],
    };
    if (problem.first.length + problem.shared.length > MAX_RESPONSIBLES) {
      const v = value.get('sharedResponsible') ?? value.get('firstResponsible')!;
      errors.add(v.row, value.has('sharedResponsible') ? 'sharedResponsible' : 'firstResponsible', 'TOO_MANY_NAMES', {
        max: MAX_RESPONSIBLES,
      });
    }

    // Measures: one per row; a problem of a single row may have none (all measure cells blank).
    const seqRow = new Map<number, number>();
    let maxSeq = 0;
    for (const r of g.rows) {
      const blank = MEASURE_FIELDS.every((f) => !r.cells[f]);
      if (blank) {
        if (g.rows.length > 1) errors.add(r.row, 'content', 'MEASURE_REQUIRED');
        continue;
      }
      const m = checkMeasure(r, errors);
      let seq = maxSeq + 1;
      const seqCell = r.cells.measureSeq;
      if (seqCell) {
        const n = parseIntegerCell(seqCell, 1, 100_000);
        if (n === null)
          errors.add(r.row, 'measureSeq', 'NOT_INTEGER', { value: shown(seqCell.text), min: 1, max: 100000 });
        else seq = n;
      }
      const dup = seqRow.get(seq);
      if (dup !== undefined) errors.add(r.row, 'measureSeq', 'DUPLICATE_SEQ', { value: seq, row: dup });
      seqRow.set(seq, r.row);
      maxSeq = Math.max(maxSeq, seq);
      problem.measures.push({ ...m, seq });
    }
    problems.push(problem);
  }
  if (!sheet.rows.length) errors.add(sheet.headerRow + 1, 'number', 'NO_ROWS');
  return problems;
}

function checkMeasure(r: SheetRow, errors: RowErrors): Omit<ParsedMeasure, 'seq'> {
  const c = r.cells;
  const required = (field: LedgerField) => {
    if (!c[field]) errors.add(r.row, field, 'REQUIRED');
    return c[field];
  };
  const content = required('content');
  if (content && longerThan(content.text, 2000)) errors.add(r.row, 'content', 'TOO_LONG', { max: 2000 });

  const typeCell = required('type');
  let type: MeasureType = 'deadline';
  if (typeCell) {
    const code = codeOf('type', typeCell.text);
    if (!code) errors.add(r.row, 'type', 'NOT_ALLOWED', { value: shown(typeCell.text) });
    else type = code;
  }

  const deadlineCell = required('deadline');
  let deadline = '';
  if (deadlineCell) {
    const d = parseDateCell(deadlineCell);
    if (!d) errors.add(r.row, 'deadline', 'BAD_DATE', { value: shown(deadlineCell.text) });
    else deadline = d;
  }

  const owner = c.owner?.text ?? null;
  if (owner && longerThan(owner, 100)) errors.add(r.row, 'owner', 'TOO_LONG', { max: 100 });

  let status: MeasureStatus = 'not_started';
  if (c.status) {
    const code = codeOf('status', c.status.text);
    if (!code) errors.add(r.row, 'status', 'NOT_ALLOWED', { value: shown(c.status.text) });
    else if (!(NEW_MEASURE_STATUSES as readonly string[]).includes(code))
      errors.add(r.row, 'status', 'STATUS_NOT_FOR_NEW', { value: shown(c.status.text) });
    else status = code;
  }

  const count = (field: LedgerField) => {
    const cell = c[field];
    if (!cell) return 0;
    const n = parseIntegerCell(cell, 0, MAX_COUNT);
    if (n === null) errors.add(r.row, field, 'NOT_INTEGER', { value: shown(cell.text), min: 0, max: MAX_COUNT });
    return n ?? 0;
  };
  const money = (field: LedgerField) => {
    const cell = c[field];
    if (!cell) return 0n;
    const fen = parseMoneyCell(cell);
    if (fen === null) errors.add(r.row, field, 'BAD_MONEY', { value: shown(cell.text) });
    else if (fen > MAX_FEN) errors.add(r.row, field, 'MONEY_TOO_LARGE', { max: fenToYuan(MAX_FEN) });
    return fen ?? 0n;
  };

  return {
    row: r.row,
    content: content?.text ?? '',
    type,
    status,
    deadline,
    ownerName: owner,
    rulesEstablished: count('rulesEstablished'),
    fundsReturnedFen: money('fundsReturned'),
    lossesRecoveredFen: money('lossesRecovered'),
    peopleHeldAccountable: count('peopleHeldAccountable'),
    casesFiled: count('casesFiled'),
  };
}

/** Required columns absent from the header row, as row errors on the header. */
export function missingColumns(sheet: LedgerSheet, errors: RowErrors, locale: Locale): void {
  if (!sheet.headerRow) {
    const first = LEDGER_COLUMN_LIST.find((c) => c.required)!;
    errors.list.push({
      row: 1,
      column: 'A',
      field: first.field,
      message: ledgerImportMessage('MISSING_COLUMN', locale, { header: `${first.zh} ${first.en}` }),
    });
    return;
  }
  for (const c of LEDGER_COLUMN_LIST) {
    if (c.required && !sheet.columns.has(c.field))
      errors.list.push({
        row: sheet.headerRow,
        column: '',
        field: c.field,
        message: ledgerImportMessage('MISSING_COLUMN', locale, { header: `${c.zh} ${c.en}` }),
      });
  }
}
