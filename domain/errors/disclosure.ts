/** Error codes of the disclosure feature, merged into ERROR_MESSAGES in domain/errors.ts. */
export const DISCLOSURE_ERRORS = {} as const;
