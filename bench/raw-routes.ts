import type { FastifyInstance, FastifyReply } from 'fastify';
import type postgres from 'postgres';
import { searchWords } from '../db/queries/organizations.ts';
import { SECTIONS, type Section } from '../domain/sections.ts';

// The raw baseline (issue 7): the same reads as the scenarios, as prepared postgres.js statements
// (tagged templates are named, prepared statements), without auth, policies, audit, drizzle or
// zod, answered by the same process on the same pool. Registered only by bench/server.ts.
//
// The reads mirror what the app reads for the same answer: the plan summary and one statement per
// section shown (meetings: meetings, participants, notes; evaluations: evaluations and ratings),
// the consent filter of a list in the SQL of the list, a keyset page of the access log, one
// versioned UPDATE, one ranked text search. What is left out is exactly what the targets price:
// the session lookup, the grants/facts lookup, building and applying the ability, the audit event,
// unprepared statements and response validation.

const FIRST_ID = '00000000-0000-0000-0000-000000000000';
const MAX_SEQ = Number.MAX_SAFE_INTEGER;

type Sql = postgres.Sql;
type Row = Record<string, unknown>;

function summary(sql: Sql, planId: string) {
  return sql`
    select p.id, p.phase, p.closed_at as "closedAt", p.started_on as "startedOn",
           p.next_evaluation_on as "nextEvaluationOn", p.version,
           c.first_name as "clientFirstName", c.last_name as "clientLastName", c.phone as "clientPhone",
           c.email as "clientEmail", c.address as "clientAddress",
           lu.name as "leadName", lu.email as "leadEmail", lo.name as "leadOrganizationName",
           lo.phone as "leadOrganizationPhone"
      from plans p
      join clients c on c.id = p.client_id
      join users lu on lu.id = p.lead_user_id
      join organizations lo on lo.id = p.organization_id
     where p.id = ${planId}`;
}

/** One reader per section: what the app's SECTION_READERS read, prepared. */
const READERS: Record<Section, (sql: Sql, planId: string, userId: string) => Promise<unknown>> = {
  network: (sql, planId, userId) => sql`
    select m.id, m.kind, coalesce(u.name, m.name) as name, m.user_id as "userId",
           m.organization_id as "organizationId", o.name as "organizationName", m.relation,
           m.life_domains as "lifeDomains", m.status, m.hidden, m.closeness, m.co_lead as "coLead",
           m.ended_on as "endedOn", m.version
      from members m
      left join users u on u.id = m.user_id
      left join organizations o on o.id = m.organization_id
     where m.plan_id = ${planId} and m.removed_at is null
       and ((not m.hidden and m.status = 'current') or m.user_id = ${userId})
     order by m.closeness, m.created_at`,
  request: async (sql, planId) =>
    (
      await sql`select client_words as "clientWords", clarified_question as "clarifiedQuestion", version
                  from plan_requests where plan_id = ${planId}`
    )[0] ?? null,
  goals: (sql, planId) => sql`
    select id, life_domain as "lifeDomain", title, client_words as "clientWords", status,
           target_date as "targetDate", version
      from goals where plan_id = ${planId} order by position, created_at`,
  actions: (sql, planId) => sql`
    select id, goal_id as "goalId", owner_member_id as "ownerMemberId", title, description, due_on as "dueOn",
           status, notes, version
      from actions where plan_id = ${planId} order by due_on, created_at`,
  agreements: (sql, planId) => sql`
    select id, member_id as "memberId", role, agreement, reference_person as "referencePerson",
           call_when as "callWhen", version
      from agreements where plan_id = ${planId} order by created_at`,
  crisis: async (sql, planId) =>
    (
      await sql`select early_signs as "earlySigns", what_helps as "whatHelps", whom_to_call as "whomToCall", version
                  from crisis_plans where plan_id = ${planId}`
    )[0] ?? null,
  background: async (sql, planId) =>
    (
      await sql`select situation, health, diagnoses, justice, finances, version
                  from backgrounds where plan_id = ${planId}`
    )[0] ?? null,
  meetings: async (sql, planId) => {
    const rows = await sql<Row[]>`
      select id, held_at as "heldAt", title, notes, decisions, version
        from meetings where plan_id = ${planId} order by held_at`;
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id as string);
    const [participants, notes] = await Promise.all([
      sql<Row[]>`
        select mp.meeting_id as "meetingId", m.id as "memberId", coalesce(u.name, m.name) as name
          from meeting_participants mp
          join members m on m.id = mp.member_id
          left join users u on u.id = m.user_id
         where mp.plan_id = ${planId} and mp.meeting_id = any(${ids}::uuid[])`,
      sql<Row[]>`
        select n.id, n.meeting_id as "meetingId", n.body, n.created_at as "createdAt", u.name as "authorName"
          from meeting_notes n join users u on u.id = n.author_user_id
         where n.plan_id = ${planId} and n.meeting_id = any(${ids}::uuid[])
         order by n.created_at`,
    ]);
    return rows.map((row) => ({
      ...row,
      participants: participants.filter((p) => p.meetingId === row.id),
      addedNotes: notes.filter((n) => n.meetingId === row.id),
    }));
  },
  evaluations: async (sql, planId) => {
    const rows = await sql<Row[]>`
      select id, evaluated_on as "evaluatedOn", collaboration_rating as "collaborationRating",
             collaboration_notes as "collaborationNotes", version
        from evaluations where plan_id = ${planId} order by evaluated_on`;
    if (rows.length === 0) return [];
    const ratings = await sql<Row[]>`
      select evaluation_id as "evaluationId", goal_id as "goalId", rating, notes
        from evaluation_goals
       where plan_id = ${planId} and evaluation_id = any(${rows.map((row) => row.id as string)}::uuid[])`;
    return rows.map((row) => ({ ...row, goals: ratings.filter((r) => r.evaluationId === row.id) }));
  },
  closure: async (sql, planId) =>
    (
      await sql`select closed_on as "closedOn", reason, reason_kind as "reasonKind", handover, version from closures where plan_id = ${planId}`
    )[0] ?? null,
};

