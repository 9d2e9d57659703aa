/**
 * Per-cell messages of the Excel imports (organisations, users) in the three UI languages, and the
 * labels of the coded values a sheet may hold (a cell may carry the code or any of its labels).
 * `{name}` placeholders are filled from the params. Pure: no I/O.
 */
import type { Locale } from './errors.js';
import type { OrgType, Role, SupervisorLine } from './roles.js';

type Messages = Record<Locale, string>;

export const IMPORT_MESSAGES = {
  REQUIRED: { 'zh-CN': '不能为空', 'zh-TW': '不能為空', en: 'Required' },
  TOO_LONG: {
    'zh-CN': '不能超过 {max} 个字符',
    'zh-TW': '不能超過 {max} 個字元',
    en: 'At most {max} characters',
  },
  BAD_CODE: {
    'zh-CN': '只能包含字母、数字、下划线、点和短横线',
    'zh-TW': '只能包含字母、數字、底線、點和連字號',
    en: 'Only letters, digits, underscore, dot and hyphen',
  },
  BAD_USERNAME: {
    'zh-CN': '用户名须为 3–64 位小写字母、数字、下划线、点或短横线',
    'zh-TW': '使用者名稱須為 3–64 位小寫字母、數字、底線、點或連字號',
    en: 'A username has 3–64 lower-case letters, digits, underscores, dots or hyphens',
  },
  BAD_EMAIL: { 'zh-CN': '邮箱格式不正确', 'zh-TW': '電子郵件格式不正確', en: 'Not a valid e-mail address' },
  BAD_PHONE: {
    'zh-CN': '电话号码只能包含数字、空格、+、-、括号（3–32 位）',
    'zh-TW': '電話號碼只能包含數字、空格、+、-、括號（3–32 位）',
    en: 'A phone number has 3–32 digits, spaces, +, - or brackets',
  },
  NOT_INTEGER: {
    'zh-CN': '须为 {min} 到 {max} 之间的整数',
    'zh-TW': '須為 {min} 到 {max} 之間的整數',
    en: 'A whole number from {min} to {max}',
  },
  NOT_ALLOWED: {
    'zh-CN': '“{value}”不是允许的取值，请参见“允许值”工作表',
    'zh-TW': '「{value}」不是允許的取值，請參見「允許值」工作表',
    en: '"{value}" is not an allowed value; see the "allowed values" sheet',
  },
  DUPLICATE_IN_FILE: {
    'zh-CN': '与第 {row} 行重复',
    'zh-TW': '與第 {row} 列重複',
    en: 'Same as row {row}',
  },
  EXISTS: { 'zh-CN': '“{value}”已存在', 'zh-TW': '「{value}」已存在', en: '"{value}" already exists' },
  PARENT_NOT_FOUND: {
    'zh-CN': '上级单位“{value}”既不在系统中，也不在本文件中',
    'zh-TW': '上級單位「{value}」既不在系統中，也不在本檔案中',
    en: 'Parent "{value}" is neither in the system nor in this file',
  },
  PARENT_CYCLE: {
    'zh-CN': '上级关系形成循环（单位不能是自己的上级或下级的下级）',
    'zh-TW': '上級關係形成循環（單位不能是自己的上級或下級的下級）',
    en: 'The parent links form a cycle (an organisation cannot be above itself)',
  },
  ORG_NOT_FOUND: {
    'zh-CN': '单位编码“{value}”在系统中不存在',
    'zh-TW': '單位編碼「{value}」在系統中不存在',
    en: 'No organisation with code "{value}"',
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
} satisfies Record<string, Messages>;

export type ImportMessageKey = keyof typeof IMPORT_MESSAGES;

export function importMessage(key: ImportMessageKey, locale: Locale, params: Record<string, unknown> = {}): string {
  const template = IMPORT_MESSAGES[key][locale] ?? IMPORT_MESSAGES[key].en;
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] === undefined ? `{${k}}` : String(params[k])));
}

