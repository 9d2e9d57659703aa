/**
 * The 三清单一台账 workbook (SPEC M4): per-cell messages of the ledger import in the three UI
 * languages, and the labels of the coded values a ledger sheet holds (a cell may carry the code or
 * any of its labels). `{name}` placeholders are filled from the params. Pure: no I/O.
 */
import type { Locale } from './errors.js';
import type { MeasureStatus, MeasureType } from './rectification.js';

type Messages = Record<Locale, string>;

export const LEDGER_IMPORT_MESSAGES = {
  REQUIRED: { 'zh-CN': '不能为空', 'zh-TW': '不能為空', en: 'Required' },
  TOO_LONG: {
    'zh-CN': '不能超过 {max} 个字符',
    'zh-TW': '不能超過 {max} 個字元',
    en: 'At most {max} characters',
  },
  NOT_ALLOWED: {
    'zh-CN': '“{value}”不是允许的取值，请参见“填写说明”工作表',
    'zh-TW': '「{value}」不是允許的取值，請參見「填寫說明」工作表',
    en: '"{value}" is not an allowed value; see the "填写说明" (instructions) sheet',
  },
  CATEGORY_INACTIVE: {
    'zh-CN': '问题类别“{value}”已停用',
    'zh-TW': '問題類別「{value}」已停用',
    en: 'The problem category "{value}" is no longer in use',
  },
  CATEGORY_UNKNOWN: {
    'zh-CN': '“{value}”不是启用中的问题类别',
    'zh-TW': '「{value}」不是啟用中的問題類別',
    en: '"{value}" is not an active problem category',
  },
  STATUS_NOT_FOR_NEW: {
    'zh-CN': '导入的新措施只能是未启动、整改中或已完成，不能是“{value}”',
    'zh-TW': '匯入的新措施只能是未啟動、整改中或已完成，不能是「{value}」',
    en: 'An imported measure can only be not started, in progress or completed, not "{value}"',
  },
  BAD_DATE: {
    'zh-CN': '“{value}”不是有效日期（如 2027-03-31）',
    'zh-TW': '「{value}」不是有效日期（如 2027-03-31）',
    en: '"{value}" is not a valid date (e.g. 2027-03-31)',
  },
  BAD_MONEY: {
    'zh-CN': '“{value}”不是有效金额：须为不小于 0 的数，最多两位小数（元）',
    'zh-TW': '「{value}」不是有效金額：須為不小於 0 的數，最多兩位小數（元）',
    en: '"{value}" is not a valid amount: a number ≥ 0 in yuan with at most two decimals',
  },
  MONEY_TOO_LARGE: {
    'zh-CN': '金额不能超过 {max} 元',
    'zh-TW': '金額不能超過 {max} 元',
    en: 'At most {max} yuan',
  },
  NOT_INTEGER: {
    'zh-CN': '“{value}”须为 {min} 到 {max} 之间的整数',
    'zh-TW': '「{value}」須為 {min} 到 {max} 之間的整數',
    en: '"{value}" must be a whole number from {min} to {max}',
  },
  PROBLEM_MISMATCH: {
    'zh-CN': '与同一问题第 {row} 行的取值“{value}”不一致（同一问题的各行可留空或重复相同内容）',
    'zh-TW': '與同一問題第 {row} 列的取值「{value}」不一致（同一問題的各列可留空或重複相同內容）',
    en: 'Differs from "{value}" in row {row} of the same problem (leave it blank or repeat the same value)',
  },
  NUMBER_NOT_ADJACENT: {
    'zh-CN': '问题编号“{value}”已在第 {row} 行出现；同一问题的各行须相邻',
    'zh-TW': '問題編號「{value}」已在第 {row} 列出現；同一問題的各列須相鄰',
    en: 'Problem number "{value}" already appears in row {row}; the rows of one problem must be adjacent',
  },
  NUMBER_EXISTS: {
    'zh-CN': '本单位本轮已有编号为“{value}”的问题',
    'zh-TW': '本單位本輪已有編號為「{value}」的問題',
    en: 'This unit already has a problem numbered "{value}" in this round',
  },
  NUMBER_REPEATED: {
    'zh-CN': '问题编号“{value}”与第 {index} 项重复',
    'zh-TW': '問題編號「{value}」與第 {index} 項重複',
    en: 'Problem number "{value}" repeats item {index}',
  },
  DUPLICATE_SEQ: {
    'zh-CN': '措施序号 {value} 与本问题第 {row} 行重复',
    'zh-TW': '措施序號 {value} 與本問題第 {row} 列重複',
    en: 'Measure number {value} repeats row {row} of the same problem',
  },
  MEASURE_REQUIRED: {
    'zh-CN': '同一问题有多行时，每一行都须填写整改措施',
    'zh-TW': '同一問題有多列時，每一列都須填寫整改措施',
    en: 'When a problem has several rows, every row needs a measure',
  },
  TOO_MANY_NAMES: {
    'zh-CN': '最多 {max} 人',
    'zh-TW': '最多 {max} 人',
    en: 'At most {max} names',
  },
  MISSING_COLUMN: {
    'zh-CN': '缺少列“{header}”（请使用导入模板）',
    'zh-TW': '缺少欄「{header}」（請使用匯入範本）',
    en: 'Column "{header}" is missing (use the import template)',
  },
  NO_ROWS: {
    'zh-CN': '文件中没有数据行',
    'zh-TW': '檔案中沒有資料列',
    en: 'The file has no data rows',
  },
  DOCX_INVALID: {
    'zh-CN': '文件不是有效的 Word 文档（.docx），启用宏的文档也不接受',
    'zh-TW': '檔案不是有效的 Word 文件（.docx），啟用巨集的文件也不接受',
    en: 'The file is not a valid Word document (.docx); macro-enabled documents are not accepted',
  },
  TOO_MANY_ROWS: {
    'zh-CN': '一次最多导入 {max} 行',
    'zh-TW': '一次最多匯入 {max} 列',
    en: 'At most {max} rows per import',
  },
} satisfies Record<string, Messages>;

