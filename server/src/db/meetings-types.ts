/** Table types of the meetings feature's migration (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {}
}

export {};
