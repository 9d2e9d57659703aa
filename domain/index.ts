export * from './calendar.js';
export * from './dictionaries.js';
export * from './errors.js';
export * from './money.js';
export * from './password.js';
export * from './rectification.js';
export * from './roles.js';
