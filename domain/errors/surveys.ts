/** Error codes of the surveys feature (满意度测评, SPEC M11), merged into ERROR_MESSAGES in domain/errors.ts. */
export const SURVEY_ERRORS = {
  SURVEY_NOT_EDITABLE: {
    'zh-CN': '测评已发布，题目和单位不能再修改',
    'zh-TW': '測評已發布，題目和單位不能再修改',
    en: 'The survey has been opened; its questions and units can no longer be changed',
  },
  SURVEY_QUESTIONNAIRE_INVALID: {
    'zh-CN': '问卷不完整（{reason}）：至少一道单选题，每题至少两个选项，含“满意”和“不满意”类选项',
    'zh-TW': '問卷不完整（{reason}）：至少一道單選題，每題至少兩個選項，含「滿意」和「不滿意」類選項',
    en: 'The questionnaire is incomplete ({reason}): at least one single-choice question, each with two options or more, including a satisfied and a not-satisfied one',
  },
  SURVEY_UNITS_REQUIRED: {
    'zh-CN': '请先选择被测评的单位',
    'zh-TW': '請先選擇被測評的單位',
    en: 'Choose the units the survey is about first',
  },
  SURVEY_BATCH_UNIT: {
    'zh-CN': '该单位不在本次测评范围内',
    'zh-TW': '該單位不在本次測評範圍內',
    en: 'That unit is not part of this survey',
  },
  SURVEY_CLOSED: {
    'zh-CN': '测评已结束',
    'zh-TW': '測評已結束',
    en: 'The survey has closed',
  },
  SURVEY_NOT_OPEN: {
    'zh-CN': '测评尚未开始',
    'zh-TW': '測評尚未開始',
    en: 'The survey has not started yet',
  },
  SURVEY_CODE_UNKNOWN: {
    'zh-CN': '测评码无效，请核对后重新输入',
    'zh-TW': '測評碼無效，請核對後重新輸入',
    en: 'This survey code is not valid; check it and try again',
  },
  SURVEY_CODE_USED: {
    'zh-CN': '该测评码已使用，每个测评码只能提交一次',
    'zh-TW': '該測評碼已使用，每個測評碼只能提交一次',
    en: 'This code has already been used; each code answers once',
  },
  SURVEY_CODE_OTHER_SURVEY: {
    'zh-CN': '该测评码不属于本次测评',
    'zh-TW': '該測評碼不屬於本次測評',
    en: 'This code belongs to another survey',
  },
  SURVEY_ANSWERS_INVALID: {
    'zh-CN': '答卷不完整或有误（{reason}），请答完所有单选题',
    'zh-TW': '答卷不完整或有誤（{reason}），請答完所有單選題',
    en: 'The answers are incomplete or wrong ({reason}); answer every single-choice question',
  },
} as const satisfies Record<string, Record<'zh-CN' | 'zh-TW' | 'en', string>>;
