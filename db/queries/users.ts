import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { PlanFacts } from '../../policies/index.ts';
import type { Executor } from '../client.ts';
import { planFactsFromJson, planFactsJson } from './plan-access.ts';
import { preparedOnce } from './prepared.ts';
import { organizations, sessions, users } from '../schema/index.ts';
import type { Locale } from '../../domain/vocabularies.ts';

/** The signed-in user as the server carries them through a request. */
export type SessionUser = NonNullable<Awaited<ReturnType<typeof findSessionUser>>>;

/**
 * Finds a user by e-mail address or by the sign-in name of an access letter (one never looks like
 * the other: a sign-in name has no `@`), case-insensitively, with what sign-in needs.
 */
export async function findUserForSignIn(db: Executor, login: string) {
  const key = login.toLowerCase();
  const [row] = await db
    .select({ id: users.id, passwordHash: users.passwordHash, disabled: users.disabled })
    .from(users)
    .where(key.includes('@') ? eq(sql`lower(${users.email})`, key) : eq(sql`lower(${users.signInName})`, key))
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

const sessionUserFields = {
  id: users.id,
  email: users.email,
  signInName: users.signInName,
  name: users.name,
  kind: users.kind,
  locale: users.locale,
  secrecyBound: users.secrecyBound,
  organizationId: users.organizationId,
  organizationName: organizations.name,
};

/** A session that is still open: not revoked, not expired, its user not disabled. */
const openSession = and(
  eq(sessions.id, sql.placeholder('sessionId')),
  isNull(sessions.revokedAt),
  gt(sessions.expiresAt, sql.placeholder('now')),
  eq(users.disabled, false),
);

// Run on every authenticated request.
const sessionUserQuery = preparedOnce((db) =>
  db
    .select(sessionUserFields)
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(organizations, eq(organizations.id, users.organizationId))
    .where(openSession)
    .limit(1)
    .prepare('find_session_user'),
);

const sessionUserWithPlanQuery = preparedOnce((db) =>
  db
    .select({
      ...sessionUserFields,
      planFacts: planFactsJson(users.id, sql.placeholder('planId')).mapWith((json: unknown) => json),
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(organizations, eq(organizations.id, users.organizationId))
    .where(openSession)
    .limit(1)
    .prepare('find_session_user_with_plan'),
);

/**
 * The user of a session that is still open: not revoked, not expired, user not disabled.
 * One prepared statement, run on every authenticated request.
 */
export async function findSessionUser(db: Executor, sessionId: string, now: Date) {
  const [row] = await sessionUserQuery(db).execute({ sessionId, now: now.toISOString() });
  return row ?? null;
}

/**
 * The user of a session that is still open, as `findSessionUser`, and in the same statement the
 * facts of the plan the request is about (null when there is no such plan): a plan request needs
 * one statement fewer. The facts are those of the session's own user, read now.
 */
export async function findSessionUserWithPlanFacts(
  db: Executor,
  sessionId: string,
  now: Date,
  planId: string,
): Promise<{ user: SessionUser; planFacts: PlanFacts | null } | null> {
  const [row] = await sessionUserWithPlanQuery(db).execute({ sessionId, now: now.toISOString(), planId });
  if (!row) return null;
  const { planFacts, ...user } = row;
  return { user, planFacts: planFactsFromJson(planFacts) };
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
