/** Table types of the reports feature's migration (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {}
}

export {};
