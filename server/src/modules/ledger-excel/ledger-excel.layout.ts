import type { Locale } from '../../../../domain/errors.js';
import {
  MEASURE_STATUS_LABELS,
  MEASURE_TYPE_LABELS,
  NEW_MEASURE_STATUSES,
  SEVERITY_LABELS,
  SOURCE_LABELS,
} from '../../../../domain/ledger-import-messages.js';

/**
 * The one layout of the 三清单一台账 sheet, shared by the template, the import and the export
 * (SPEC M4): one row per measure; consecutive rows with the same 问题编号 are one problem, whose
 * fields may be repeated or left blank after its first row. The export adds 轮次 and 被巡察单位
 * in front; the import finds every column by its header, so an export imports as it is.
 */

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const LEDGER_SHEET = '三清单一台账';
export const GUIDE_SHEET = '填写说明';

/** Data rows per import (a round-unit holds a few hundred measures; a whole sector a few thousand). */
export const MAX_IMPORT_ROWS = 50_000;
/** Hard cap of one uploaded workbook or document. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export type CellKind = 'text' | 'category' | 'source' | 'severity' | 'names' | 'seq' | 'type' | 'date' | 'status';
export type ValueKind = CellKind | 'integer' | 'money';

export interface LedgerColumn<F extends string = string> {
  field: F;
  zh: string;
  en: string;
  /** problem: the same for every row of a problem; measure: one per row. */
  part: 'problem' | 'measure' | 'context';
  kind: ValueKind;
  /** Text length limit (characters), for text and names. */
  max?: number;
  /** Must be filled in (on the first row of a problem, or on every measure row). */
  required?: boolean;
  width: number;
}

export const LEDGER_COLUMNS = [
  {
    field: 'number',
    zh: '问题编号',
    en: 'Problem No.',
    part: 'problem',
    kind: 'text',
    max: 40,
    required: true,
    width: 14,
  },
  { field: 'category', zh: '问题类别', en: 'Category', part: 'problem', kind: 'category', required: true, width: 18 },
  {
    field: 'description',
    zh: '问题描述',
    en: 'Description',
    part: 'problem',
    kind: 'text',
    max: 4000,
    required: true,
    width: 48,
  },
  { field: 'source', zh: '问题来源', en: 'Source', part: 'problem', kind: 'source', width: 12 },
  { field: 'severity', zh: '严重程度', en: 'Severity', part: 'problem', kind: 'severity', width: 10 },
  { field: 'responsibleLeader', zh: '责任领导', en: 'Leader', part: 'problem', kind: 'text', max: 100, width: 12 },
  {
    field: 'responsibleDepartment',
    zh: '责任部门',
    en: 'Department',
    part: 'problem',
    kind: 'text',
    max: 200,
    width: 16,
  },
  { field: 'responsiblePerson', zh: '责任人', en: 'Person', part: 'problem', kind: 'text', max: 100, width: 12 },
  { field: 'firstResponsible', zh: '第一责任人', en: 'First responsible', part: 'problem', kind: 'names', width: 14 },
  {
    field: 'sharedResponsible',
    zh: '一岗双责',
    en: 'Dual-duty members',
    part: 'problem',
    kind: 'names',
    width: 18,
  },
  { field: 'measureSeq', zh: '措施序号', en: 'Measure No.', part: 'measure', kind: 'seq', width: 10 },
  {
    field: 'content',
    zh: '整改措施',
    en: 'Measure',
    part: 'measure',
    kind: 'text',
    max: 2000,
    required: true,
    width: 48,
  },
  { field: 'type', zh: '措施类型', en: 'Type', part: 'measure', kind: 'type', required: true, width: 12 },
  { field: 'deadline', zh: '完成时限', en: 'Deadline', part: 'measure', kind: 'date', required: true, width: 13 },
  { field: 'owner', zh: '措施责任人', en: 'Owner', part: 'measure', kind: 'text', max: 100, width: 12 },
  { field: 'status', zh: '整改状态', en: 'Status', part: 'measure', kind: 'status', width: 10 },
  {
    field: 'rulesEstablished',
    zh: '建立完善制度(项)',
    en: 'Rules established',
    part: 'measure',
    kind: 'integer',
    width: 12,
  },
  {
    field: 'fundsReturned',
    zh: '退缴违规资金(元)',
    en: 'Funds returned (yuan)',
    part: 'measure',
    kind: 'money',
    width: 16,
  },
  {
    field: 'lossesRecovered',
    zh: '挽回经济损失(元)',
    en: 'Losses recovered (yuan)',
    part: 'measure',
    kind: 'money',
    width: 16,
  },
  {
    field: 'peopleHeldAccountable',
    zh: '问责人数',
    en: 'People held accountable',
    part: 'measure',
    kind: 'integer',
    width: 10,
  },
  { field: 'casesFiled', zh: '立案数', en: 'Cases filed', part: 'measure', kind: 'integer', width: 10 },
] as const satisfies readonly LedgerColumn[];

