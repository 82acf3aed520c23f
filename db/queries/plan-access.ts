import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { MemberStatus, Phase } from '../../domain/vocabularies.ts';
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
  status: MemberStatus | null;
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
function planFactsQuery(userId: string | SQLWrapper, planFilter: SQL): SQL {
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

/**
 * The facts of one plan for the user named by `userId` (a column of the surrounding statement), as
 * one JSON value, null when the plan does not exist: to read with that user's session.
 */
export const planFactsJson = (userId: SQLWrapper, planId: SQLWrapper | string): SQL =>
  sql`(select row_to_json(f) from (${planFactsQuery(userId, sql`p.id = ${planId}`)}) f)`;

/** The facts read by `planFactsJson`. */
export const planFactsFromJson = (json: unknown): PlanFacts | null =>
  json ? toPlanFacts(json as PlanFactsRow) : null;

/** The facts of one plan for one user; null when the plan does not exist. */
export async function loadPlanFacts(db: Executor, userId: string, planId: string): Promise<PlanFacts | null> {
  const rows = await db.execute<PlanFactsRow>(planFactsQuery(userId, sql`p.id = ${planId}`));
  return rows[0] ? toPlanFacts(rows[0]) : null;
}

/** Which of the user's plans `loadPlanFactsForUser` reads: one chunk, in plan id order. */
export interface PlanCandidateParams {
  /** Only plans whose id comes after this one (keyset paging). */
  after?: string;
  /** At most this many plans. */
  limit: number;
  phase?: Phase;
  /** Only plans the user leads or has a co-lead member row in, whose client's name contains this. */
  q?: string;
}

/**
 * The facts of the plans the user has a place in (as lead, as client, or as a member), in plan id
 * order: at most `limit` after `after`, so that a page costs the same for a user in 2,000 plans as
 * in 50. These are candidates: the policies decide which the user may see. With `q`, only the plans
 * the user leads or may co-lead whose client's name matches (the search covers led plans only).
 * One statement.
 */
export async function loadPlanFactsForUser(
  db: Executor,
  userId: string,
  params: PlanCandidateParams,
): Promise<PlanFacts[]> {
  const rows = await db.execute<PlanFactsRow>(
    // `= any(array(…))`: the chunk's ids are computed first, then each plan is one primary-key
    // look-up (with `in (…)` the planner may hash-join the ids against a scan of every plan).
    sql`select * from (${planFactsQuery(userId, sql`p.id = any(array(${planCandidates(userId, params)}))`)}) f
         order by f.plan_id`,
  );
  return rows.map(toPlanFacts);
}

/**
 * The ids of `loadPlanFactsForUser`'s chunk: each source (led plans, the client's own plans, member
 * rows) is read in id order from its index after the cursor and stops at `limit`, so the union
 * holds the first `limit` ids of all of them.
 */
function planCandidates(userId: string, params: PlanCandidateParams): SQL {
  const { after, limit, phase, q } = params;
  // Conditions and joins are left out rather than made optional in SQL, so that each variant is
  // planned for what it does (and the plain one reads `members` from its index alone).
  const afterId = (column: SQL) => (after === undefined ? sql`` : sql`and ${column} > ${after}`);
  const inPhase = phase === undefined ? sql`` : sql`and p.phase = ${phase}`;
  const clientJoin = q === undefined ? sql`` : sql`join clients c on c.id = p.client_id`;
  const named =
    q === undefined
      ? sql``
      : sql`and (c.first_name ilike ${containing(q)} or c.last_name ilike ${containing(q)}
                 or c.first_name || ' ' || c.last_name ilike ${containing(q)})`;
  const led = sql`(select p.id from plans p ${clientJoin}
                    where p.lead_user_id = ${userId} ${afterId(sql`p.id`)} ${inPhase} ${named}
                    order by p.id limit ${limit})`;
  // `distinct`: a user may have several member rows (past, then current) in one plan.
  const planJoin =
    phase === undefined && q === undefined ? sql`` : sql`join plans p on p.id = m.plan_id ${clientJoin}`;
  const membered = sql`(select distinct m.plan_id from members m ${planJoin}
                         where m.user_id = ${userId} ${afterId(sql`m.plan_id`)} ${inPhase} ${named}
                               ${q === undefined ? sql`` : sql`and m.co_lead`}
                         order by m.plan_id limit ${limit})`;
  if (q !== undefined) return sql`select id from (${led} union ${membered}) s(id) order by id limit ${limit}`;
  const own = sql`(select p.id from clients c join plans p on p.client_id = c.id
                    where c.user_id = ${userId} ${afterId(sql`p.id`)} ${inPhase}
                    order by p.id limit ${limit})`;
  return sql`select id from (${led} union ${own} union ${membered}) s(id) order by id limit ${limit}`;
}

/** An ILIKE pattern for "contains", with the pattern characters of `text` escaped. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
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
