/** Error codes of the notices feature, merged into ERROR_MESSAGES in domain/errors.ts. */
export const NOTICE_ERRORS = {} as const;
