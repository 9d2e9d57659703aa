/** Error codes of the dashboard feature, merged into ERROR_MESSAGES in domain/errors.ts. */
export const DASHBOARD_ERRORS = {} as const;
