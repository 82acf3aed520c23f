import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Whom the database statements of a piece of work run for: row-level security
 * (db/migrations/*_row_level_security.sql) reads it from `liaison.user_id` / `liaison.system`,
 * which db/client.ts sets with `set_config(…, true)` inside the transaction of every statement run
 * in a scope. Outside any scope (start-up, migrations, seeds) statements run as they are: the
 * application role then sees no plan-scoped row at all, while the owner of the embedded default, a
 * superuser, is never filtered by row-level security.
 */
export interface DatabaseScope {
  /** The signed-in user the statements read for; null until a request knows them. */
  userId: string | null;
  /** A network member without an account, read "as they would read" (see `readingAs`). */
  memberId: string | null;
  /** Work for nobody in particular that must see every row (see `asSystem`). */
  system: boolean;
  /**
   * Work someone waits for (a request): its transactions keep the pool's time limit
   * (`transactionTimeout` in db/client.ts). Background work that is not (the daily jobs) lifts it.
   */
  awaited: boolean;
}

const scopes = new AsyncLocalStorage<DatabaseScope>();

/** The scope of the work in progress, if any. */
export function currentScope(): DatabaseScope | undefined {
  return scopes.getStore();
}

/** Runs `work` (and everything it starts) in a scope of its own, acting for nobody yet: a request. */
export function runInNewScope<T>(work: () => T): T {
  return scopes.run({ userId: null, memberId: null, system: false, awaited: true }, work);
}

/** From now on, the statements of the current scope run for this user. */
export function actForUser(userId: string): void {
  const scope = scopes.getStore();
  if (!scope) throw new Error('actForUser outside a database scope (a request or runInNewScope)');
  scope.userId = userId;
}

/**
 * Runs `work` with every row visible, whatever the current scope. Only for what acts for nobody in
 * particular and hands out no plan content: looking up a session and the facts the policies are
 * built from, invitations and activation before an account exists, background jobs, aggregate
 * figures. Every use is a call of `asSystem` or `forNobody`; a content read never goes through here.
 */
export function asSystem<T>(work: () => T | PromiseLike<T>): Promise<T> {
  return inScope({ userId: null, memberId: null, system: true }, work);
}

/**
 * Runs `work` in `scope`, awaiting it there: a drizzle query is lazy and runs when awaited, so a
 * query returned unawaited would otherwise run after the scope has ended. Work inside a request
 * stays work someone waits for.
 */
function inScope<T>(scope: Omit<DatabaseScope, 'awaited'>, work: () => T | PromiseLike<T>): Promise<T> {
  return scopes.run({ ...scope, awaited: currentScope()?.awaited ?? false }, async () => await work());
}

/**
 * Runs `work` for another reader than the signed-in user: "see what they see" and the plan printed
 * for a member read what that member may read, so row-level security must withhold what the member
 * may not — a member with an account as that user, one without as their member row.
 */
export function readingAs<T>(
  reader: { userId: string } | { memberId: string },
  work: () => T | PromiseLike<T>,
): Promise<T> {
  return inScope(
    'userId' in reader
      ? { userId: reader.userId, memberId: null, system: false }
      : { userId: null, memberId: reader.memberId, system: false },
    work,
  );
}

/** `work` as a function that always runs `asSystem`: for the entry points of flows for nobody. */
export function forNobody<A extends unknown[], R>(
  work: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return (...args) => asSystem(() => work(...args));
}
