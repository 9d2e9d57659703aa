/**
 * Stable error codes and their messages in the three UI languages. Clients rely on `code`; the
 * message is for people. `{name}` placeholders are filled from the error's params.
 */
import { CLUE_ERRORS } from './errors/clues.js';
import { DASHBOARD_ERRORS } from './errors/dashboard.js';
import { DISCLOSURE_ERRORS } from './errors/disclosure.js';
import { EVALUATION_ERRORS } from './errors/evaluation.js';
import { MEETINGS_ACCOUNTABILITY_ERRORS } from './errors/meetings-accountability.js';
import { NOTICE_ERRORS } from './errors/notices.js';
import { REPORT_ERRORS } from './errors/reports.js';
import { SUPERVISION_ERRORS } from './errors/supervision.js';
import { SURVEY_ERRORS } from './errors/surveys.js';

export const LOCALES = ['zh-CN', 'zh-TW', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

type Messages = Record<Locale, string>;

const BASE_MESSAGES = {
  VALIDATION_FAILED: { 'zh-CN': '输入有误：{detail}', 'zh-TW': '輸入有誤：{detail}', en: 'Invalid input: {detail}' },
  NOT_FOUND: { 'zh-CN': '记录不存在或无权查看', 'zh-TW': '記錄不存在或無權查看', en: 'Not found' },
  ROUTE_NOT_FOUND: { 'zh-CN': '接口不存在', 'zh-TW': '介面不存在', en: 'No such endpoint' },
  UNAUTHENTICATED: { 'zh-CN': '请先登录', 'zh-TW': '請先登入', en: 'Please sign in' },
  SESSION_EXPIRED: {
    'zh-CN': '会话已过期，请重新登录',
    'zh-TW': '工作階段已逾時，請重新登入',
    en: 'Your session has expired; please sign in again',
  },
  FORBIDDEN: { 'zh-CN': '无权执行此操作', 'zh-TW': '無權執行此操作', en: 'You are not allowed to do this' },
  CSRF_FAILED: {
    'zh-CN': '安全校验失败，请刷新页面后重试',
    'zh-TW': '安全校驗失敗，請重新整理頁面後重試',
    en: 'Security check failed; reload the page and try again',
  },
  INVALID_CREDENTIALS: {
    'zh-CN': '用户名或密码错误',
    'zh-TW': '使用者名稱或密碼錯誤',
    en: 'Wrong username or password',
  },
  ACCOUNT_LOCKED: {
    'zh-CN': '登录失败次数过多，账号已锁定，请 {minutes} 分钟后再试',
    'zh-TW': '登入失敗次數過多，帳號已鎖定，請 {minutes} 分鐘後再試',
    en: 'Too many failed sign-ins; the account is locked for {minutes} minutes',
  },
  PASSWORD_CHANGE_REQUIRED: {
    'zh-CN': '请先修改密码',
    'zh-TW': '請先修改密碼',
    en: 'You must change your password first',
  },
  PASSWORD_POLICY: {
    'zh-CN': '密码至少 {min} 位，且包含大写字母、小写字母、数字、符号中的至少 {classes} 类',
    'zh-TW': '密碼至少 {min} 位，且包含大寫字母、小寫字母、數字、符號中的至少 {classes} 類',
    en: 'The password needs at least {min} characters from at least {classes} of: upper case, lower case, digits, symbols',
  },
  PASSWORD_REUSED: {
    'zh-CN': '新密码不能与当前密码相同',
    'zh-TW': '新密碼不能與目前密碼相同',
    en: 'The new password must differ from the current one',
  },
  TOTP_REQUIRED: {
    'zh-CN': '请输入动态验证码',
    'zh-TW': '請輸入動態驗證碼',
    en: 'Enter the code from your authenticator app',
  },
  TOTP_ENROLMENT_REQUIRED: {
    'zh-CN': '您的角色要求启用双因素认证，请先绑定验证器',
    'zh-TW': '您的角色要求啟用雙因素認證，請先綁定驗證器',
    en: 'Your role requires a second factor; enrol an authenticator first',
  },
  TOTP_INVALID: { 'zh-CN': '动态验证码错误', 'zh-TW': '動態驗證碼錯誤', en: 'Wrong authenticator code' },
  RATE_LIMITED: {
    'zh-CN': '请求过于频繁，请稍后再试',
    'zh-TW': '請求過於頻繁，請稍後再試',
    en: 'Too many requests; try again later',
  },
  CONFLICT_STALE: {
    'zh-CN': '该记录已被他人修改，请刷新后再试',
    'zh-TW': '該記錄已被他人修改，請重新整理後再試',
    en: 'Someone else changed this record; reload and try again',
  },
  DUPLICATE: { 'zh-CN': '{field} 已存在', 'zh-TW': '{field} 已存在', en: '{field} already exists' },
  IN_USE: {
    'zh-CN': '该记录仍被使用，无法删除',
    'zh-TW': '該記錄仍被使用，無法刪除',
    en: 'This record is still in use and cannot be deleted',
  },
  INVALID_REFERENCE: {
    'zh-CN': '{field} 引用的记录不存在',
    'zh-TW': '{field} 引用的記錄不存在',
    en: '{field} refers to a record that does not exist',
  },
  INVALID_PARENT: {
    'zh-CN': '上级单位不能是自身或其下级',
    'zh-TW': '上級單位不能是自身或其下級',
    en: 'The parent cannot be the organisation itself or one below it',
  },
  SEPARATION_OF_DUTIES: {
    'zh-CN': '三员分立：不能对自己的账号执行此操作',
    'zh-TW': '三員分立：不能對自己的帳號執行此操作',
    en: 'Separation of duties: you cannot do this to your own account',
  },
  IMPORT_INVALID_FILE: {
    'zh-CN': '文件不是有效的 .xlsx 工作簿',
    'zh-TW': '檔案不是有效的 .xlsx 活頁簿',
    en: 'The file is not a valid .xlsx workbook',
  },
  IMPORT_ROWS_INVALID: {
    'zh-CN': '{count} 处错误，未导入任何数据',
    'zh-TW': '{count} 處錯誤，未匯入任何資料',
    en: '{count} errors; nothing was imported',
  },
  PAYLOAD_TOO_LARGE: { 'zh-CN': '文件或请求过大', 'zh-TW': '檔案或請求過大', en: 'The file or request is too large' },
  UNSUPPORTED_MEDIA_TYPE: {
    'zh-CN': '不支持的内容类型',
    'zh-TW': '不支援的內容類型',
    en: 'Unsupported content type',
  },
  INVALID_TRANSITION: {
    'zh-CN': '不能从「{from}」变为「{to}」',
    'zh-TW': '不能從「{from}」變為「{to}」',
    en: 'Cannot change from "{from}" to "{to}"',
  },
  FEEDBACK_REQUIRED: {
    'zh-CN': '请先录入反馈意见及送达日期',
    'zh-TW': '請先錄入回饋意見及送達日期',
    en: 'Record the feedback and its delivery date first',
  },
  ROUND_UNIT_CLOSED: {
    'zh-CN': '该单位本轮整改已评价或已公开，不能再修改其台账',
    'zh-TW': '該單位本輪整改已評價或已公開，不能再修改其台帳',
    en: "This unit's rectification has been evaluated or published; its ledger can no longer change",
  },
  MEASURE_LOCKED: {
    'zh-CN': '整改措施已申请销号或已销号，不能修改或删除',
    'zh-TW': '整改措施已申請銷號或已銷號，不能修改或刪除',
    en: 'The measure is awaiting closure or closed; it cannot be changed or deleted',
  },
  EXTENSION_REQUIRED: {
    'zh-CN': '推迟整改期限须提出延期申请并经批准',
    'zh-TW': '推遲整改期限須提出延期申請並經批准',
    en: 'Moving a deadline later needs an approved extension request',
  },
  EXTENSION_PENDING: {
    'zh-CN': '该措施已有待审批的延期申请',
    'zh-TW': '該措施已有待審批的延期申請',
    en: 'This measure already has an extension request awaiting a decision',
  },
  EXTENSION_NOT_LATER: {
    'zh-CN': '申请的期限须晚于当前期限 {deadline}',
    'zh-TW': '申請的期限須晚於目前期限 {deadline}',
    en: 'The requested deadline must be later than the current one ({deadline})',
  },
  EXTENSION_NOT_NEEDED: {
    'zh-CN': '该措施已完成，无需延期',
    'zh-TW': '該措施已完成，無需延期',
    en: 'The measure is done; it needs no extension',
  },
  BULK_REJECTED: {
    'zh-CN': '{count} 条记录无法处理，未做任何修改',
    'zh-TW': '{count} 筆記錄無法處理，未做任何修改',
    en: '{count} records cannot be changed; nothing was changed',
  },
  FILE_EMPTY: { 'zh-CN': '文件为空', 'zh-TW': '檔案為空', en: 'The file is empty' },
  FILE_NAME_INVALID: {
    'zh-CN': '文件名不可用（含路径、控制字符、方向控制符或仿冒的标点）：{problem}',
    'zh-TW': '檔名不可用（含路徑、控制字元、方向控制符或仿冒的標點）：{problem}',
    en: 'The file name cannot be used (path, control, direction or look-alike characters): {problem}',
  },
  FILE_TYPE_NOT_ALLOWED: {
    'zh-CN': '不支持的文件类型，允许：pdf、doc、docx、xls、xlsx、jpg、png、ofd、zip',
    'zh-TW': '不支援的檔案類型，允許：pdf、doc、docx、xls、xlsx、jpg、png、ofd、zip',
    en: 'This kind of file is not accepted; allowed: pdf, doc, docx, xls, xlsx, jpg, png, ofd, zip',
  },
  FILE_TYPE_MISMATCH: {
    'zh-CN': '文件内容与扩展名 .{ext} 不符',
    'zh-TW': '檔案內容與副檔名 .{ext} 不符',
    en: 'The file content does not match its extension .{ext}',
  },
  FILE_ARCHIVE_UNSAFE: {
    'zh-CN': '压缩内容异常（解压后过大、条目过多或压缩比异常），已拒收',
    'zh-TW': '壓縮內容異常（解壓後過大、條目過多或壓縮比異常），已拒收',
    en: 'The archive is unsafe (too large when unpacked, too many entries or an abnormal ratio)',
  },
  FILE_INTEGRITY_FAILED: {
    'zh-CN': '存储的文件已损坏或被篡改（SM3 校验不符），已记录并通知管理员',
    'zh-TW': '儲存的檔案已損壞或被竄改（SM3 校驗不符），已記錄並通知管理員',
    en: 'The stored file is damaged or was altered (SM3 mismatch); this has been logged',
  },
  FILE_NOT_IN_ROUND_UNIT: {
    'zh-CN': '文件 {fileId} 不属于该单位本轮的材料',
    'zh-TW': '檔案 {fileId} 不屬於該單位本輪的材料',
    en: "File {fileId} is not among this unit's materials for the round",
  },
  REPORT_NOT_EDITABLE: {
    'zh-CN': '进展报告已送审或已报送，不能修改',
    'zh-TW': '進展報告已送審或已報送，不能修改',
    en: 'The progress report is awaiting sign-off or submitted; it cannot be edited',
  },
  REPORT_INCOMPLETE: {
    'zh-CN': '还有 {count} 项措施未填写进展情况',
    'zh-TW': '還有 {count} 項措施未填寫進展情況',
    en: '{count} measures have no progress narrative yet',
  },
  CLOSURE_EVIDENCE_REQUIRED: {
    'zh-CN': '申请销号须附佐证材料',
    'zh-TW': '申請銷號須附佐證材料',
    en: 'A closure application needs evidence files',
  },
  CLOSURE_NOT_READY: {
    'zh-CN': '整改措施须为「已完成」才能申请销号',
    'zh-TW': '整改措施須為「已完成」才能申請銷號',
    en: 'Only a completed measure can be put forward for closure',
  },
  CLOSURE_ALREADY_VERIFIED: {
    'zh-CN': '本单位已对该申请提出核验意见',
    'zh-TW': '本單位已對該申請提出核驗意見',
    en: 'Your organisation has already verified this application',
  },
  CLOSURE_VERIFICATION_MISSING: {
    'zh-CN': '尚缺核验意见：{missing}',
    'zh-TW': '尚缺核驗意見：{missing}',
    en: 'Verification still missing: {missing}',
  },
  CLOSURE_OWN_APPLICATION: {
    'zh-CN': '申请人或责任人不能核验或审批自己的销号申请',
    'zh-TW': '申請人或責任人不能核驗或審批自己的銷號申請',
    en: 'The applicant or owner of a measure cannot verify or decide its own closure',
  },
  RECHECK_NOT_PENDING: {
    'zh-CN': '该复查已完成或已取消',
    'zh-TW': '該複查已完成或已取消',
    en: 'This re-check is already done or cancelled',
  },
  DATABASE_UNAVAILABLE: {
    'zh-CN': '数据库暂时无法连接，请稍后重试；刚才的保存如未显示成功，请刷新后核对',
    'zh-TW': '資料庫暫時無法連線，請稍後重試；剛才的儲存如未顯示成功，請重新整理後核對',
    en: 'The database cannot be reached just now; try again shortly, and if a save did not report success, reload to check it',
  },
  INTERNAL: {
    'zh-CN': '系统内部错误，请联系管理员（请求编号 {requestId}）',
    'zh-TW': '系統內部錯誤，請聯絡管理員（請求編號 {requestId}）',
    en: 'Internal error; contact the administrator (request {requestId})',
  },
} satisfies Record<string, Messages>;

/** Each later feature keeps its codes in domain/errors/<feature>.ts; one table for everyone. */
export const ERROR_MESSAGES = {
  ...BASE_MESSAGES,
  ...SUPERVISION_ERRORS,
  ...CLUE_ERRORS,
  ...MEETINGS_ACCOUNTABILITY_ERRORS,
  ...SURVEY_ERRORS,
  ...EVALUATION_ERRORS,
  ...DASHBOARD_ERRORS,
  ...NOTICE_ERRORS,
  ...REPORT_ERRORS,
  ...DISCLOSURE_ERRORS,
} satisfies Record<string, Messages>;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export function errorMessage(code: ErrorCode, locale: Locale, params: Record<string, unknown> = {}): string {
  const template = ERROR_MESSAGES[code][locale] ?? ERROR_MESSAGES[code].en;
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] === undefined ? `{${k}}` : String(params[k])));
}

/** Picks the best of our locales from an Accept-Language header (zh-HK/zh-MO/zh-Hant → zh-TW). */
export function negotiateLocale(header: string | undefined | null): Locale {
  if (!header) return 'zh-CN';
  const tags = header
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { tag: (tag ?? '').toLowerCase(), q: q ? Number(q) : 1 };
    })
    .filter((t) => t.tag)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    if (/^zh-(tw|hk|mo)|^zh-hant/.test(tag)) return 'zh-TW';
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}
