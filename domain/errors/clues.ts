/** Error codes of the clues feature (SPEC M8–M12), merged into ERROR_MESSAGES in domain/errors.ts. */
export const CLUE_ERRORS = {} as const satisfies Record<string, Record<'zh-CN' | 'zh-TW' | 'en', string>>;
