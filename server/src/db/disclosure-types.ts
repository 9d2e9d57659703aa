/** Table types of the disclosure feature's migration (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {}
}

export {};
