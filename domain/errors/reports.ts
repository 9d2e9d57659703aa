/** Error codes of the reports feature, merged into ERROR_MESSAGES in domain/errors.ts. */
export const REPORT_ERRORS = {} as const;