const notFound = (reply: FastifyReply) => reply.code(404).send({ title: 'Not Found' });

export function registerBenchRoutes(app: FastifyInstance, sql: Sql): void {
  // The machine's ceiling: the same Fastify instance, its hooks, no database.
  app.get('/bench/hello', async () => ({ hello: 'world' }));

  // Sessions are rows inserted by the bench; tokens are signed as test/helpers/app.ts does.
  app.post<{ Body: { users: Array<{ sub: string; sid: string }> } }>('/bench/tokens', async (request) => ({
    tokens: request.body.users.map((user) => app.jwt.sign({ sub: user.sub, sid: user.sid })),
  }));

  // S1: a plan's overview with the sections the partner's grants show (given by the bench).
  app.get<{ Params: { planId: string }; Querystring: { user: string; sections?: string } }>(
    '/bench/raw/plans/:planId',
    async (request, reply) => {
      const { planId } = request.params;
      const userId = request.query.user;
      const readable = new Set((request.query.sections ?? '').split(',').filter(Boolean));
      const [[plan], ...contents] = await Promise.all([
        summary(sql, planId),
        ...SECTIONS.map((section) => (readable.has(section) ? READERS[section](sql, planId, userId) : null)),
      ]);
      if (!plan) return notFound(reply);
      const network = readable.has('network') ? (contents[0] as Row[]) : null;
      const membership = network
        ? (network.find((m) => m.userId === userId) ?? null)
        : ((
            await sql<Row[]>`select id, kind, relation, status, version from members
                              where plan_id = ${planId} and user_id = ${userId} and removed_at is null`
          )[0] ?? null);
      reply.header('cache-control', 'no-store');
      return {
        ...plan,
        membership,
        sections: Object.fromEntries(
          SECTIONS.map((section, i) =>
            readable.has(section)
              ? [section, { withheld: false, content: contents[i] }]
              : [section, { withheld: true }],
          ),
        ),
      };
    },
  );

  // S2: the plans shared with a user (lead, client, or partner under an active grant), keyset on id.
  app.get<{ Querystring: { user: string; secrecy?: string; cursor?: string; limit?: string } }>(
    '/bench/raw/plans',
    async (request) => {
      const { user } = request.query;
      const secrecyBound = request.query.secrecy === 'true';
      const limit = Number(request.query.limit ?? 25);
      const after = request.query.cursor ?? FIRST_ID;
      // Each source of plans is read in id order from its index, after the cursor, and stops at
      // one page: the cost of a page does not grow with the number of plans a user has.
      const rows = await sql<Row[]>`
        with mine as (
          (select id from plans where lead_user_id = ${user} and id > ${after} order by id limit ${limit + 1})
          union
          (select p.id from clients c join plans p on p.client_id = c.id where c.user_id = ${user} and p.id > ${after})
          union
          (select m.plan_id from members m join plans p on p.id = m.plan_id
            where m.user_id = ${user} and m.plan_id > ${after} and m.status = 'current' and m.removed_at is null
              and p.phase <> 'closed'
              and exists (
                select 1 from grants g left join grant_revocations r on r.grant_id = g.id
                 where g.plan_id = m.plan_id and g.member_id = m.id and g.valid_from <= now()
                   and (g.valid_until is null or g.valid_until > now()) and (r.revoked_at is null or r.revoked_at > now())
                   and (${secrecyBound} or g.section not in ('background', 'meetings')))
            order by m.plan_id
            limit ${limit + 1})
        )
        select p.id, p.phase, p.closed_at as "closedAt", p.started_on as "startedOn", p.version,
               c.first_name as "clientFirstName", c.last_name as "clientLastName",
               lu.name as "leadName", lu.email as "leadEmail", lo.name as "leadOrganizationName",
               lo.phone as "leadOrganizationPhone"
          from mine
          join plans p on p.id = mine.id
          join clients c on c.id = p.client_id
          join users lu on lu.id = p.lead_user_id
          join organizations lo on lo.id = p.organization_id
         order by p.id
         limit ${limit + 1}`;
      const page = rows.slice(0, limit);
      return { items: page, nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
    },
  );

  // S3: a plan's access log, newest first, keyset on the chain position.
  app.get<{ Params: { planId: string }; Querystring: { cursor?: string; limit?: string } }>(
    '/bench/raw/plans/:planId/access-log',
    async (request, reply) => {
      const limit = Number(request.query.limit ?? 50);
      const before = request.query.cursor ? Number(request.query.cursor) : MAX_SEQ;
      const rows = await sql<Row[]>`
        select a.seq, a.at, a.action, a.outcome, a.sections, a.subject_type as "subjectType",
               u.id as "actorId", u.name as "actorName", u.kind as "actorKind", o.name as "actorOrganization"
          from audit_events a
          left join users u on u.id = a.actor_user_id
          left join organizations o on o.id = u.organization_id
         where a.plan_id = ${request.params.planId} and a.seq < ${before}
         order by a.seq desc
         limit ${limit + 1}`;
      const page = rows.slice(0, limit);
      reply.header('cache-control', 'no-store');
      return { items: page, nextCursor: rows.length > limit ? (page.at(-1)?.seq ?? null) : null };
    },
  );

  // S4: one versioned UPDATE of an action (no audit event): 412 when the version moved on.
  app.get<{ Params: { planId: string; actionId: string } }>(
    '/bench/raw/plans/:planId/actions/:actionId',
    async (request, reply) => {
      const [row] = await sql<Row[]>`
        select id, goal_id as "goalId", owner_member_id as "ownerMemberId", title, description,
               due_on as "dueOn", status, notes, version
          from actions where plan_id = ${request.params.planId} and id = ${request.params.actionId}`;
      if (!row) return notFound(reply);
      reply.header('etag', `"${String(row.version)}"`);
      return row;
    },
  );
  app.patch<{
    Params: { planId: string; actionId: string };
    Querystring: { user: string };
    Body: { status: string; notes: string };
  }>('/bench/raw/plans/:planId/actions/:actionId', async (request, reply) => {
    const match = /^"(\d+)"$/.exec(String(request.headers['if-match'] ?? ''));
    if (!match?.[1]) return reply.code(428).send({ title: 'Precondition Required' });
    const [row] = await sql<Row[]>`
      update actions
         set status = ${request.body.status}, notes = ${request.body.notes}, version = version + 1,
             updated_at = now(), updated_by = ${request.query.user}
       where plan_id = ${request.params.planId} and id = ${request.params.actionId} and version = ${Number(match[1])}
      returning id, goal_id as "goalId", owner_member_id as "ownerMemberId", title, description,
                due_on as "dueOn", status, notes, version`;
    if (!row) return reply.code(412).send({ title: 'Precondition Failed' });
    reply.header('etag', `"${String(row.version)}"`);
    return row;
  });

  // S5: the directory's ranked text search (the app's query, prepared).
  app.get<{ Querystring: { q: string; limit?: string } }>('/bench/raw/organizations', async (request) => {
    const limit = Number(request.query.limit ?? 20);
    const words = searchWords(request.query.q);
    // As in the app: the query is an InitPlan, built once per statement, which the GIN index can use.
    const rows = await sql<Row[]>`
      select o.id, o.name, o.name_nl as "nameNl", o.name_fr as "nameFr", o.description,
             o.description_nl as "descriptionNl", o.description_fr as "descriptionFr", o.sectors, o.languages,
             o.services, o.street, o.postcode, o.municipality, o.email, o.phone, o.website,
             o.opening_hours as "openingHours", o.version,
             ts_rank(o.search_vector, (select directory_tsquery(${words}::text[])))::text as rank
        from organizations o
       where o.search_vector @@ (select directory_tsquery(${words}::text[]))
       order by ts_rank(o.search_vector, (select directory_tsquery(${words}::text[]))) desc, o.id
       limit ${limit + 1}`;
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(({ rank: _rank, ...row }) => row),
      nextCursor:
        rows.length > limit && last
          ? Buffer.from(JSON.stringify({ rank: last.rank, id: last.id })).toString('base64url')
          : null,
    };
  });
}
