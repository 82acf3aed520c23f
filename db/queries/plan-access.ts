import { sql, type SQL } from 'drizzle-orm';
import type { GrantFacts, PlanFacts, PolicyUser } from '../../policies/index.ts';
import type { Executor } from '../client.ts';

interface PlanFactsRow extends Record<string, unknown> {
  plan_id: string;
  organization_id: string;
  lead_user_id: string;
  client_user_id: string | null;
  closed: boolean;
  member_id: string | null;
  co_lead: boolean | null;
  status: 'current' | 'past' | null;
  removed: boolean | null;
  grants: Array<{
    section: GrantFacts['section'];
    access: GrantFacts['access'];
    validFrom: string;
    validUntil: string | null;
    revokedAt: string | null;
  }> | null;
}

/**
 * The facts the policies need about plans and one user's place in them: the plan's lead, client
 * and state, the user's member row (a current one first) and every grant made to it, revoked or
 * not: the policies, not this query, decide which grants count. One statement.
 */
function planFactsQuery(userId: string, planFilter: SQL): SQL {
  return sql`
    select p.id as plan_id, p.organization_id, p.lead_user_id, c.user_id as client_user_id,
           p.phase = 'closed' as closed,
           m.id as member_id, m.co_lead, m.status, m.removed_at is not null as removed,
           (select coalesce(json_agg(json_build_object(
                     'section', g.section, 'access', g.access, 'validFrom', g.valid_from,
                     'validUntil', g.valid_until, 'revokedAt', r.revoked_at)), '[]'::json)
              from grants g left join grant_revocations r on r.grant_id = g.id
             where g.plan_id = p.id and g.member_id = m.id) as grants
      from plans p
      join clients c on c.id = p.client_id
      left join lateral (
        select id, co_lead, status, removed_at from members
         where plan_id = p.id and user_id = ${userId}
         order by removed_at is null desc, status = 'current' desc, created_at desc
         limit 1) m on true
     where ${planFilter}`;
}

function toPlanFacts(row: PlanFactsRow): PlanFacts {
  return {
    planId: row.plan_id,
    organizationId: row.organization_id,
    leadUserId: row.lead_user_id,
    clientUserId: row.client_user_id,
    closed: row.closed,
    membership: row.member_id
      ? {
          memberId: row.member_id,
          coLead: row.co_lead ?? false,
          status: row.status ?? 'past',
          removed: row.removed ?? true,
          grants: (row.grants ?? []).map((grant) => ({
            section: grant.section,
            access: grant.access,
            validFrom: new Date(grant.validFrom),
            validUntil: grant.validUntil ? new Date(grant.validUntil) : null,
            revokedAt: grant.revokedAt ? new Date(grant.revokedAt) : null,
          })),
        }
      : null,
  };
}

/** The facts of one plan for one user; null when the plan does not exist. */
export async function loadPlanFacts(db: Executor, userId: string, planId: string): Promise<PlanFacts | null> {
  const rows = await db.execute<PlanFactsRow>(planFactsQuery(userId, sql`p.id = ${planId}`));
  return rows[0] ? toPlanFacts(rows[0]) : null;
}

/** The facts of every plan the user has a place in: as lead, as client, or as a member. */
export async function loadPlanFactsForUser(db: Executor, userId: string): Promise<PlanFacts[]> {
  const rows = await db.execute<PlanFactsRow>(
    planFactsQuery(
      userId,
      // Three index look-ups (lead, client, member) instead of an OR over every plan.
      sql`p.id in (select id from plans where lead_user_id = ${userId}
                   union select pc.id from plans pc join clients cc on cc.id = pc.client_id where cc.user_id = ${userId}
                   union select plan_id from members where user_id = ${userId})`,
    ),
  );
  return rows.map(toPlanFacts);
}

/** The user behind a member of a plan, as the policies see them; null for members without an account. */
export async function findMemberUser(
  db: Executor,
  planId: string,
  memberId: string,
): Promise<PolicyUser | null> {
  const rows = await db.execute<{
    id: string;
    kind: PolicyUser['kind'];
    organization_id: string | null;
    secrecy_bound: boolean;
  }>(sql`
    select u.id, u.kind, u.organization_id, u.secrecy_bound
      from members m join users u on u.id = m.user_id
     where m.plan_id = ${planId} and m.id = ${memberId} and not u.disabled`);
  const row = rows[0];
  return row
    ? { id: row.id, kind: row.kind, organizationId: row.organization_id, secrecyBound: row.secrecy_bound }
    : null;
}

/** Whether a member of this plan exists (whatever its state). */
export async function memberExists(db: Executor, planId: string, memberId: string): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from members where plan_id = ${planId} and id = ${memberId}`);
  return rows.length > 0;
}
