import type { Compilable } from 'kysely';

const MARKER = '\u0000param:';

/**
 * A named placeholder for a statement built once with Kysely and executed many times. Kysely compiles each value to a
 * positional parameter; `compileTemplate` finds the markers again and returns a binder from names to positions.
 */
export function param<T = string>(name: string): T {
  return (MARKER + name) as unknown as T;
}

/**
 * A compiled statement: its dialect-specific SQL, a function that orders named values `P` into its parameters, and
 * the type `O` of its result rows as Kysely inferred it from the query (never present at run time).
 */
export interface SqlTemplate<P, O = unknown> {
  readonly sql: string;
  bind(values: P): unknown[];
  /** The row type, for the type checker only. */
  readonly row?: O;
}

/** The result row type of a compiled statement. */
export type RowOf<T> = T extends SqlTemplate<never, infer O> ? O : never;

/**
 * Compiles a Kysely query into a reusable template with parameters `P`, its row type inferred from the query:
 * `compileTemplate<{ id: string }>()(query)`. `param(...)` markers become named parameters, any other value (such as
 * `limit(1)`) stays a constant.
 */
export function compileTemplate<P extends object>(): <O>(query: Compilable<O>) => SqlTemplate<P, O> {
  return (query) => {
    const compiled = query.compile();
    const slots = compiled.parameters.map((value): { name: keyof P } | { constant: unknown } =>
      typeof value === 'string' && value.startsWith(MARKER)
        ? { name: value.slice(MARKER.length) as keyof P }
        : { constant: value },
    );
    return {
      sql: compiled.sql,
      bind: (values) => slots.map((slot) => ('name' in slot ? values[slot.name] : slot.constant)),
    };
  };
}
