import type { Compilable } from 'kysely';

const MARKER = '\u0000param:';

/**
 * A named placeholder for a statement built once with Kysely and executed many times. Kysely compiles each value to a
 * positional parameter; `compileTemplate` finds the markers again and returns a binder from names to positions.
 */
export function param<T = string>(name: string): T {
  return (MARKER + name) as unknown as T;
}

/** A compiled statement: its dialect-specific SQL and a function that orders named values into its parameters. */
export interface SqlTemplate<P> {
  readonly sql: string;
  bind(values: P): unknown[];
}

/**
 * Compiles a Kysely query into a reusable template: `param(...)` markers become named parameters, any other value
 * (such as `limit(1)`) stays a constant.
 */
export function compileTemplate<P extends object>(query: Compilable): SqlTemplate<P> {
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
}
