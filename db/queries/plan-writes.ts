import { randomUUID } from 'node:crypto';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Section } from '../../domain/sections.ts';
import type { ClosureReason, Phase } from '../../domain/vocabularies.ts';
import type { Executor, Transaction } from '../client.ts';
import { appendAuditEvent } from './audit.ts';
import { clients, closures, members, planRequests, plans } from '../schema/index.ts';

/** A plan's state as the lifecycle routes need it. */
export async function findPlanState(db: Executor, planId: string) {
  const [row] = await db
    .select({ id: plans.id, phase: plans.phase, version: plans.version, closedAt: plans.closedAt })
    .from(plans)
    .where(eq(plans.id, planId));
  return row ?? null;
}

/** Who leads a new plan, and the request it starts with. */
interface NewPlan {
  organizationId: string;
  leadUserId: string;
  leadRelation: string;
  /** The request in the client's own words, as registered; empty when none was given. */
  clientWords: string;
}

/**
 * Registers a client and opens their plan in phase `registration`, with the lead as a current
 * professional member of the network. Returns the new ids and the plan's version.
 */
export async function insertPlanWithClient(
  tx: Transaction,
  params: NewPlan & {
    client: {
      firstName: string;
      lastName: string;
      birthDate: string | null;
      phone: string | null;
      email: string | null;
      address: string | null;
      preferredLanguage: string | null;
      needsInterpreter: boolean;
    };
  },
) {
  // The id is chosen here rather than returned: row-level security lets nobody read a client row
  // before its plan exists (db/migrations/*_row_level_security.sql).
  const client = { id: randomUUID() };
  await tx.insert(clients).values({ id: client.id, organizationId: params.organizationId, ...params.client });
  const opened = await insertPlanForClient(tx, { ...params, clientId: client.id, previousPlanId: null });
  return { clientId: client.id, ...opened };
}

/**
 * Opens a plan for a registered client in phase `registration`, the lead a current professional
 * member of its network and the request there from the start (empty when not given, so that the
 * client can write their own words in it); `previousPlanId` links a returning client's new plan
 * to their earlier one.
 */
export async function insertPlanForClient(
  tx: Transaction,
  params: NewPlan & { clientId: string; previousPlanId: string | null },
) {
  const [plan] = await tx
    .insert(plans)
    .values({
      clientId: params.clientId,
      leadUserId: params.leadUserId,
      organizationId: params.organizationId,
      phase: 'registration',
      previousPlanId: params.previousPlanId,
    })
    .returning({ id: plans.id, version: plans.version });
  if (!plan) throw new Error('plan insert returned nothing');
  const [member] = await tx
    .insert(members)
    .values({
      planId: plan.id,
      kind: 'professional',
      userId: params.leadUserId,
      organizationId: params.organizationId,
      relation: params.leadRelation,
      closeness: 1,
    })
    .returning({ id: members.id });
  if (!member) throw new Error('member insert returned nothing');
  await tx
    .insert(planRequests)
    .values({ planId: plan.id, updatedBy: params.leadUserId, clientWords: params.clientWords });
  return { planId: plan.id, memberId: member.id, version: plan.version };
}

/** The client a plan is about, with the version of their registration details. */
export async function findPlanClient(db: Executor, planId: string) {
  const [row] = await db
    .select({ id: clients.id, version: clients.version })
    .from(clients)
    .innerJoin(plans, eq(plans.clientId, clients.id))
    .where(eq(plans.id, planId));
  return row ?? null;
}

/**
 * Changes the registration details of the plan's client if they are still at `expectedVersion`;
 * null when nothing matched (another change came first).
 */
export async function updatePlanClient(
  tx: Transaction,
  planId: string,
  expectedVersion: number,
  changes: Partial<{
    firstName: string;
    lastName: string;
    birthDate: string | null;
    phone: string | null;
    email: string | null;
    address: string | null;
    preferredLanguage: string | null;
    needsInterpreter: boolean;
  }>,
) {
  const [row] = await tx
    .update(clients)
    .set({ ...changes, version: sql`${clients.version} + 1`, updatedAt: sql`now()` })
    .where(
      and(
        eq(clients.version, expectedVersion),
        sql`${clients.id} = (select ${plans.clientId} from ${plans} where ${plans.id} = ${planId})`,
      ),
    )
    .returning({ id: clients.id, version: clients.version });
  return row ?? null;
}

/**
 * What the method asks before a plan leaves a step: a clarified question in the `request`
 * section, goals that are not dropped, actions that are not cancelled.
 */
