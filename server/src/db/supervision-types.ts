/** Table types of the supervision feature's migration (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {}
}

export {};
