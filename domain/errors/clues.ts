/** Error codes of the clues feature (SPEC M8–M12), merged into ERROR_MESSAGES in domain/errors.ts. */
export const CLUE_ERRORS = {
  CLUE_ROUND_UNIT_UNKNOWN: {
    'zh-CN': '所选被巡察单位（轮次）不存在',
    'zh-TW': '所選被巡察單位（輪次）不存在',
    en: 'The round-unit does not exist',
  },
  CLUE_PROBLEM_MISMATCH: {
    'zh-CN': '所选问题不属于该被巡察单位',
    'zh-TW': '所選問題不屬於該被巡察單位',
    en: 'The problem does not belong to that round-unit',
  },
  CLUE_RECEIVER_INVALID: {
    'zh-CN': '接收单位须为纪检监察机关、组织部门或职能部门',
    'zh-TW': '接收單位須為紀檢監察機關、組織部門或職能部門',
    en: 'The receiving body must be an active discipline organ, the organisation department or a functional department',
  },
  CLUE_NOT_RECEIVER: {
    'zh-CN': '只有接收单位可以签收和处置问题线索',
    'zh-TW': '只有接收單位可以簽收和處置問題線索',
    en: 'Only the receiving body signs for and disposes of a clue',
  },
  CLUE_BAD_STATE: {
    'zh-CN': '问题线索当前状态不允许此操作',
    'zh-TW': '問題線索目前狀態不允許此操作',
    en: 'The clue is not in a state that allows this',
  },
  CLUE_DISPOSAL_DATE_INVALID: {
    'zh-CN': '处置日期须为有效日期，不早于移送日期且不晚于今天',
    'zh-TW': '處置日期須為有效日期，不早於移送日期且不晚於今天',
    en: 'The disposal date must be a real date between the day the clue was sent and today',
  },
  CLUE_KEY_MISMATCH: {
    'zh-CN': '问题线索无法解密：主密钥与加密时不一致',
    'zh-TW': '問題線索無法解密：主金鑰與加密時不一致',
    en: 'The clue cannot be decrypted: the master key is not the one it was encrypted with',
  },
  CLUE_TAMPERED: {
    'zh-CN': '问题线索密文校验失败，可能已被篡改',
    'zh-TW': '問題線索密文校驗失敗，可能已被竄改',
    en: 'The clue failed its integrity check and may have been tampered with',
  },
} as const satisfies Record<string, Record<'zh-CN' | 'zh-TW' | 'en', string>>;
