import { and, eq, isNull, ne, notInArray, sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../client.ts';
import { closures, leadHandovers, members, planReopenings, plans, users } from '../schema/index.ts';

// Continuity of a plan (DESIGN.md, "Continuity"): the lead role handed over, a closed plan opened
// again for a new cycle. Every write takes the transaction of the change and its audit event.

/**
 * A colleague who may take over a plan of this organisation: a professional account of the same
 * organisation, not disabled (co-leads are such colleagues by definition). Null otherwise.
 */
export async function findHandoverTarget(db: Executor, organizationId: string, userId: string) {
  const [row] = await db
    .select({ id: users.id, name: users.name, locale: users.locale })
    .from(users)
    .where(
      and(
        eq(users.id, userId),
        eq(users.kind, 'professional'),
        eq(users.organizationId, organizationId),
        eq(users.disabled, false),
      ),
    );
  return row ?? null;
}

/** Makes `toUserId` the plan's lead if its version is still `expectedVersion` and it is open. */
export async function setPlanLead(
  tx: Transaction,
  params: { planId: string; expectedVersion: number; toUserId: string },
) {
  const [row] = await tx
    .update(plans)
    .set({ leadUserId: params.toUserId, version: sql`${plans.version} + 1`, updatedAt: sql`now()` })
    .where(
      and(eq(plans.id, params.planId), eq(plans.version, params.expectedVersion), ne(plans.phase, 'closed')),
    )
    .returning({ id: plans.id, version: plans.version });
  return row ?? null;
}

/** The user's current member row in the plan (a professional's, not removed), if any. */
export async function findCurrentMember(db: Executor, planId: string, userId: string) {
  const [row] = await db
    .select({ id: members.id, coLead: members.coLead })
    .from(members)
    .where(
      and(
        eq(members.planId, planId),
        eq(members.userId, userId),
        eq(members.kind, 'professional'),
        eq(members.status, 'current'),
        isNull(members.removedAt),
      ),
    );
  return row ?? null;
}

/** Changes a member's place in the plan: co-lead or not, or past since today. */
export async function setMemberRole(
  tx: Transaction,
  params: { planId: string; memberId: string },
  role: 'lead' | 'co_lead' | 'past',
): Promise<void> {
  await tx
    .update(members)
    .set({
      coLead: role === 'co_lead',
      ...(role === 'past' ? { status: 'past' as const, endedOn: sql`current_date` } : {}),
      version: sql`${members.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(members.planId, params.planId), eq(members.id, params.memberId)));
}

/** Adds a colleague of the plan's organisation to its network (as its lead, or a co-lead). */
export async function insertColleagueMember(
  tx: Transaction,
  params: { planId: string; userId: string; organizationId: string; relation: string; coLead: boolean },
): Promise<string> {
  const [row] = await tx
    .insert(members)
    .values({ ...params, kind: 'professional', closeness: 1 })
    .returning({ id: members.id });
  if (!row) throw new Error('member insert returned nothing');
  return row.id;
}

/** Records the handover and the client's consent to it. */
export async function insertLeadHandover(tx: Transaction, values: typeof leadHandovers.$inferInsert) {
  const [row] = await tx.insert(leadHandovers).values(values).returning();
  if (!row) throw new Error('lead_handovers insert returned nothing');
  return row;
}

/**
 * Opens a closed plan again at the start of the method (phase `registration`) if its version is
 * still `expectedVersion`; the closure of the cycle before moves to `plan_reopenings`, so that the
 * new cycle can end in its turn. Null when nothing matched (the caller tells 404, 409 and 412 apart).
 */
export async function reopenPlan(
  tx: Transaction,
  params: { planId: string; expectedVersion: number; reopenedBy: string; note: string | null },
) {
  const [before] = await tx
    .select({ closedAt: plans.closedAt })
    .from(plans)
    .where(
      and(eq(plans.id, params.planId), eq(plans.version, params.expectedVersion), eq(plans.phase, 'closed')),
    )
    .for('update');
  if (!before?.closedAt) return null;
  const [closure] = await tx.select().from(closures).where(eq(closures.planId, params.planId));
  const [reopening] = await tx
    .insert(planReopenings)
    .values({
      planId: params.planId,
      previousClosedAt: before.closedAt,
      previousClosedOn: closure?.closedOn ?? null,
      previousReason: closure?.reason ?? null,
      previousReasonKind: closure?.reasonKind ?? null,
      previousHandover: closure?.handover ?? null,
      note: params.note,
      reopenedBy: params.reopenedBy,
    })
    .returning({ id: planReopenings.id });
  if (closure) await tx.delete(closures).where(eq(closures.planId, params.planId));
  const [plan] = await tx
    .update(plans)
    .set({
      phase: 'registration',
      closedAt: null,
      nextEvaluationOn: null,
      version: sql`${plans.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(plans.id, params.planId))
    .returning({ id: plans.id, version: plans.version });
  if (!plan || !reopening) throw new Error('reopening the plan wrote nothing');
  return { reopeningId: reopening.id, version: plan.version };
}

/**
 * The network of the cycle before becomes past, but for the people named (the lead, the co-lead
 * who reopens): a new cycle starts with consent asked anew. Returns the member ids made past.
 */
export async function endMembersOfCycle(
  tx: Transaction,
  planId: string,
  keepUserIds: readonly string[],
): Promise<string[]> {
  const rows = await tx
    .update(members)
    .set({
      status: 'past',
      endedOn: sql`current_date`,
      coLead: false,
      version: sql`${members.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(members.planId, planId),
        eq(members.status, 'current'),
        isNull(members.removedAt),
        sql`(${members.userId} is null or ${notInArray(members.userId, [...keepUserIds])})`,
      ),
    )
    .returning({ id: members.id });
  return rows.map((row) => row.id);
}