export type LedgerImportMessageKey = keyof typeof LEDGER_IMPORT_MESSAGES;

export function ledgerImportMessage(
  key: LedgerImportMessageKey,
  locale: Locale,
  params: Record<string, unknown> = {},
): string {
  const template = LEDGER_IMPORT_MESSAGES[key][locale] ?? LEDGER_IMPORT_MESSAGES[key].en;
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] === undefined ? `{${k}}` : String(params[k])));
}

/** Problem severities of rectification.ts. */
export const SEVERITY_LABELS: Record<'high' | 'medium' | 'low', Messages> = {
  high: { 'zh-CN': '严重', 'zh-TW': '嚴重', en: 'High' },
  medium: { 'zh-CN': '较重', 'zh-TW': '較重', en: 'Medium' },
  low: { 'zh-CN': '一般', 'zh-TW': '一般', en: 'Low' },
};

/** Problem sources of rectification.ts. */
export const SOURCE_LABELS: Record<
  'feedback' | 'immediate' | 'lookback' | 'complaint' | 'higher_inspection',
  Messages
> = {
  feedback: { 'zh-CN': '巡察反馈', 'zh-TW': '巡察回饋', en: 'Inspection feedback' },
  immediate: { 'zh-CN': '立行立改', 'zh-TW': '立行立改', en: 'Fixed on the spot' },
  lookback: { 'zh-CN': '回头看', 'zh-TW': '回頭看', en: 'Look-back' },
  complaint: { 'zh-CN': '信访举报', 'zh-TW': '信訪舉報', en: 'Complaint or report' },
  higher_inspection: { 'zh-CN': '上级巡视', 'zh-TW': '上級巡視', en: 'Higher-level inspection' },
};

export const MEASURE_TYPE_LABELS: Record<MeasureType, Messages> = {
  immediate: { 'zh-CN': '立行立改', 'zh-TW': '立行立改', en: 'Immediate' },
  deadline: { 'zh-CN': '限期整改', 'zh-TW': '限期整改', en: 'By a deadline' },
  long_term: { 'zh-CN': '长期坚持', 'zh-TW': '長期堅持', en: 'Long-term' },
};

export const MEASURE_STATUS_LABELS: Record<MeasureStatus, Messages> = {
  not_started: { 'zh-CN': '未启动', 'zh-TW': '未啟動', en: 'Not started' },
  in_progress: { 'zh-CN': '整改中', 'zh-TW': '整改中', en: 'In progress' },
  completed: { 'zh-CN': '已完成', 'zh-TW': '已完成', en: 'Completed' },
  closure_requested: { 'zh-CN': '申请销号', 'zh-TW': '申請銷號', en: 'Closure requested' },
  closed: { 'zh-CN': '已销号', 'zh-TW': '已銷號', en: 'Closed' },
};

/** The statuses an imported (new) measure may have; the closure states belong to 对账销号. */
export const NEW_MEASURE_STATUSES = [
  'not_started',
  'in_progress',
  'completed',
] as const satisfies readonly MeasureStatus[];

/**
 * Reads a coded value from a cell: the code itself (any case) or one of its labels in any language.
 * Undefined when nothing matches.
 */
export function codeFromLabel<C extends string>(text: string, labels: Record<C, Messages>): C | undefined {
  const t = text.trim().toLowerCase();
  if (!t) return undefined;
  for (const [code, l] of Object.entries(labels) as [C, Messages][]) {
    if (code.toLowerCase() === t) return code;
    if (l['zh-CN'].toLowerCase() === t || l['zh-TW'].toLowerCase() === t || l.en.toLowerCase() === t) return code;
  }
  return undefined;
}
