/** Table types of the handover feature's migration (camelCase; see types.ts). */
declare module './types.js' {
  interface DB {}
}

export {};
