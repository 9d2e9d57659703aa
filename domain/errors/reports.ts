/** Error codes of the reports feature, merged into ERROR_MESSAGES in domain/errors.ts. */
export const REPORT_ERRORS = {
  REPORT_DATE_INVALID: {
    'zh-CN': '日期无效',
    'zh-TW': '日期無效',
    en: 'The date is not a valid calendar date',
  },
  REPORT_SCOPE_UNKNOWN: {
    'zh-CN': '所选届次或巡察轮次不存在',
    'zh-TW': '所選屆次或巡察輪次不存在',
    en: 'The selected term or round does not exist',
  },
  TASK_OWNER_UNKNOWN: {
    'zh-CN': '承办单位或承办人不存在（承办人须属于承办单位）',
    'zh-TW': '承辦單位或承辦人不存在（承辦人須屬於承辦單位）',
    en: 'The owning organisation or person does not exist (the person must belong to that organisation)',
  },
  TASK_NOT_URGEABLE: {
    'zh-CN': '该任务已报办结或已办结，无需催办',
    'zh-TW': '該任務已報辦結或已辦結，無需催辦',
    en: 'The task has already been reported or closed; there is nothing to urge',
  },
  TASK_NOT_OWNER: {
    'zh-CN': '只有承办单位可以报告办结情况',
    'zh-TW': '只有承辦單位可以報告辦結情況',
    en: 'Only the owning organisation reports on the task',
  },
} as const;