export async function findPhaseRequirements(db: Executor, planId: string) {
  const rows = await db.execute<{ clarified: boolean; goals: number; actions: number }>(sql`
    select
      exists (select 1 from plan_requests
               where plan_id = ${planId} and btrim(clarified_question) <> '') as clarified,
      (select count(*)::int from goals where plan_id = ${planId} and status <> 'dropped') as goals,
      (select count(*)::int from actions where plan_id = ${planId} and status <> 'cancelled') as actions`);
  const row = rows[0];
  return { clarified: row?.clarified ?? false, goals: row?.goals ?? 0, actions: row?.actions ?? 0 };
}

/**
 * Sets a plan's phase and next evaluation date if its version is still `expectedVersion` and it
 * is not closed; null when nothing matched (the caller tells 404 from 412).
 */
export async function updatePlanPhase(
  tx: Transaction,
  planId: string,
  expectedVersion: number,
  changes: { phase: Phase; nextEvaluationOn?: string | null },
) {
  const [row] = await tx
    .update(plans)
    .set({
      phase: changes.phase,
      ...(changes.nextEvaluationOn !== undefined ? { nextEvaluationOn: changes.nextEvaluationOn } : {}),
      version: sql`${plans.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(plans.id, planId), eq(plans.version, expectedVersion), ne(plans.phase, 'closed')))
    .returning({ id: plans.id, phase: plans.phase, version: plans.version });
  return row ?? null;
}

/**
 * Closes a plan (phase `closed`, `closed_at` now) if its version is still `expectedVersion` and
 * it is open, and records its `closure` section; null when nothing matched.
 */
export async function closePlan(
  tx: Transaction,
  params: {
    planId: string;
    expectedVersion: number;
    closedOn: string;
    reason: string;
    reasonKind: ClosureReason;
    handover: string;
    closedBy: string;
  },
) {
  const [plan] = await tx
    .update(plans)
    .set({
      phase: 'closed',
      closedAt: sql`now()`,
      version: sql`${plans.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(
      and(eq(plans.id, params.planId), eq(plans.version, params.expectedVersion), ne(plans.phase, 'closed')),
    )
    .returning({ id: plans.id, version: plans.version });
  if (!plan) return null;
  const [closure] = await tx
    .insert(closures)
    .values({
      planId: params.planId,
      closedOn: params.closedOn,
      reason: params.reason,
      reasonKind: params.reasonKind,
      handover: params.handover,
      updatedBy: params.closedBy,
    })
    .onConflictDoNothing({ target: closures.planId })
    .returning({ id: closures.id });
  if (!closure) return null;
  return { ...plan, closureId: closure.id };
}

export interface EndedGrant {
  grantId: string;
  memberId: string;
  section: Section;
}

/**
 * Ends grants of a plan by writing their revocations (grants themselves are never changed):
 * every grant not yet revoked, or only those of one member. `includeExpired: false` leaves
 * grants whose period is over alone (they already give nothing), but still ends grants that
 * start later. Returns the grants it ended.
 */
export async function endGrants(
  tx: Transaction,
  params: {
    planId: string;
    memberId?: string;
    revokedBy: string;
    reason: string;
    includeExpired: boolean;
  },
): Promise<EndedGrant[]> {
  const rows = await tx.execute<{ grant_id: string; member_id: string; section: Section }>(sql`
    with ended as (
      insert into grant_revocations (grant_id, plan_id, revoked_by, method, reason)
      select g.id, g.plan_id, ${params.revokedBy}, null, ${params.reason}
        from grants g
       where g.plan_id = ${params.planId}
         ${params.memberId === undefined ? sql`` : sql`and g.member_id = ${params.memberId}`}
         ${params.includeExpired ? sql`` : sql`and (g.valid_until is null or g.valid_until > now())`}
         and not exists (select 1 from grant_revocations r where r.grant_id = g.id)
      on conflict (grant_id) do nothing
      returning grant_id)
    select g.id as grant_id, g.member_id, g.section
      from ended e join grants g on g.id = e.grant_id
     where g.plan_id = ${params.planId}
     order by g.member_id, g.section`);
  return rows.map((row) => ({ grantId: row.grant_id, memberId: row.member_id, section: row.section }));
}

/** One access-log event per ended grant, in the transaction that ended it. */
export async function auditEndedGrants(
  tx: Transaction,
  actorUserId: string,
  planId: string,
  ended: readonly EndedGrant[],
  reason: string,
): Promise<void> {
  for (const grant of ended) {
    await appendAuditEvent(tx, {
      planId,
      actorUserId,
      action: 'revoke',
      sections: [grant.section],
      subjectType: 'Grant',
      subjectId: grant.grantId,
      details: { memberId: grant.memberId, reason },
    });
  }
}
