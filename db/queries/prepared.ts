import type { Executor } from '../client.ts';

/**
 * A query built once per database handle (the pool, or a transaction) and then only executed with
 * its placeholders: for the statements of every request, drizzle does not build them again.
 */
export function preparedOnce<Q>(build: (db: Executor) => Q): (db: Executor) => Q {
  const built = new WeakMap<Executor, Q>();
  return (db) => {
    let query = built.get(db);
    if (!query) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}
