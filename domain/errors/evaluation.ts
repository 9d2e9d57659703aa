/** Error codes of the evaluation feature, merged into ERROR_MESSAGES in domain/errors.ts. */
export const EVALUATION_ERRORS = {} as const;