/** Labels of the coded values, for the template's "allowed values" sheet and for reading a sheet. */
export const ROLE_LABELS: Record<Role, Messages> = {
  office: { 'zh-CN': '巡察办', 'zh-TW': '巡察辦', en: 'Inspection office' },
  leader: { 'zh-CN': '领导小组', 'zh-TW': '領導小組', en: 'Leadership' },
  unit: { 'zh-CN': '被巡察单位联络员', 'zh-TW': '被巡察單位聯絡員', en: 'Unit liaison' },
  unit_head: { 'zh-CN': '被巡察单位主要负责人', 'zh-TW': '被巡察單位主要負責人', en: 'Unit head' },
  supervisor: { 'zh-CN': '日常监督部门', 'zh-TW': '日常監督部門', en: 'Supervising body' },
  discipline: { 'zh-CN': '党风政风室', 'zh-TW': '黨風政風室', en: 'Discipline office' },
  followup: { 'zh-CN': '督查室', 'zh-TW': '督查室', en: 'Follow-up office' },
  sysadmin: { 'zh-CN': '系统管理员', 'zh-TW': '系統管理員', en: 'System administrator' },
  secadmin: { 'zh-CN': '安全管理员', 'zh-TW': '安全管理員', en: 'Security administrator' },
  auditor: { 'zh-CN': '审计管理员', 'zh-TW': '審計管理員', en: 'Audit administrator' },
};

export const ORG_TYPE_LABELS: Record<OrgType, Messages> = {
  party_committee: { 'zh-CN': '党委', 'zh-TW': '黨委', en: 'Party committee' },
  inspection_office: { 'zh-CN': '巡察机构', 'zh-TW': '巡察機構', en: 'Inspection office' },
  leadership_group: { 'zh-CN': '巡察工作领导小组', 'zh-TW': '巡察工作領導小組', en: 'Leadership group' },
  inspected_unit: { 'zh-CN': '被巡察单位', 'zh-TW': '被巡察單位', en: 'Inspected unit' },
  supervisor: { 'zh-CN': '日常监督部门', 'zh-TW': '日常監督部門', en: 'Supervising body' },
  discipline_office: { 'zh-CN': '党风政风室', 'zh-TW': '黨風政風室', en: 'Discipline office' },
  followup_office: { 'zh-CN': '督查室', 'zh-TW': '督查室', en: 'Follow-up office' },
  other: { 'zh-CN': '其他', 'zh-TW': '其他', en: 'Other' },
};

export const SUPERVISOR_LINE_LABELS: Record<SupervisorLine, Messages> = {
  discipline: { 'zh-CN': '纪委监委监督室', 'zh-TW': '紀委監委監督室', en: 'Discipline supervision office' },
  stationed: { 'zh-CN': '派驻纪检监察组', 'zh-TW': '派駐紀檢監察組', en: 'Stationed discipline group' },
  organisation: { 'zh-CN': '组织部', 'zh-TW': '組織部', en: 'Organisation department' },
  propaganda: { 'zh-CN': '宣传部', 'zh-TW': '宣傳部', en: 'Propaganda department' },
  audit: { 'zh-CN': '审计', 'zh-TW': '審計', en: 'Audit' },
  industry: { 'zh-CN': '行业主管部门', 'zh-TW': '行業主管部門', en: 'Industry department' },
  leader: { 'zh-CN': '分管市领导', 'zh-TW': '分管市領導', en: 'Leader in charge' },
};

/**
 * Reads a coded value from a cell: the code itself (any case) or one of its labels in any language.
 * Returns undefined when nothing matches.
 */
export function codeFromCell<C extends string>(text: string, labels: Record<C, Messages>): C | undefined {
  const t = text.trim().toLowerCase();
  if (!t) return undefined;
  for (const [code, l] of Object.entries(labels) as [C, Messages][]) {
    if (code.toLowerCase() === t) return code;
    if (l['zh-CN'].toLowerCase() === t || l['zh-TW'].toLowerCase() === t || l.en.toLowerCase() === t) return code;
  }
  return undefined;
}
