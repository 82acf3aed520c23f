import { alias } from 'drizzle-orm/pg-core';
import { eq, sql, type SQL } from 'drizzle-orm';
import type { AppAbility, Phase } from '../../policies/index.ts';
import { abilityCondition } from '../ability-condition.ts';
import type { Executor } from '../client.ts';
import { clients, organizations, plans, users } from '../schema/index.ts';
import { dateFromJson, frozen, jsonObject } from './json.ts';

const leadUsers = alias(users, 'lead_users');
const leadOrganizations = alias(organizations, 'lead_organizations');

/** A plan's summary with every field: the caller trims it to what the user's ability permits. */
export interface PlanSummaryRow {
  id: string;
  phase: Phase;
  closedAt: Date | null;
  startedOn: string;
  nextEvaluationOn: string | null;
  previousPlanId: string | null;
  version: number;
  clientFirstName: string;
  clientLastName: string;
  clientPhone: string | null;
  clientEmail: string | null;
  clientAddress: string | null;
  clientPreferredLanguage: string | null;
  clientNeedsInterpreter: boolean;
  clientBirthDate: string | null;
  clientVersion: number;
  leadUserId: string;
  leadName: string;
  leadEmail: string;
  leadOrganizationId: string;
  leadOrganizationName: string;
  leadOrganizationPhone: string | null;
}

const SUMMARY = jsonObject({
  id: plans.id,
  phase: plans.phase,
  closedAt: plans.closedAt,
  startedOn: plans.startedOn,
  nextEvaluationOn: plans.nextEvaluationOn,
  previousPlanId: plans.previousPlanId,
  version: plans.version,
  clientFirstName: clients.firstName,
  clientLastName: clients.lastName,
  clientPhone: clients.phone,
  clientEmail: clients.email,
  clientAddress: clients.address,
  clientPreferredLanguage: clients.preferredLanguage,
  clientNeedsInterpreter: clients.needsInterpreter,
  clientBirthDate: clients.birthDate,
  clientVersion: clients.version,
  leadUserId: plans.leadUserId,
  leadName: leadUsers.name,
  leadEmail: leadUsers.email,
  leadOrganizationId: plans.organizationId,
  leadOrganizationName: leadOrganizations.name,
  leadOrganizationPhone: leadOrganizations.phone,
});

const SUMMARY_FROM = frozen(sql`
  from ${plans}
  join ${clients} on ${clients.id} = ${plans.clientId}
  join ${users} ${sql.identifier('lead_users')} on ${leadUsers.id} = ${plans.leadUserId}
  join ${organizations} ${sql.identifier('lead_organizations')} on ${leadOrganizations.id} = ${plans.organizationId}`);

/** A plan's summary as JSON (null when there is no such plan), to read with other parts of the plan. */
export const planSummaryJson = (planId: string): SQL =>
  sql`(select ${SUMMARY} ${SUMMARY_FROM} where ${eq(plans.id, planId)})`;

/** The summary read by `planSummaryJson`, with its timestamp as a date again. */
export function toPlanSummaryRow(json: unknown): PlanSummaryRow | null {
  if (!json) return null;
  const row = json as Omit<PlanSummaryRow, 'closedAt'> & { closedAt: string | null };
  return { ...row, closedAt: dateFromJson(row.closedAt) };
}

/** The plan's overview facts (client, lead, phase); fields are trimmed by the caller's ability. */
export async function findPlanSummary(db: Executor, planId: string): Promise<PlanSummaryRow | null> {
  const [row] = await db.execute<{ summary: unknown }>(sql`select ${planSummaryJson(planId)} as summary`);
  return toPlanSummaryRow(row?.summary);
}

/**
 * The summaries of these plans, in id order, among those the ability lets the user read: the
 * caller picks a page of plans, and the ability's condition still filters them in SQL.
 */
export async function listPlanSummaries(
  db: Executor,
  ability: AppAbility,
  planIds: readonly string[],
): Promise<PlanSummaryRow[]> {
  if (planIds.length === 0) return [];
  const [row] = await db.execute<{ summaries: unknown[] }>(sql`
    select coalesce(json_agg(${SUMMARY} order by ${plans.id}), '[]'::json) as summaries
      ${SUMMARY_FROM}
     where ${plans.id} = any(${sql.param([...planIds])})
       and ${abilityCondition(ability, 'read', 'Plan', plans)}`);
  return (row?.summaries ?? []).flatMap((json) => toPlanSummaryRow(json) ?? []);
}
