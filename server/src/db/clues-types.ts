/** Table types of the clues feature's migration (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {}
}

export {};
