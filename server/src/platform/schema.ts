import { type TSchemaOptions, Type } from 'typebox';

/** A string-literal union from a readonly list (roles, statuses …), keeping the literal types. */
export function literalUnion<const T extends readonly string[]>(values: T, options: TSchemaOptions = {}) {
  return Type.Unsafe<T[number]>(
    Type.Union(
      values.map((v) => Type.Literal(v)),
      options,
    ),
  );
}