export type LedgerField = (typeof LEDGER_COLUMNS)[number]['field'];
/** The same columns, widened: every optional property readable. */
export const LEDGER_COLUMN_LIST: readonly LedgerColumn<LedgerField>[] = LEDGER_COLUMNS;

/** The two columns the export puts in front: which round and which unit each row belongs to. */
export const EXPORT_CONTEXT_COLUMNS = [
  { field: 'round', zh: '轮次', en: 'Round', part: 'context', kind: 'text', width: 22 },
  { field: 'unit', zh: '被巡察单位', en: 'Inspected unit', part: 'context', kind: 'text', width: 24 },
] as const satisfies readonly LedgerColumn[];

/** "问题编号 Problem No.": the bilingual header (the import also takes either half alone). */
export const headerText = (c: { zh: string; en: string }) => `${c.zh}\n${c.en}`;

/** 1 → A, 27 → AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Names in one cell (第一责任人, 一岗双责): separated by 、 (or a comma, semicolon or line break). */
export const splitNames = (text: string) =>
  text
    .split(/[、,，;；\n\r/]+/)
    .map((s) => s.trim())
    .filter(Boolean);
export const joinNames = (names: readonly string[]) => names.join('、');

/** Per measure and problem: counts are whole numbers from 0 to this. */
export const MAX_COUNT = 1_000_000;
/** The largest amount a measure may carry: exact as a JS number and in a bigint column (≈ 90 万亿元). */
export const MAX_FEN = BigInt(Number.MAX_SAFE_INTEGER);
/** People named as 第一责任人 and 一岗双责 on one problem, together. */
export const MAX_RESPONSIBLES = 50;

export const LABELS = {
  source: SOURCE_LABELS,
  severity: SEVERITY_LABELS,
  type: MEASURE_TYPE_LABELS,
  status: MEASURE_STATUS_LABELS,
};

/** The lines of the 填写说明 sheet before the tables of allowed values. */
export function guideNotes(): string[] {
  return [
    '三清单一台账导入说明',
    `1. 在“${LEDGER_SHEET}”工作表中每行填写一条整改措施；同一问题有多条措施时，连续几行填写相同的问题编号，问题类别、问题描述、责任人等问题信息可只在第一行填写，其余行留空或重复相同内容。`,
    '2. 必填：问题编号、问题类别、问题描述；每条措施必填整改措施、措施类型、完成时限。问题暂无措施时，措施各列全部留空（仅限该问题只有一行）。',
    '3. 问题类别、问题来源、严重程度、措施类型、整改状态可填写下表中的中文名称或代码；问题来源默认为巡察反馈，严重程度默认为较重，整改状态默认为未启动。',
    '4. 导入的新措施状态只能是未启动、整改中或已完成；申请销号、已销号须在系统中办理对账销号。',
    '5. 完成时限填写日期，如 2027-03-31（也可用 2027/3/31 或 2027年3月31日）。',
    '6. 金额单位为元，最多两位小数；制度、问责人数、立案数为不小于 0 的整数；空白按 0 计。',
    '7. 第一责任人、一岗双责可填写多人，用顿号“、”分隔。',
    '8. 导入时逐行检查，有任何错误则整份文件不导入，并列出每处错误所在的行和列；改正后重新导入即可。',
    '9. 导出的台账与本模板格式相同（前面多“轮次”“被巡察单位”两列），可直接修改后导入到其他单位；导出的完成时限为批准延期后的时限。',
  ];
}

/** The allowed values listed on the guide sheet, by field, in display order. */
export function guideLists(categories: readonly { code: string; labels: Record<Locale, string> }[]) {
  const fromLabels = <C extends string>(labels: Record<C, Record<Locale, string>>, codes?: readonly C[]) =>
    (codes ?? (Object.keys(labels) as C[])).map((code) => ({ code, labels: labels[code] }));
  return [
    {
      field: 'category' as const,
      title: '问题类别',
      items: categories.map((c) => ({ code: c.code, labels: c.labels })),
    },
    { field: 'type' as const, title: '措施类型', items: fromLabels(MEASURE_TYPE_LABELS) },
    { field: 'status' as const, title: '整改状态', items: fromLabels(MEASURE_STATUS_LABELS, NEW_MEASURE_STATUSES) },
    { field: 'severity' as const, title: '严重程度', items: fromLabels(SEVERITY_LABELS) },
    { field: 'source' as const, title: '问题来源', items: fromLabels(SOURCE_LABELS) },
  ];
}

/** Content-Disposition for a download with a Chinese name (RFC 6266 / RFC 5987). */
export function attachment(asciiName: string, name: string): string {
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Text a cell can hold: without the control characters XML 1.0 has no place for (a cell holding
 * one makes Excel "repair" the file; PostgreSQL refuses NUL) and without lone surrogates.
 */
export function xmlSafe(s: string): string {
  let bad = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffe || c === 0xffff || (c >= 0xd800 && c <= 0xdfff)) {
      bad = true;
      break;
    }
  }
  if (!bad) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
      }
      continue;
    }
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffe || c === 0xffff || (c >= 0xdc00 && c <= 0xdfff))
      continue;
    out += s[i]!;
  }
  return out;
}
