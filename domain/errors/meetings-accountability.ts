/** Error codes of the meetings-accountability feature (SPEC M8–M12), merged into ERROR_MESSAGES in domain/errors.ts. */
export const MEETINGS_ACCOUNTABILITY_ERRORS = {
  MEETING_EXISTS: {
    'zh-CN': '本轮整改已有整改专题民主生活会记录',
    'zh-TW': '本輪整改已有整改專題民主生活會記錄',
    en: 'This rectification cycle already has a democratic life meeting record',
  },
  MEETING_NOT_EDITABLE: {
    'zh-CN': '民主生活会已审核，不能再修改',
    'zh-TW': '民主生活會已審核，不能再修改',
    en: 'The meeting has been reviewed and can no longer be changed',
  },
  MEETING_HELD_ON_INVALID: {
    'zh-CN': '召开日期不能早于反馈日期（{feedbackDate}），也不能晚于今天',
    'zh-TW': '召開日期不能早於回饋日期（{feedbackDate}），也不能晚於今天',
    en: 'The date held cannot be before the feedback ({feedbackDate}) or after today',
  },
  MEETING_PLANNED_DATE_INVALID: {
    'zh-CN': '计划日期不能早于反馈日期（{feedbackDate}）',
    'zh-TW': '計畫日期不能早於回饋日期（{feedbackDate}）',
    en: 'The planned date cannot be before the feedback ({feedbackDate})',
  },
  MEETING_REPORT_REQUIRED: {
    'zh-CN': '请先录入领导班子对照检查材料',
    'zh-TW': '請先錄入領導班子對照檢查材料',
    en: "Record the leadership's self-examination report first",
  },
  ACCOUNTABILITY_DECIDING_BODY: {
    'zh-CN': '决定机关只能是本单位或其上级',
    'zh-TW': '決定機關只能是本單位或其上級',
    en: 'The deciding body can only be your own organisation or one above it',
  },
  ACCOUNTABILITY_DATE_INVALID: {
    'zh-CN': '决定日期不能晚于今天',
    'zh-TW': '決定日期不能晚於今天',
    en: 'The date of the decision cannot be after today',
  },
} as const satisfies Record<string, Record<'zh-CN' | 'zh-TW' | 'en', string>>;
