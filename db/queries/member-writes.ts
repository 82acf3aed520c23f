import { and, eq, isNull, sql } from 'drizzle-orm';
import type { ConsentMethod, LifeDomain, MemberKind, MemberStatus } from '../../domain/vocabularies.ts';
import type { Executor, Transaction } from '../client.ts';
import { members, organizations, users, visibilityDecisions } from '../schema/index.ts';

/**
 * A member of a plan that is still in the network (not removed), with what the policies check
 * (`planId`, `hidden`, `status`, `removedAt`…) and what the write rules need about its user.
 * Null when the plan has no such member.
 */
export async function findMemberForWrite(db: Executor, planId: string, memberId: string) {
  const [row] = await db
    .select({
      id: members.id,
      planId: members.planId,
      kind: members.kind,
      userId: members.userId,
      organizationId: members.organizationId,
      relation: members.relation,
      lifeDomains: members.lifeDomains,
      status: members.status,
      hidden: members.hidden,
      hiddenByClient: members.hiddenByClient,
      closeness: members.closeness,
      coLead: members.coLead,
      endedOn: members.endedOn,
      removedAt: members.removedAt,
      version: members.version,
      userOrganizationId: users.organizationId,
    })
    .from(members)
    .leftJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.planId, planId), eq(members.id, memberId), isNull(members.removedAt)));
  return row ?? null;
}

export type MemberForWrite = NonNullable<Awaited<ReturnType<typeof findMemberForWrite>>>;

/** A user who may be linked to a member: kind, organisation and whether the account is active. */
export async function findUserForMember(db: Executor, userId: string) {
  const [row] = await db
    .select({
      id: users.id,
      kind: users.kind,
      organizationId: users.organizationId,
      disabled: users.disabled,
    })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}

/** Whether an organisation exists in the directory. */
export async function organizationExists(db: Executor, organizationId: string): Promise<boolean> {
  const rows = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  return rows.length > 0;
}

/**
 * Whether the user already has a member in this plan that was not removed (current or past).
 * Takes a transaction-scoped lock on (plan, user) first, so that two concurrent additions of
 * the same person cannot both see "no member yet".
 */
export async function lockAndFindMemberOfUser(
  tx: Transaction,
  planId: string,
  userId: string,
): Promise<boolean> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`member:${planId}:${userId}`}, 0))`);
  const rows = await tx
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.planId, planId), eq(members.userId, userId), isNull(members.removedAt)));
  return rows.length > 0;
}

/** Adds a member to a plan's network; returns its id and version. */
export async function insertMember(
  tx: Transaction,
  values: {
    planId: string;
    kind: MemberKind;
    userId: string | null;
    organizationId: string | null;
    name: string | null;
    relation: string;
    lifeDomains: LifeDomain[];
    status: MemberStatus;
    hidden: boolean;
    closeness: number;
    coLead: boolean;
    endedOn: string | null;
  },
) {
  const [row] = await tx
    .insert(members)
    .values(values)
    .returning({ id: members.id, version: members.version });
  if (!row) throw new Error('member insert returned nothing');
  return row;
}

export interface MemberChanges {
  relation?: string;
  lifeDomains?: LifeDomain[];
  status?: MemberStatus;
  hidden?: boolean;
  hiddenByClient?: boolean;
  closeness?: number;
  coLead?: boolean;
  endedOn?: string | null;
}

/**
 * Changes a member if its version is still `expectedVersion` and it was not removed; null when
 * nothing matched (the caller tells 404 from 412).
 */
export async function updateMember(
  tx: Transaction,
  planId: string,
  memberId: string,
  expectedVersion: number,
  changes: MemberChanges,
) {
  const [row] = await tx
    .update(members)
    .set({ ...changes, version: sql`${members.version} + 1`, updatedAt: sql`now()` })
    .where(
      and(
        eq(members.planId, planId),
        eq(members.id, memberId),
        eq(members.version, expectedVersion),
        isNull(members.removedAt),
      ),
    )
    .returning({ id: members.id, version: members.version });
  return row ?? null;
}

/**
 * Removes a member from the network: `removed_at` is set and the row stays, so that grants and
 * the access log keep their history. Null when nothing matched.
 */
export async function removeMember(
  tx: Transaction,
  planId: string,
  memberId: string,
  expectedVersion: number,
) {
  const [row] = await tx
    .update(members)
    .set({ removedAt: sql`now()`, version: sql`${members.version} + 1`, updatedAt: sql`now()` })
    .where(
      and(
        eq(members.planId, planId),
        eq(members.id, memberId),
        eq(members.version, expectedVersion),
        isNull(members.removedAt),
      ),
    )
    .returning({ id: members.id, version: members.version });
  return row ?? null;
}

/** Records the client's decision to hide a member or show them again (append-only). */
export async function insertVisibilityDecision(
  tx: Transaction,
  decision: {
    planId: string;
    memberId: string;
    hidden: boolean;
    method: ConsentMethod;
    note: string | null;
    recordedBy: string;
  },
): Promise<void> {
  await tx.insert(visibilityDecisions).values(decision);
}

/** The client's visibility decisions in a plan, newest first, with who recorded them. */
export async function listVisibilityDecisions(db: Executor, planId: string) {
  return db
    .select({
      id: visibilityDecisions.id,
      memberId: visibilityDecisions.memberId,
      hidden: visibilityDecisions.hidden,
      method: visibilityDecisions.method,
      note: visibilityDecisions.note,
      recordedAt: visibilityDecisions.recordedAt,
      recordedById: users.id,
      recordedByName: users.name,
    })
    .from(visibilityDecisions)
    .innerJoin(users, eq(users.id, visibilityDecisions.recordedBy))
    .where(eq(visibilityDecisions.planId, planId))
    .orderBy(sql`${visibilityDecisions.recordedAt} DESC`)
    .limit(500);
}
