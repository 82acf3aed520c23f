import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.ts';
import { currentScope, type DatabaseScope } from './scope.ts';

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
 * How many different statement texts are ever prepared. Statements are written so that their text
 * does not depend on the data (lists are one array parameter), so real use stays far below; the
 * bound keeps a statement whose text would vary anyway from filling every connection's memory:
 * past it, new texts run unprepared.
 */
const MAX_PREPARED_TEXTS = 2_000;

/**
 * drizzle asks postgres.js to prepare only the queries given a name, so every other statement was
 * parsed and planned again on each request. postgres.js keeps prepared statements per connection,
 * keyed by their text (values are always parameters), so preparing everything costs one parse per
 * statement text and connection. Transactions and savepoints hand out their own handles: those
 * are wrapped the same way.
 */
function preparingStatements<T extends postgres.Sql | postgres.TransactionSql>(
  sql: T,
  texts: Set<string> = new Set(),
): T {
  const shouldPrepare = (query: string) => {
    if (texts.has(query)) return true;
    if (texts.size >= MAX_PREPARED_TEXTS) return false;
    texts.add(query);
    return true;
  };
  const inTransaction =
    (open: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      const callback = args.at(-1) as TransactionCallback;
      return open(...args.slice(0, -1), (tx: postgres.TransactionSql) =>
        callback(preparingStatements(tx, texts)),
      );
    };
  return new Proxy(sql, {
    get(target, key, receiver) {
      if (key === 'unsafe') {
        const unsafe: Unsafe = (query, parameters, options) =>
          target.unsafe(query, parameters, { ...options, prepare: shouldPrepare(query) });
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

/** Sets whom the transaction's statements run for (row-level security: db/migrations/*_row_level_security.sql). */
const SET_SCOPE =
  "select set_config('liaison.user_id', $1, true), set_config('liaison.member_id', $2, true), " +
  "set_config('liaison.system', $3, true)";
/** The same, and no time limit for this transaction (background work nobody waits for). */
const SET_SCOPE_UNLIMITED = `${SET_SCOPE}, set_config('transaction_timeout', '0', true)`;

type ScopeSettings = { values: [userId: string, memberId: string, system: string]; unlimited: boolean };

/** The scope's settings, or null when statements run as they are. */
function scopeSettings(scope: DatabaseScope | undefined): ScopeSettings | null {
  if (!scope) return null;
  const unlimited = !scope.awaited;
  if (scope.system) return { values: ['', '', 'on'], unlimited };
  if (scope.userId) return { values: [scope.userId, '', ''], unlimited };
  return scope.memberId ? { values: ['', scope.memberId, ''], unlimited } : null;
}

/**
 * Every statement run in a database scope (db/scope.ts) runs in a transaction that first sets
 * whom it runs for with `set_config(…, true)`: the setting lives exactly as long as the
 * transaction, so a pooled connection never carries one request's user into another's statement.
 * A statement outside a transaction gets one of its own; the setting and the statement are sent
 * together (pipelined), so the cost is the BEGIN and COMMIT around them.
 */
function scopedByCurrentUser(sql: postgres.Sql, timeLimited: boolean): postgres.Sql {
  const begin = (settings: ScopeSettings, callback: TransactionCallback) =>
    sql.begin((tx) => {
      // Not awaited: sent before the callback's statements on the same connection. Should it fail,
      // the transaction is aborted and so is every statement after it.
      tx.unsafe(timeLimited && settings.unlimited ? SET_SCOPE_UNLIMITED : SET_SCOPE, settings.values).catch(
        () => {},
      );
      return callback(tx);
    });
  const unsafe = (query: string, parameters?: unknown[], options?: postgres.UnsafeQueryOptions) => {
    const settings = scopeSettings(currentScope());
    if (!settings) return sql.unsafe(query, parameters as postgres.ParameterOrJSON<never>[], options);
    const run = (asValues: boolean) =>
      begin(settings, (tx) => {
        const statement = tx.unsafe(query, parameters as postgres.ParameterOrJSON<never>[], options);
        return asValues ? statement.values() : statement;
      });
    // drizzle either awaits the statement or asks for its `values()` (rows as arrays).
    return {
      then: (resolve: (rows: unknown) => unknown, reject: (error: unknown) => unknown) =>
        run(false).then(resolve, reject),
      values: () => run(true),
    };
  };
  return new Proxy(sql, {
    get(target, key, receiver) {
      if (key === 'unsafe') return unsafe;
      if (key === 'begin')
        return (...args: unknown[]) => {
          const settings = scopeSettings(currentScope());
          const callback = args.at(-1) as TransactionCallback;
          if (!settings) return (target.begin as (...a: unknown[]) => unknown)(...args);
          if (args.length > 1) throw new Error('transaction options are not supported in a database scope');
          return begin(settings, callback);
        };
      return Reflect.get(target, key, receiver);
    },
  });
}

/**
 * Opens a pooled connection; `max` is kept small because the machines have 2 cores.
 * `transactionTimeout` (PostgreSQL 17 and later, e.g. '8s') ends the session of any transaction
 * that lasts longer, which answers 503 and frees the connection: a transaction whose connection
 * lost track of its backend when the backend was killed was seen waiting forever, its request
 * unanswered (issue 16's fault suite, 1 in about 5 runs of 60 kills; postgres.js 3.4.9).
 * Background work nobody waits for lifts it for its own transactions.
 */
export function connectDatabase(
  url: string,
  options: { max?: number; transactionTimeout?: string } = {},
): DatabaseConnection {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    ...(options.transactionTimeout
      ? { connection: { transaction_timeout: options.transactionTimeout } }
      : {}),
    connect_timeout: 5,
    // postgres.js waits before reconnecting, growing with failed connects counted across the pool
    // (3^n/100 s, up to 20 s), and a query handed to a waiting connection waits with it: after a
    // PostgreSQL restart, requests hung for up to 20 s and health said unreachable for seconds after
    // it was back. Reconnect within half a second; a refused connect is still answered 503 at once.
    backoff: (retries: number) => Math.min(0.01 * 2 ** retries, 0.5),
    // PostgreSQL chooses between custom and generic plans itself (plan_cache_mode = auto): forcing
    // generic plans halved the database time of S1 at XS, but at L the audit event of S4 took 23 ms
    // and a deep page of the access log 36 ms (bench/RESULTS.md, issue 18 note).
  });
  const db = drizzle(
    scopedByCurrentUser(preparingStatements(sql), options.transactionTimeout !== undefined),
    {
      schema,
      casing: 'snake_case',
    },
  );
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

/** Whether the server has `transaction_timeout` (PostgreSQL 17 and later): asked once at start. */
export async function supportsTransactionTimeout(url: string): Promise<boolean> {
  const probe = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const [row] = await probe<
      { version: number }[]
    >`select current_setting('server_version_num')::int as version`;
    return (row?.version ?? 0) >= 170_000;
  } finally {
    await probe.end({ timeout: 5 });
  }
}
