/** Error codes of the supervision feature (SPEC M8–M12), merged into ERROR_MESSAGES in domain/errors.ts. */
export const SUPERVISION_ERRORS = {
  SUPERVISION_UNIT_UNKNOWN: {
    'zh-CN': '单位不存在，或不在您的联系监督范围内',
    'zh-TW': '單位不存在，或不在您的聯繫監督範圍內',
    en: 'The unit does not exist or is not one you liaise with',
  },
  SUPERVISION_TARGET_UNKNOWN: {
    'zh-CN': '监督对象（问题或整改措施）不存在、不属于该单位或不在您的监督条线内',
    'zh-TW': '監督對象（問題或整改措施）不存在、不屬於該單位或不在您的監督條線內',
    en: "The target problem or measure does not exist, is not the unit's, or is outside your line",
  },
  SUPERVISION_ROUND_UNIT_MISMATCH: {
    'zh-CN': '所选巡察轮次单位不属于该单位',
    'zh-TW': '所選巡察輪次單位不屬於該單位',
    en: 'The round-unit does not belong to that unit',
  },
  SUPERVISION_PLAN_UNKNOWN: {
    'zh-CN': '所选监督计划不存在或不属于该单位',
    'zh-TW': '所選監督計劃不存在或不屬於該單位',
    en: 'The supervision plan does not exist or is not for that unit',
  },
  SUPERVISION_NOT_ISSUER: {
    'zh-CN': '只有制定（发出）单位或巡察办可以修改',
    'zh-TW': '只有制定（發出）單位或巡察辦可以修改',
    en: 'Only the issuing organisation or the inspection office may change it',
  },
  SUPERVISION_DATE_INVALID: {
    'zh-CN': '日期无效：{detail}',
    'zh-TW': '日期無效：{detail}',
    en: 'Invalid date: {detail}',
  },
  SUPERVISION_DEADLINE_REQUIRED: {
    'zh-CN': '要求回复时须填写回复期限，且不早于督办日期',
    'zh-TW': '要求回覆時須填寫回覆期限，且不早於督辦日期',
    en: 'A required response needs a deadline, not before the action date',
  },
  SUPERVISION_FILES_NOT_ALLOWED: {
    'zh-CN': '该事项未关联巡察轮次单位，不能附佐证材料',
    'zh-TW': '該事項未關聯巡察輪次單位，不能附佐證材料',
    en: 'This item has no round-unit: no evidence files can be attached',
  },
  SUPERVISION_NO_DOCUMENT: {
    'zh-CN': '只有跟踪督办（督办单）和监察建议书可以生成文书',
    'zh-TW': '只有跟蹤督辦（督辦單）和監察建議書可以產生文書',
    en: 'Only 督办单 (follow-up urging) and 监察建议书 (supervision proposals) are printed as documents',
  },
  DISPATCH_ITEM_DEADLINE_INVALID: {
    'zh-CN': '派单事项的期限不能晚于派单期限',
    'zh-TW': '派單事項的期限不能晚於派單期限',
    en: "An item's deadline cannot be after the order's deadline",
  },
  SUPERVISION_TASK_OWNER_UNKNOWN: {
    'zh-CN': '责任单位不存在或已停用，或责任人不属于该单位',
    'zh-TW': '責任單位不存在或已停用，或責任人不屬於該單位',
    en: 'The owner organisation does not exist or is inactive, or the person is not of it',
  },
  SUPERVISION_TASK_DEADLINE_INVALID: {
    'zh-CN': '任务完成时限不得早于沟通会召开日期',
    'zh-TW': '任務完成時限不得早於溝通會召開日期',
    en: 'A task deadline cannot be before the day the meeting was held',
  },
  SUPERVISION_NOT_TASK_OWNER: {
    'zh-CN': '只有责任单位（指定责任人时为该责任人）可以报告办理情况',
    'zh-TW': '只有責任單位（指定責任人時為該責任人）可以報告辦理情況',
    en: 'Only the owner organisation (the named person, where one is named) may report on the task',
  },
  SUPERVISION_ROUND_UNKNOWN: {
    'zh-CN': '巡察轮次不存在',
    'zh-TW': '巡察輪次不存在',
    en: 'The round does not exist',
  },
} as const satisfies Record<string, Record<'zh-CN' | 'zh-TW' | 'en', string>>;
