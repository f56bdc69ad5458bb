import type { Compilable, CompiledQuery, Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- the executor may be any database or transaction */
/**
 * A query built and compiled once, then run with new values: for the hot paths (every request's
 * access-key lookup, Show), where building and compiling the query cost more than running it.
 *
 * `build` is called once with a marker per argument; each marker must land in the compiled SQL as
 * exactly one bound parameter (a plain `column = value` comparison), which is checked here.
 */
export function prepareQuery<Args extends unknown[], Row>(
  arity: Args['length'],
  build: (...args: Args) => Compilable<Row>,
): (executor: Kysely<any>, ...args: Args) => Promise<Row[]> {
  const markers = Array.from({ length: arity }, (_, index) => ({ preparedQueryArgument: index }));
  const template: CompiledQuery<Row> = build(...(markers as unknown as Args)).compile();
  const positions = template.parameters.map((parameter) => markers.indexOf(parameter as (typeof markers)[number]));
  if (positions.some((position) => position < 0) || new Set(positions).size !== arity) {
    throw new Error(`prepared query needs each argument bound exactly once: ${template.sql}`);
  }
  return async (executor, ...args) => {
    const result = await executor.executeQuery<Row>({ ...template, parameters: positions.map((position) => args[position]) });
    return result.rows;
  };
}
