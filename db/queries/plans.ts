import { alias } from 'drizzle-orm/pg-core';
import { and, asc, eq, gt, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { AppAbility, Phase } from '../../policies/index.ts';
import { abilityCondition } from '../ability-condition.ts';
import type { Executor } from '../client.ts';
import { clients, organizations, plans, users } from '../schema/index.ts';

const leadUsers = alias(users, 'lead_users');
const leadOrganizations = alias(organizations, 'lead_organizations');

const summaryColumns = {
  id: plans.id,
  phase: plans.phase,
  closedAt: plans.closedAt,
  startedOn: plans.startedOn,
  nextEvaluationOn: plans.nextEvaluationOn,
  version: plans.version,
  clientFirstName: clients.firstName,
  clientLastName: clients.lastName,
  clientPhone: clients.phone,
  clientEmail: clients.email,
  clientAddress: clients.address,
  leadName: leadUsers.name,
  leadEmail: leadUsers.email,
  leadOrganizationName: leadOrganizations.name,
  leadOrganizationPhone: leadOrganizations.phone,
};

export type PlanSummaryRow = Awaited<ReturnType<typeof findPlanSummary>> & {};

function summaryQuery(db: Executor) {
  return db
    .select(summaryColumns)
    .from(plans)
    .innerJoin(clients, eq(clients.id, plans.clientId))
    .innerJoin(leadUsers, eq(leadUsers.id, plans.leadUserId))
    .innerJoin(leadOrganizations, eq(leadOrganizations.id, plans.organizationId));
}

/** The plan's overview facts (client, lead, phase); fields are trimmed by the caller's ability. */
export async function findPlanSummary(db: Executor, planId: string) {
  const [row] = await summaryQuery(db).where(eq(plans.id, planId));
  return row ?? null;
}

/**
 * The plans the ability lets the user read, filtered in SQL before paging (keyset on the plan
 * id). `searchablePlanIds` limits a client-name search to the plans the user leads.
 */
export async function listPlans(
  db: Executor,
  ability: AppAbility,
  params: { phase?: Phase; q?: string; searchablePlanIds?: string[]; limit: number; after?: string },
) {
  const conditions: Array<SQL | undefined> = [abilityCondition(ability, 'read', 'Plan', plans)];
  if (params.phase) conditions.push(eq(plans.phase, params.phase));
  if (params.q !== undefined) {
    const pattern = `%${params.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      params.searchablePlanIds && params.searchablePlanIds.length > 0
        ? inArray(plans.id, params.searchablePlanIds)
        : sql`false`,
      or(
        ilike(clients.firstName, pattern),
        ilike(clients.lastName, pattern),
        ilike(sql`${clients.firstName} || ' ' || ${clients.lastName}`, pattern),
      ),
    );
  }
  if (params.after) conditions.push(gt(plans.id, params.after));
  const rows = await summaryQuery(db)
    .where(and(...conditions))
    .orderBy(asc(plans.id))
    .limit(params.limit + 1);
  return { rows: rows.slice(0, params.limit), hasMore: rows.length > params.limit };
}
