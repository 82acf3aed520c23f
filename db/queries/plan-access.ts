import { createMongoAbility } from '@casl/ability';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { boolean, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { MemberStatus, Phase } from '../../domain/vocabularies.ts';
import type {
  GrantFacts,
  PlanAccessField,
  PlanFacts,
  PlanListAbility,
  PolicyUser,
} from '../../policies/index.ts';
import { abilityCondition } from '../ability-condition.ts';
import type { Executor } from '../client.ts';
import { memberStatus, phase, section } from '../schema/index.ts';

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
function planFactsQuery(
  userId: string | SQLWrapper,
  planFilter: SQL,
  memberFilter: SQL = sql`user_id = ${userId}`,
): SQL {
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
         where plan_id = p.id and ${memberFilter}
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

/**
 * The facts of several plans for one user (e.g. the plans a page of their notices is about), with
 * the client's name of each: one statement. Plans that do not exist are left out.
 */
export async function loadPlanFactsOf(
  db: Executor,
  userId: string,
  planIds: readonly string[],
): Promise<Array<{ facts: PlanFacts; clientName: string }>> {
  if (planIds.length === 0) return [];
  const rows = await db.execute<PlanFactsRow & { client_name: string }>(
    sql`select f.*, c.first_name || ' ' || c.last_name as client_name
          from (${planFactsQuery(userId, sql`p.id = any(${sql.param([...planIds])}::uuid[])`)}) f
          join plans pl on pl.id = f.plan_id join clients c on c.id = pl.client_id`,
  );
  return rows.map((row) => ({ facts: toPlanFacts(row), clientName: row.client_name }));
}

/**
 * The facts of one plan as they stand for one member row, whoever its account (or none): the
 * plan's lead, client and state, that member and its grants. What a member without an account
 * would be shown is read with these facts (a printed plan); null when the plan or the member is
 * not there.
 */
export async function loadMemberPlanFacts(
  db: Executor,
  planId: string,
  memberId: string,
): Promise<PlanFacts | null> {
  const rows = await db.execute<PlanFactsRow>(
    planFactsQuery(sql`null`, sql`p.id = ${planId}`, sql`id = ${memberId}`),
  );
  const facts = rows[0] ? toPlanFacts(rows[0]) : null;
  return facts?.membership ? facts : null;
}

/**
 * The columns of the plan-access relation (`PlanAccessRow`, policies/plan-list.ts), described as a
 * table so that the list's rules become SQL on them like on any table's columns (values encoded by
 * their column type). Not a table of the database: the relation is `planAccessRelation`, aliased
 * with this name.
 */
const planAccess = pgTable('plan_access', {
  planId: uuid('plan_id').notNull(),
  leadUserId: uuid('lead_user_id').notNull(),
  clientUserId: uuid('client_user_id'),
  planOrganizationId: uuid('plan_organization_id').notNull(),
  planClosed: boolean('plan_closed').notNull(),
  memberUserId: uuid('member_user_id'),
  memberStatus: memberStatus('member_status'),
  memberRemoved: boolean('member_removed'),
  memberCoLead: boolean('member_co_lead'),
  grantSection: section('grant_section'),
  grantValidFrom: timestamp('grant_valid_from', { withTimezone: true }),
  grantValidUntil: timestamp('grant_valid_until', { withTimezone: true }),
  grantRevokedAt: timestamp('grant_revoked_at', { withTimezone: true }),
  // Not policy fields: what the list filters on besides the rules.
  phase: phase('phase').notNull(),
  clientFirstName: text('client_first_name').notNull(),
  clientLastName: text('client_last_name').notNull(),
} satisfies Record<PlanAccessField, unknown> & Record<string, unknown>);

/**
 * The relation the plan list's rules are written on (`PlanAccessRow`, policies/plan-list.ts), for
 * one user: one row per plan × the user's own member row in it (or none) × a grant made to that
 * member (or none), with its revocation. Besides the rules' fields, the plan's phase and its
 * client's names, which the list filters on too.
 */
function planAccessRelation(userId: string): SQL {
  // Every plan has its client: a left join only lets PostgreSQL leave it out when the condition
  // reads no client column (the rules of professionals, without a search).
  return sql`(
    select p.id as plan_id, p.lead_user_id, c.user_id as client_user_id,
           p.organization_id as plan_organization_id, p.phase = 'closed' as plan_closed,
           m.user_id as member_user_id, m.status as member_status,
           case when m.id is not null then m.removed_at is not null end as member_removed,
           m.co_lead as member_co_lead,
           g.section as grant_section, g.valid_from as grant_valid_from,
           g.valid_until as grant_valid_until, r.revoked_at as grant_revoked_at,
           p.phase, c.first_name as client_first_name, c.last_name as client_last_name
      from plans p
      left join clients c on c.id = p.client_id
      left join members m on m.plan_id = p.id and m.user_id = ${userId}
      left join grants g on g.plan_id = p.id and g.member_id = m.id
      left join grant_revocations r on r.grant_id = g.id) ${planAccess}`;
}

/** Which page of plans `listVisiblePlanIds` reads. */
export interface VisiblePlanParams {
  /** The user the ability was built for: the relation is theirs. */
  userId: string;
  /** Only plans whose id comes after this one (keyset paging). */
  after?: string;
  /** At most this many plans (a page and one more, to know whether another page follows). */
  limit: number;
  phase?: Phase;
  /** Only plans whose client's first name, last name or both contain this. */
  q?: string;
}

/** The user fields that find a rule's plans through an index, in the order they are looked for. */
const CANDIDATE_SOURCES = ['memberUserId', 'leadUserId', 'clientUserId'] as const;
type CandidateSource = (typeof CANDIDATE_SOURCES)[number];

/**
 * The ability's rules by where their plans are found: each rule binds one of the user fields to the
 * user (a member row of theirs, the plans they lead, their own plan), and the plans it may allow are
 * read through that field's index. Each group is an ability of its rules and of every `cannot` rule
 * (which may restrict any of them), in their order: a plan is allowed by the whole ability exactly
 * when one group allows it. A rule that binds no user field would need every plan: it is refused
 * rather than left to miss plans silently.
 */
function rulesBySource(ability: PlanListAbility, userId: string): Map<CandidateSource, PlanListAbility> {
  const sourceOf = (rule: PlanListAbility['rules'][number]): CandidateSource | null => {
    if (rule.inverted) return null;
    const conditions = (rule.conditions ?? {}) as Record<string, unknown>;
    const source = CANDIDATE_SOURCES.find((field) => conditions[field] === userId);
    if (!source) throw new Error('A plan list rule binds no user field to the user: its plans have no index');
    return source;
  };
  const sources = ability.rules.map(sourceOf);
  const groups = new Map<CandidateSource, PlanListAbility>();
  for (const source of CANDIDATE_SOURCES)
    if (sources.includes(source))
      groups.set(
        source,
        createMongoAbility<PlanListAbility>(
          ability.rules.filter((_, i) => sources[i] === source || sources[i] === null),
        ),
      );
  return groups;
}

/**
 * The ids of a page of the plans the list ability (policies/plan-list.ts) lets the user see, in id
 * order, filtered in SQL before paging: a plan is in when one of its rows in the plan-access
 * relation meets a rule. Null when no rule allows any plan. The candidates are read in id order
 * after the cursor from the indexes the rules need, each source checked against its own rules
 * (`rulesBySource`); each candidate is one look-up of its rows, and each source stops after
 * `limit` plans that pass, so a page costs about the same for a user in 2,000 plans as in 50.
 */
function visiblePlanIds(ability: PlanListAbility, params: VisiblePlanParams): SQL | null {
  const { userId, after, limit, phase, q } = params;
  const groups = rulesBySource(ability, userId);
  if (groups.size === 0) return null;
  // Conditions are left out rather than made optional in SQL, so that each variant is planned for
  // what it does.
  const afterId = (column: SQL) => (after === undefined ? sql`` : sql`and ${column} > ${after}`);
  const { clientFirstName: first, clientLastName: last } = planAccess;
  const inPhase = phase === undefined ? sql`` : sql`and ${planAccess.phase} = ${phase}`;
  const named =
    q === undefined
      ? sql``
      : sql`and (${first} ilike ${containing(q)} or ${last} ilike ${containing(q)}
                 or ${first} || ' ' || ${last} ilike ${containing(q)})`;
  // A lateral subquery with a limit is never flattened into a join: each candidate is one
  // index look-up of its own rows, and a source stops as soon as it has `limit` plans.
  const visible = (group: PlanListAbility) => sql`cross join lateral (
        select 1 from ${planAccessRelation(userId)}
         where ${planAccess.planId} = k.id ${inPhase} ${named}
           and ${abilityCondition(group, 'read', 'PlanAccess', planAccess)} limit 1) v`;
  const branch = (source: CandidateSource, group: PlanListAbility): SQL => {
    switch (source) {
      case 'leadUserId':
        return sql`(select k.id from plans k ${visible(group)}
                     where k.lead_user_id = ${userId} ${afterId(sql`k.id`)} order by k.id limit ${limit})`;
      case 'clientUserId':
        return sql`(select k.id from clients kc join plans k on k.client_id = kc.id ${visible(group)}
                     where kc.user_id = ${userId} ${afterId(sql`k.id`)} order by k.id limit ${limit})`;
      case 'memberUserId':
        // `distinct`: a user may have several member rows (removed, then current) in one plan.
        return sql`(select k.id from (select distinct plan_id as id from members
                                       where user_id = ${userId} ${afterId(sql`plan_id`)}) k ${visible(group)}
                     order by k.id limit ${limit})`;
    }
  };
  const branches = [...groups].map(([source, group]) => branch(source, group));
  return sql`select id from (${sql.join(branches, sql` union `)}) s order by id limit ${limit}`;
}

/** The ids of one page of the plans the list ability lets its user see (`visiblePlanIds`). */
export async function listVisiblePlanIds(
  db: Executor,
  ability: PlanListAbility,
  params: VisiblePlanParams,
): Promise<string[]> {
  const query = visiblePlanIds(ability, params);
  if (!query) return [];
  const rows = await db.execute<{ id: string }>(query);
  return rows.map((row) => row.id);
}

/**
 * The facts of one page of the plans the list ability lets its user see (`visiblePlanIds`), in id
 * order, for the per-page ability that trims each plan's fields. One statement.
 */
export async function loadVisiblePlanFacts(
  db: Executor,
  ability: PlanListAbility,
  params: VisiblePlanParams,
): Promise<PlanFacts[]> {
  const ids = visiblePlanIds(ability, params);
  if (!ids) return [];
  const rows = await db.execute<PlanFactsRow>(
    // `= any(array(…))`: the page's ids are computed first, then each plan is one primary-key look-up.
    sql`select * from (${planFactsQuery(params.userId, sql`p.id = any(array(${ids}))`)}) f
         order by f.plan_id`,
  );
  return rows.map(toPlanFacts);
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
