import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { AccessCodePurpose, InvitedUserKind, Locale } from '../../domain/vocabularies.ts';
import type { Executor, Transaction } from '../client.ts';
import { accessCodes, organizations, users } from '../schema/index.ts';

/** A code or link that can still be used: not used, not revoked, not expired. */
function usable(now: Date) {
  return and(isNull(accessCodes.usedAt), isNull(accessCodes.revokedAt), gt(accessCodes.expiresAt, now));
}

export interface NewAccessCode {
  purpose: AccessCodePurpose;
  codeDigest: string;
  expiresAt: Date;
  userId?: string | null;
  planId?: string | null;
  memberId?: string | null;
  organizationId?: string | null;
  email?: string | null;
  name?: string | null;
  accountKind?: InvitedUserKind | null;
  statedProfession?: string | null;
  locale: Locale;
  createdBy?: string | null;
}

export async function insertAccessCode(tx: Executor, code: NewAccessCode): Promise<{ id: string }> {
  const [row] = await tx.insert(accessCodes).values(code).returning({ id: accessCodes.id });
  if (!row) throw new Error('access code insert returned nothing');
  return row;
}

/** Revokes the codes of one purpose still open for a user (a new letter ends the previous one). */
export async function revokeOpenCodesOfUser(
  tx: Executor,
  userId: string,
  purpose: AccessCodePurpose,
  now: Date,
): Promise<number> {
  const rows = await tx
    .update(accessCodes)
    .set({ revokedAt: now })
    .where(and(eq(accessCodes.userId, userId), eq(accessCodes.purpose, purpose), usable(now)))
    .returning({ id: accessCodes.id });
  return rows.length;
}

/** Revokes the invitations still open for a network member (a new one, or the member got an account). */
export async function revokeOpenInvitationsOfMember(
  tx: Executor,
  memberId: string,
  now: Date,
  except?: string,
) {
  await tx
    .update(accessCodes)
    .set({ revokedAt: now })
    .where(
      and(
        eq(accessCodes.memberId, memberId),
        eq(accessCodes.purpose, 'invitation'),
        usable(now),
        except ? ne(accessCodes.id, except) : undefined,
      ),
    );
}

const codeColumns = {
  id: accessCodes.id,
  purpose: accessCodes.purpose,
  userId: accessCodes.userId,
  planId: accessCodes.planId,
  memberId: accessCodes.memberId,
  organizationId: accessCodes.organizationId,
  organizationName: organizations.name,
  email: accessCodes.email,
  name: accessCodes.name,
  accountKind: accessCodes.accountKind,
  statedProfession: accessCodes.statedProfession,
  locale: accessCodes.locale,
  createdBy: accessCodes.createdBy,
  expiresAt: accessCodes.expiresAt,
  failedAttempts: accessCodes.failedAttempts,
};
export type AccessCodeRow = NonNullable<Awaited<ReturnType<typeof findUsableCode>>>;

/**
 * A usable code of this purpose by its digest, locked for the transaction that uses it, so that
 * two requests with the same code cannot both use it.
 */
export async function findUsableCode(
  tx: Executor,
  purpose: AccessCodePurpose,
  codeDigest: string,
  now: Date,
) {
  const [row] = await tx
    .select(codeColumns)
    .from(accessCodes)
    .leftJoin(organizations, eq(organizations.id, accessCodes.organizationId))
    .where(and(eq(accessCodes.codeDigest, codeDigest), eq(accessCodes.purpose, purpose), usable(now)))
    .for('update', { of: accessCodes });
  return row ?? null;
}

/**
 * The open access letter of the account with this sign-in name, locked: the code typed is
 * compared with its digest by the caller, and a wrong one counted on it.
 */
export async function findOpenLetterBySignInName(tx: Transaction, signInName: string, now: Date) {
  const [row] = await tx
    .select({ ...codeColumns, codeDigest: accessCodes.codeDigest, disabled: users.disabled })
    .from(accessCodes)
    .innerJoin(users, eq(users.id, accessCodes.userId))
    .leftJoin(organizations, eq(organizations.id, accessCodes.organizationId))
    .where(
      and(
        eq(sql`lower(${users.signInName})`, signInName.toLowerCase()),
        eq(accessCodes.purpose, 'activation'),
        usable(now),
      ),
    )
    .for('update', { of: accessCodes });
  return row ?? null;
}

/** Counts one wrong code typed for a letter; returns the count now. */
export async function countWrongCode(tx: Executor, codeId: string): Promise<number> {
  const [row] = await tx
    .update(accessCodes)
    .set({ failedAttempts: sql`${accessCodes.failedAttempts} + 1` })
    .where(eq(accessCodes.id, codeId))
    .returning({ failedAttempts: accessCodes.failedAttempts });
  return row?.failedAttempts ?? 0;
}

/** Marks a code used (once: the row was locked by `findUsableCode`). */
export async function markCodeUsed(tx: Executor, codeId: string, now: Date, userId?: string): Promise<void> {
  await tx
    .update(accessCodes)
    .set({ usedAt: now, ...(userId ? { userId } : {}) })
    .where(eq(accessCodes.id, codeId));
}

/** The latest access letter made for an account, for the lead's view of the client's access. */
export async function findLatestLetter(db: Executor, userId: string) {
  const [row] = await db
    .select({
      id: accessCodes.id,
      createdAt: accessCodes.createdAt,
      expiresAt: accessCodes.expiresAt,
      usedAt: accessCodes.usedAt,
      revokedAt: accessCodes.revokedAt,
      failedAttempts: accessCodes.failedAttempts,
    })
    .from(accessCodes)
    .where(and(eq(accessCodes.userId, userId), eq(accessCodes.purpose, 'activation')))
    .orderBy(sql`${accessCodes.createdAt} DESC`)
    .limit(1);
  return row ?? null;
}
