/** Error codes of the evaluation feature, merged into ERROR_MESSAGES in domain/errors.ts. */
export const EVALUATION_ERRORS = {
  EVALUATION_NOT_DUE: {
    'zh-CN': '整改期满后才能进行检查考核评价（当前状态：{status}）',
    'zh-TW': '整改期滿後才能進行檢查考核評價（目前狀態：{status}）',
    en: 'The evaluation starts when the rectification period has ended (status now: {status})',
  },
  EVALUATION_FINALISED: {
    'zh-CN': '本轮评价已确定等次，不能再修改',
    'zh-TW': '本輪評價已確定等次，不能再修改',
    en: 'This evaluation has been finalised and can no longer be changed',
  },
  EVALUATION_INCOMPLETE: {
    'zh-CN': '还有考核指标未评分：{indicators}',
    'zh-TW': '還有考核指標未評分：{indicators}',
    en: 'Some indicators have no score yet: {indicators}',
  },
  EVALUATION_NO_GRADE: {
    'zh-CN': '得分 {score} 不对应任何评价等次，请检查评价等次的分数线',
    'zh-TW': '得分 {score} 不對應任何評價等次，請檢查評價等次的分數線',
    en: 'The score {score} earns no grade: check the grade thresholds',
  },
  EVALUATION_THRESHOLDS_INVALID: {
    'zh-CN': '评价等次的分数线无效（为空或有重复）',
    'zh-TW': '評價等次的分數線無效（為空或有重複）',
    en: 'The grade thresholds are unusable (none, or two at the same score)',
  },
  EVALUATION_SCORE_INVALID: {
    'zh-CN': '得分须在 0 至 {maxScore} 之间，最多两位小数',
    'zh-TW': '得分須在 0 至 {maxScore} 之間，最多兩位小數',
    en: 'The score must be between 0 and {maxScore} with at most two decimals',
  },
  EVALUATION_INDICATOR_COMPUTED: {
    'zh-CN': '该指标由整改台账自动计算，不能手工录入',
    'zh-TW': '該指標由整改台賬自動計算，不能手工錄入',
    en: 'This indicator is computed from the ledger and cannot be entered by hand',
  },
  EVALUATION_NOT_LIAISON: {
    'zh-CN': '只有该单位的联系监督单位才能在汇商会上提出意见',
    'zh-TW': '只有該單位的聯繫監督單位才能在匯商會上提出意見',
    en: "Only the unit's liaison supervisors give an opinion at the joint review",
  },
  EVALUATION_INTERVIEW_REQUIRED: {
    'zh-CN': '评为不合格须填写约谈对象（姓名）',
    'zh-TW': '評為不合格須填寫約談對象（姓名）',
    en: 'An unsatisfactory grade needs the person to be interviewed (name)',
  },
  EVALUATION_NO_PROBLEM: {
    'zh-CN': '该单位没有问题清单，无法关联约谈记录',
    'zh-TW': '該單位沒有問題清單，無法關聯約談記錄',
    en: 'The unit has no problems to tie the interview record to',
  },
  EVALUATION_CHECK_DATE_INVALID: {
    'zh-CN': '检查日期不能晚于今天',
    'zh-TW': '檢查日期不能晚於今天',
    en: 'The check date cannot be after today',
  },
} as const;
