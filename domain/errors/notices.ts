/** Error codes of the notices feature, merged into ERROR_MESSAGES in domain/errors.ts. */
export const NOTICE_ERRORS = {
  NOTICE_DELIVERY_NOT_FAILED: {
    'zh-CN': '只有发送失败的投递才能重新发送（当前状态：{status}）',
    'zh-TW': '只有傳送失敗的投遞才能重新傳送（目前狀態：{status}）',
    en: 'Only a failed delivery can be sent again (current state: {status})',
  },
} as const;
