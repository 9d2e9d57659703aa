/** Table types of the surveys feature's migration (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {}
}

export {};
