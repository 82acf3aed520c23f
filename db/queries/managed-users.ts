import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../client.ts';
import { users } from '../schema/index.ts';
import type { Locale, StaffUserKind } from '../../domain/vocabularies.ts';

const managedColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  kind: users.kind,
  organizationId: users.organizationId,
  locale: users.locale,
  secrecyBound: users.secrecyBound,
  disabled: users.disabled,
  version: users.version,
};

export type ManagedUserRow = Awaited<ReturnType<typeof findOrganizationUser>> & {};

/** The users of one organisation (never clients: they belong to no organisation), keyset on id. */
export async function listOrganizationUsers(
  db: Executor,
  organizationId: string,
  { limit, after }: { limit: number; after?: string },
) {
  const rows = await db
    .select(managedColumns)
    .from(users)
    .where(and(eq(users.organizationId, organizationId), after ? gt(users.id, after) : undefined))
    .orderBy(asc(users.id))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** One user of one organisation; null when the user is not in it. */
export async function findOrganizationUser(db: Executor, organizationId: string, userId: string) {
  const [row] = await db
    .select(managedColumns)
    .from(users)
    .where(and(eq(users.organizationId, organizationId), eq(users.id, userId)));
  return row ?? null;
}

/** Whether an account with this e-mail address exists (case-insensitively). */
export async function emailTaken(db: Executor, email: string): Promise<boolean> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  return rows.length > 0;
}

export async function insertOrganizationUser(
  tx: Transaction,
  params: {
    organizationId: string;
    email: string;
    name: string;
    kind: StaffUserKind;
    locale: Locale;
    secrecyBound: boolean;
    passwordHash: string;
  },
) {
  const [row] = await tx.insert(users).values(params).returning(managedColumns);
  if (!row) throw new Error('user insert returned nothing');
  return row;
}

/** Changes a user if their version is still `expectedVersion`; null when it is not (stale). */
export async function updateOrganizationUser(
  tx: Transaction,
  organizationId: string,
  userId: string,
  expectedVersion: number,
  changes: {
    name?: string;
    locale?: Locale;
    secrecyBound?: boolean;
    disabled?: boolean;
    secrecyConfirmedBy?: string | null;
    secrecyConfirmedAt?: Date | null;
    secrecyProfession?: string | null;
  },
) {
  const [row] = await tx
    .update(users)
    .set({ ...changes, version: sql`${users.version} + 1`, updatedAt: sql`now()` })
    .where(
      and(eq(users.organizationId, organizationId), eq(users.id, userId), eq(users.version, expectedVersion)),
    )
    .returning(managedColumns);
  return row ?? null;
}
