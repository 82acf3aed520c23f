import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.ts';

export type Database = PostgresJsDatabase<typeof schema>;
/** A transaction handle; queries accept either, so a caller can pass its transaction as `db`. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Executor = Database | Transaction;

export interface DatabaseConnection {
  db: Database;
  sql: postgres.Sql;
  close: () => Promise<void>;
}

type Unsafe = postgres.Sql['unsafe'];
type TransactionCallback = (sql: postgres.TransactionSql) => unknown;

/**
 * drizzle asks postgres.js to prepare only the queries given a name, so every other statement was
 * parsed and planned again on each request. postgres.js keeps prepared statements per connection,
 * keyed by their text (values are always parameters), so preparing everything costs one parse per
 * statement shape and connection. Transactions and savepoints hand out their own handles: those
 * are wrapped the same way.
 */
function preparingEverything<T extends postgres.Sql | postgres.TransactionSql>(sql: T): T {
  const inTransaction =
    (open: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      const callback = args.at(-1) as TransactionCallback;
      return open(...args.slice(0, -1), (tx: postgres.TransactionSql) => callback(preparingEverything(tx)));
    };
  return new Proxy(sql, {
    get(target, key, receiver) {
      if (key === 'unsafe') {
        const unsafe: Unsafe = (query, parameters, options) =>
          target.unsafe(query, parameters, { ...options, prepare: true });
        return unsafe;
      }
      if (key === 'begin' || key === 'savepoint') {
        const open = Reflect.get(target, key, receiver) as (...args: unknown[]) => unknown;
        return inTransaction(open.bind(target));
      }
      return Reflect.get(target, key, receiver);
    },
  });
}

/** Opens a pooled connection; `max` is kept small because the machines have 2 cores. */
export function connectDatabase(url: string, options: { max?: number } = {}): DatabaseConnection {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connect_timeout: 5,
  });
  const db = drizzle(preparingEverything(sql), { schema, casing: 'snake_case' });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}
