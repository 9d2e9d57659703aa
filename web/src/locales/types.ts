/** The shape every translation must have: the same keys as zh-CN, every leaf a string. */
export type Translation<T> = { [K in keyof T]: T[K] extends string ? string : Translation<T[K]> };
