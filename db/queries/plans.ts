import { alias } from 'drizzle-orm/pg-core';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { AppAbility } from '../../policies/index.ts';
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
 * The summaries of these plans, in id order, among those the ability lets the user read: the
 * caller picks a page of plans, and the ability's condition still filters them in SQL.
 */
export async function listPlanSummaries(db: Executor, ability: AppAbility, planIds: readonly string[]) {
  if (planIds.length === 0) return [];
  return summaryQuery(db)
    .where(and(inArray(plans.id, [...planIds]), abilityCondition(ability, 'read', 'Plan', plans)))
    .orderBy(asc(plans.id));
}
