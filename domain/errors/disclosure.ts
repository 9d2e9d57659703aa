/** Error codes of the disclosure feature (SPEC M15), merged into ERROR_MESSAGES in domain/errors.ts. */
export const DISCLOSURE_ERRORS = {
  DISCLOSURE_TRANSITION_INVALID: {
    'zh-CN': '公开事项当前为“{from}”，不能改为“{to}”',
    'zh-TW': '公開事項目前為「{from}」，不能改為「{to}」',
    en: 'The disclosure item is "{from}" and cannot become "{to}"',
  },
  DISCLOSURE_NOT_EDITABLE: {
    'zh-CN': '只有草稿可以修改；已报审的内容请先退回',
    'zh-TW': '只有草稿可以修改；已報審的內容請先退回',
    en: 'Only a draft can be edited; return a submitted item first',
  },
  DISCLOSURE_CHANNEL_UNKNOWN: {
    'zh-CN': '发布渠道“{channel}”不在系统设置的渠道列表中',
    'zh-TW': '發布管道「{channel}」不在系統設定的管道列表中',
    en: 'The channel "{channel}" is not in the configured list',
  },
  DISCLOSURE_BATCH_EMPTY: {
    'zh-CN': '该批次没有处于“{from}”状态的事项',
    'zh-TW': '該批次沒有處於「{from}」狀態的事項',
    en: 'The batch has no item in state "{from}"',
  },
  DISCLOSURE_DATE_INVALID: {
    'zh-CN': '日期无效或晚于今天',
    'zh-TW': '日期無效或晚於今天',
    en: 'The date is invalid or after today',
  },
  DISCLOSURE_PROBLEM_TAKEN: {
    'zh-CN': '该问题已在其他未撤回的通报事项中',
    'zh-TW': '該問題已在其他未撤回的通報事項中',
    en: 'This problem is already in another item that was not withdrawn',
  },
} as const;
