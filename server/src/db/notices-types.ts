/** Table types of the notices feature's migration (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {}
}

export {};
