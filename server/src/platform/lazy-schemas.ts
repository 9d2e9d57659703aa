import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

/**
 * Fastify's own compilers (Ajv for request schemas, fast-json-stringify for responses), but each
 * route's function is compiled when the route is first used instead of at boot. With some 290 routes
 * and a documented problem response for each status code, compiling everything at boot took about
 * half of the server's start (3 s of 6 on two cores) and tens of megabytes of heap for functions most
 * processes never call — a restart after a crash, and the memory an export has to itself, paid for it.
 *
 * A schema that does not compile would only show on its first request, so `compileAll` forces every
 * one: the test suite calls it on the whole app (server/src/platform/lazy-schemas.test.ts).
 */

type Compile = (routeSchema: unknown) => (...args: unknown[]) => unknown;
type Builder = (externalSchemas: unknown, options: unknown) => Compile;

interface Lazy {
  (...args: unknown[]): unknown;
  force(): void;
}

function lazyValidator(compile: Compile, routeSchema: unknown): Lazy {
  let fn: ((...args: unknown[]) => unknown) & { errors?: unknown };
  const lazy = ((data: unknown, dataCxt?: unknown) => {
    fn ??= compile(routeSchema);
    const ok = fn(data, dataCxt);
    // Fastify reads the errors from the function it called.
    (lazy as unknown as { errors?: unknown }).errors = fn.errors;
    return ok;
  }) as Lazy & { schemaEnv: boolean };
  // Fastify passes the parent object (so that Ajv may coerce or default a root value) only to a
  // function that looks like Ajv's; the compiled one will be.
  lazy.schemaEnv = true;
  lazy.force = () => {
    fn ??= compile(routeSchema);
  };
  return lazy;
}

function lazySerializer(compile: Compile, routeSchema: unknown): Lazy {
  let fn: ((data: unknown) => unknown) | undefined;
  const lazy = ((data: unknown) => {
    fn ??= compile(routeSchema);
    return fn(data);
  }) as Lazy;
  lazy.force = () => {
    fn ??= compile(routeSchema);
  };
  return lazy;
}

/**
 * For one app: `compilersFactory` goes to `Fastify({ schemaController: { compilersFactory } })`;
 * `compileAll` compiles every schema the app has deferred, throws the first that does not compile,
 * and says how many there are.
 */
export function lazySchemas() {
  const made = new Set<Lazy>();
  const lazily =
    (builder: Builder, wrap: (compile: Compile, routeSchema: unknown) => Lazy): Builder =>
    (externalSchemas, options) => {
      const compile = builder(externalSchemas, options);
      return (routeSchema) => {
        const lazy = wrap(compile, routeSchema);
        made.add(lazy);
        return lazy;
      };
    };
  // Fastify's types describe Ajv's functions; these stand in for them (see lazyValidator).
  const compilersFactory = {
    buildValidator: lazily(AjvCompiler() as unknown as Builder, lazyValidator),
    buildSerializer: lazily(SerializerSelector() as unknown as Builder, lazySerializer),
  } as unknown as NonNullable<FastifyServerOptions['schemaController']>['compilersFactory'];
  return {
    compilersFactory,
    compileAll(): number {
      for (const lazy of made) lazy.force();
      return made.size;
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Compiles every deferred schema of this app (see lazySchemas); the number of them. */
    compileAllSchemas(): number;
  }
}
