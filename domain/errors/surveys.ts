/** Error codes of the surveys feature, merged into ERROR_MESSAGES in domain/errors.ts. */
export const SURVEY_ERRORS = {} as const;
