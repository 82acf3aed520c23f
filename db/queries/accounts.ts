import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { Locale, UserKind } from '../../domain/vocabularies.ts';
import type { Executor } from '../client.ts';
import { clients, members, plans, sessions, users } from '../schema/index.ts';

// Accounts as people get them: by access letter, by invitation; their passwords and sessions.

export interface NewAccount {
  kind: UserKind;
  name: string;
  locale: Locale;
  email?: string | null;
  signInName?: string | null;
  organizationId?: string | null;
  passwordHash?: string | null;
  secrecyBound?: boolean;
  secrecyConfirmedBy?: string | null;
  secrecyProfession?: string | null;
  secrecyConfirmedAt?: Date | null;
}

/**
 * Inserts an account; null when its e-mail address or sign-in name is taken already (the caller
 * tries another sign-in name, or answers 409 for an e-mail address).
 */
export async function insertAccount(tx: Executor, account: NewAccount): Promise<{ id: string } | null> {
  const [row] = await tx.insert(users).values(account).onConflictDoNothing().returning({ id: users.id });
  return row ?? null;
}

/** The account of a user as the account screens need it. */
export async function findAccount(db: Executor, userId: string) {
  const [row] = await db
    .select({
      id: users.id,
      kind: users.kind,
      name: users.name,
      email: users.email,
      signInName: users.signInName,
      locale: users.locale,
      passwordHash: users.passwordHash,
      disabled: users.disabled,
    })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}

/** An account that may reset its password by e-mail: one with this address, not disabled. */
export async function findAccountByEmail(db: Executor, email: string) {
  const [row] = await db
    .select({ id: users.id, name: users.name, email: users.email, locale: users.locale })
    .from(users)
    .where(and(eq(sql`lower(${users.email})`, email.toLowerCase()), eq(users.disabled, false)));
  return row ?? null;
}

/** Locks an account's row for the transaction: two letters printed at once for it happen one after the other. */
export async function lockAccount(tx: Executor, userId: string): Promise<void> {
  await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
}

/** Sets (or, with null, clears) the password; the version moves on as for any change of the account. */
export async function setPasswordHash(
  tx: Executor,
  userId: string,
  passwordHash: string | null,
): Promise<void> {
  await tx
    .update(users)
    .set({ passwordHash, version: sql`${users.version} + 1`, updatedAt: sql`now()` })
    .where(eq(users.id, userId));
}

/**
 * Gives an account that signs in by e-mail a sign-in name too (its first access letter); false
 * when another account has that name already (the caller tries another).
 */
export async function setSignInName(tx: Executor, userId: string, signInName: string): Promise<boolean> {
  const rows = await tx
    .update(users)
    .set({ signInName, version: sql`${users.version} + 1`, updatedAt: sql`now()` })
    .where(
      and(
        eq(users.id, userId),
        isNull(users.signInName),
        sql`not exists (select 1 from ${users} taken where lower(taken.sign_in_name) = lower(${signInName}))`,
      ),
    )
    .returning({ id: users.id });
  return rows.length > 0;
}

/** Ends every open session of a user, except `keep` (the one asking); returns how many ended. */
export async function revokeSessionsOfUser(
  tx: Executor,
  userId: string,
  keep?: string | null,
): Promise<number> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(
      and(eq(sessions.userId, userId), isNull(sessions.revokedAt), keep ? ne(sessions.id, keep) : undefined),
    )
    .returning({ id: sessions.id });
  return rows.length;
}

/** The user's open sessions (their signed-in devices), newest first. */
export async function listOpenSessions(db: Executor, userId: string, now: Date) {
  return db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      expiresAt: sessions.expiresAt,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.createdAt))
    .limit(100);
}

/** Ends one of the user's own sessions; false when it is not theirs or already ended. */
export async function revokeOwnSession(db: Executor, userId: string, sessionId: string): Promise<boolean> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}

/** The client of a plan, with their account if they have one. */
export async function findPlanClient(db: Executor, planId: string) {
  const [row] = await db
    .select({
      clientId: clients.id,
      firstName: clients.firstName,
      lastName: clients.lastName,
      preferredLanguage: clients.preferredLanguage,
      userId: clients.userId,
      signInName: users.signInName,
      email: users.email,
      activated: sql<boolean>`${users.passwordHash} IS NOT NULL`,
      disabled: users.disabled,
    })
    .from(plans)
    .innerJoin(clients, eq(clients.id, plans.clientId))
    .leftJoin(users, eq(users.id, clients.userId))
    .where(eq(plans.id, planId));
  return row ?? null;
}

/** Links a client to their new account; false when they have one already (linked in the meantime). */
export async function linkClientAccount(tx: Executor, clientId: string, userId: string): Promise<boolean> {
  const rows = await tx
    .update(clients)
    .set({ userId, version: sql`${clients.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(clients.id, clientId), isNull(clients.userId)))
    .returning({ id: clients.id });
  return rows.length > 0;
}

/** A network member as an invitation or a supporter's letter needs them. */
export async function findMemberForAccount(db: Executor, planId: string, memberId: string) {
  const [row] = await db
    .select({
      id: members.id,
      kind: members.kind,
      name: members.name,
      userId: members.userId,
      organizationId: members.organizationId,
      status: members.status,
      removedAt: members.removedAt,
      signInName: users.signInName,
      activated: sql<boolean>`${users.passwordHash} IS NOT NULL`,
    })
    .from(members)
    .leftJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.planId, planId), eq(members.id, memberId)));
  return row ?? null;
}

/** Links a member without an account to the account made for them; false when it has one already. */
export async function linkMemberAccount(tx: Executor, memberId: string, userId: string): Promise<boolean> {
  const rows = await tx
    .update(members)
    .set({ userId, version: sql`${members.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(members.id, memberId), isNull(members.userId)))
    .returning({ id: members.id });
  return rows.length > 0;
}

/** Whether an organisation has an admin in Liaison, who then confirms the secrecy flag of its people. */
export async function organizationHasAdmin(db: Executor, organizationId: string): Promise<boolean> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.organizationId, organizationId), eq(users.kind, 'admin'), eq(users.disabled, false)))
    .limit(1);
  return rows.length > 0;
}
