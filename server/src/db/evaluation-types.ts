/** Table types of the evaluation feature's migration (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {}
}

export {};
