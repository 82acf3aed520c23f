import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { organizations, sessions, users } from '../schema/index.ts';
import type { Locale } from '../../policies/sections.ts';

/** The signed-in user as the server carries them through a request. */
export type SessionUser = NonNullable<Awaited<ReturnType<typeof findSessionUser>>>;

/** Finds a user by e-mail address, case-insensitively, with what sign-in needs. */
export async function findUserForSignIn(db: Executor, email: string) {
  const [row] = await db
    .select({ id: users.id, passwordHash: users.passwordHash, disabled: users.disabled })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()))
    .limit(1);
  return row ?? null;
}

/** Opens a session for a user and returns its id. */
export async function createSession(
  db: Executor,
  params: { userId: string; expiresAt: Date; userAgent: string | null },
): Promise<string> {
  const [row] = await db
    .insert(sessions)
    .values({
      userId: params.userId,
      expiresAt: params.expiresAt,
      userAgent: params.userAgent?.slice(0, 500),
    })
    .returning({ id: sessions.id });
  if (!row) throw new Error('session insert returned nothing');
  return row.id;
}

function prepareSessionUserQuery(db: Executor) {
  return db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      kind: users.kind,
      locale: users.locale,
      secrecyBound: users.secrecyBound,
      organizationId: users.organizationId,
      organizationName: organizations.name,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(organizations, eq(organizations.id, users.organizationId))
    .where(
      and(
        eq(sessions.id, sql.placeholder('sessionId')),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql.placeholder('now')),
        eq(users.disabled, false),
      ),
    )
    .limit(1)
    .prepare('find_session_user');
}

// Run on every authenticated request: the query is built once per database handle (every
// statement is a prepared statement in postgres.js; this also spares drizzle building it).
const sessionUserQueries = new WeakMap<Executor, ReturnType<typeof prepareSessionUserQuery>>();

/**
 * The user of a session that is still open: not revoked, not expired, user not disabled.
 * One prepared statement, run on every authenticated request.
 */
export async function findSessionUser(db: Executor, sessionId: string, now: Date) {
  let query = sessionUserQueries.get(db);
  if (!query) {
    query = prepareSessionUserQuery(db);
    sessionUserQueries.set(db, query);
  }
  const [row] = await query.execute({ sessionId, now: now.toISOString() });
  return row ?? null;
}

/** Ends a session; the next request carrying its token is refused. */
export async function revokeSession(db: Executor, sessionId: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** Changes the user's interface language. */
export async function updateUserLocale(db: Executor, userId: string, locale: Locale): Promise<void> {
  await db
    .update(users)
    .set({ locale, version: sql`${users.version} + 1`, updatedAt: sql`now()` })
    .where(eq(users.id, userId));
}

/** Disables or re-enables a user; their open sessions are refused from the next request. */
export async function setUserDisabled(db: Executor, userId: string, disabled: boolean): Promise<void> {
  await db
    .update(users)
    .set({ disabled, version: sql`${users.version} + 1`, updatedAt: sql`now()` })
    .where(eq(users.id, userId));
}
