import { and, eq } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { members, users } from '../schema/index.ts';

/** A member of a plan with what consent decisions need about them and their account. */
export async function findMemberForConsent(db: Executor, planId: string, memberId: string) {
  const [row] = await db
    .select({
      id: members.id,
      kind: members.kind,
      status: members.status,
      coLead: members.coLead,
      removedAt: members.removedAt,
      userId: members.userId,
      userKind: users.kind,
      secrecyBound: users.secrecyBound,
      userOrganizationId: users.organizationId,
      name: users.name,
    })
    .from(members)
    .leftJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.planId, planId), eq(members.id, memberId)));
  return row ?? null;
}
