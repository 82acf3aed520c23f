import { createHash } from 'node:crypto';
import { and, desc, eq, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { AuditOutcome } from '../../domain/vocabularies.ts';
import type { Executor } from '../client.ts';
import { auditEvents, clients, grants, members, organizations, plans, users } from '../schema/index.ts';
import { preparedOnce } from './prepared.ts';

export interface AuditEventInput {
  planId: string | null;
  actorUserId: string | null;
  /** `read`, `create`, `update`, `delete`, `grant`, `revoke`, `preview`, `close`, … */
  action: string;
  outcome?: AuditOutcome;
  sections: readonly string[];
  subjectType?: string | null;
  subjectId?: string | null;
  details?: Record<string, unknown> | null;
}

interface HashedFields {
  planId: string | null;
  seq: number;
  at: Date;
  actorUserId: string | null;
  action: string;
  outcome: AuditOutcome;
  sections: readonly string[];
  subjectType: string | null;
  subjectId: string | null;
  details: Record<string, unknown> | null;
}

/** JSON with object keys sorted, so that jsonb's reordering never changes a hash. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value instanceof Date ? value.toISOString() : (value ?? null));
}

/** SHA-256 over the previous row's hash and this row's fields: one link of the plan's chain. */
export function auditHash(fields: HashedFields, prevHash: Buffer | null): Buffer {
  return createHash('sha256')
    .update(prevHash ?? Buffer.alloc(0))
    .update(
      canonicalJson([
        fields.planId,
        fields.seq,
        fields.at,
        fields.actorUserId,
        fields.action,
        fields.outcome,
        fields.sections,
        fields.subjectType,
        fields.subjectId,
        fields.details,
      ]),
    )
    .digest();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A uuid in the text form PostgreSQL stores and prints; anything else is a programming error. */
function storedUuid(id: string): string {
  const lower = id.toLowerCase();
  if (!UUID.test(lower)) throw new TypeError('An audit event names a plan by its uuid.');
  return lower;
}

const planCondition = (planId: string | null) =>
  planId === null ? isNull(auditEvents.planId) : eq(auditEvents.planId, planId);

/**
 * The hashed text of an event around its position, which only the database knows when it appends:
 * `before + seq + after` is exactly the canonical JSON `auditHash` hashes.
 */
function hashedTextAround(fields: Omit<HashedFields, 'seq'>): { before: string; after: string } {
  const head = canonicalJson([fields.planId]);
  const tail = canonicalJson([
    fields.at,
    fields.actorUserId,
    fields.action,
    fields.outcome,
    fields.sections,
    fields.subjectType,
    fields.subjectId,
    fields.details,
  ]);
  return { before: `${head.slice(0, -1)},`, after: `,${tail.slice(1)}` };
}

/**
 * Appends one event to its plan's hash chain in one statement: the upsert of the chain's head
 * takes the next position and computes the link (SHA-256 over the previous hash and the event),
 * and the event is inserted from it. The head's row lock serializes appends to one chain (so it
 * never forks) until the surrounding transaction ends; other plans never wait. Inside a change's
 * transaction it commits or rolls back with the change; on its own it is its own transaction.
 */
export async function appendAuditEvent(db: Executor, event: AuditEventInput): Promise<void> {
  const fields: Omit<HashedFields, 'seq'> = {
    // The plan's id as stored (a uuid prints in lower case), whatever case the caller has: one
    // plan, one chain, and the hash of the id the row will hold.
    planId: event.planId === null ? null : storedUuid(event.planId),
    at: new Date(),
    actorUserId: event.actorUserId,
    action: event.action,
    outcome: event.outcome ?? 'ok',
    sections: [...event.sections],
    subjectType: event.subjectType ?? null,
    subjectId: event.subjectId ?? null,
    details: event.details ?? null,
  };
  const { before, after } = hashedTextAround(fields);
  await db.execute(sql`
    with head as (
      insert into audit_chain_heads as h (chain, seq, prev_hash, hash)
      values (${fields.planId ?? '-'}::text, 1, null,
              sha256(convert_to(${before}::text || '1' || ${after}::text, 'UTF8')))
      on conflict (chain) do update
         set seq = h.seq + 1,
             prev_hash = h.hash,
             hash = sha256(h.hash || convert_to(${before}::text || (h.seq + 1)::text || ${after}::text, 'UTF8'))
      returning seq, prev_hash, hash)
    insert into audit_events
           (plan_id, seq, at, actor_user_id, action, outcome, sections, subject_type, subject_id, details,
            prev_hash, hash)
    select ${fields.planId}::uuid, head.seq, ${fields.at.toISOString()}::timestamptz, ${fields.actorUserId}::uuid,
           ${fields.action}::text, ${fields.outcome}::audit_outcome, ${sql.param(fields.sections, auditEvents.sections)}::text[],
           ${fields.subjectType}::text, ${fields.subjectId}::uuid,
           ${fields.details === null ? null : JSON.stringify(fields.details)}::jsonb, head.prev_hash, head.hash
      from head`);
}

/**
 * Who did it. Someone outside the plan's network (not its lead, client or a member, past ones
 * included) is never named: another client, say, is not to learn of this plan, nor its client
 * of them (issue 13). Their organisation is said when they have one.
 */
export type AccessLogActor =
  | { id: string; name: string; kind: string; organization: string | null }
  | { id: null; name: null; kind: 'outsider'; organization: string | null }
  | null;

/** The member consent was given to or withdrawn from, or a plan printed for: grants, revocations and prints only. */
export type AccessLogRecipient = { name: string; organization: string | null } | null;

export interface AccessLogPage {
  items: Array<{
    seq: number;
    at: Date;
    action: string;
    outcome: AuditOutcome;
    sections: string[];
    subjectType: string | null;
    actor: AccessLogActor;
    recipient: AccessLogRecipient;
  }>;
  nextCursor: number | null;
}

/** Whether the actor belongs to the plan's network: its lead, its client, or a member (past ones too). */
const actorInNetwork = sql<boolean>`(
  exists (select 1 from ${members} where ${members.planId} = ${auditEvents.planId} and ${members.userId} = ${auditEvents.actorUserId})
  or exists (
    select 1 from ${plans} join ${clients} on ${clients.id} = ${plans.clientId}
    where ${plans.id} = ${auditEvents.planId}
      and (${plans.leadUserId} = ${auditEvents.actorUserId} or ${clients.userId} = ${auditEvents.actorUserId})
  )
)`;

/**
 * The member a grant, revocation, print or handover event is about: a grant and a print (a share on paper)
 * name the member, a revocation the grant (whose member it reads, in the same plan).
 */
const recipientMemberId = sql<string | null>`case
  when ${auditEvents.action} in ('grant', 'print', 'handover') and ${auditEvents.subjectType} = 'Member' then ${auditEvents.subjectId}
  when ${auditEvents.action} = 'revoke' and ${auditEvents.subjectType} = 'Grant' then (
    select ${grants.memberId} from ${grants}
     where ${grants.id} = ${auditEvents.subjectId} and ${grants.planId} = ${auditEvents.planId})
end`;

/** That member's name (an account's, else the member's own) and organisation, as JSON. */
const recipientOf = (memberId: SQL, planId: SQL) => sql<{
  name: string;
  organization: string | null;
} | null>`(
  select json_build_object('name', coalesce(ru.name, rm.name, ''), 'organization', ro.name)
    from members rm
    left join users ru on ru.id = rm.user_id
    left join organizations ro on ro.id = coalesce(ru.organization_id, rm.organization_id)
   where rm.plan_id = ${planId} and rm.id = ${memberId})`;

/** One actor as the log may say it: named within the network, else only "someone without access". */
function actorAsLogged(row: {
  actorId: string | null;
  actorName: string | null;
  actorKind: string | null;
  actorOrganization: string | null;
  actorInNetwork: boolean;
}): AccessLogActor {
  if (!row.actorId) return null;
  return row.actorInNetwork
    ? {
        id: row.actorId,
        name: row.actorName ?? '',
        kind: row.actorKind ?? '',
        organization: row.actorOrganization,
      }
    : { id: null, name: null, kind: 'outsider', organization: row.actorOrganization };
}

// Read on every access-log page.
const accessLogQuery = preparedOnce((db) =>
  db
    .select({
      seq: auditEvents.seq,
      at: auditEvents.at,
      action: auditEvents.action,
      outcome: auditEvents.outcome,
      sections: auditEvents.sections,
      subjectType: auditEvents.subjectType,
      actorId: users.id,
      actorName: users.name,
      actorKind: users.kind,
      actorOrganization: organizations.name,
      actorInNetwork,
      recipient: recipientOf(recipientMemberId, sql`${auditEvents.planId}`),
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .leftJoin(organizations, eq(organizations.id, users.organizationId))
    .where(
      and(eq(auditEvents.planId, sql.placeholder('planId')), lt(auditEvents.seq, sql.placeholder('before'))),
    )
    .orderBy(desc(auditEvents.seq))
    .limit(sql.placeholder('limit'))
    .prepare('access_log_page'),
);

/**
 * A plan's access log, newest first, keyset-paginated on the chain position. `withRecipients`:
 * whether the reader may see the grants, and so with whom consent was given.
 */
export async function listAccessLog(
  db: Executor,
  planId: string,
  { limit, before, withRecipients }: { limit: number; before: number | null; withRecipients: boolean },
): Promise<AccessLogPage> {
  const rows = await accessLogQuery(db).execute({
    planId,
    before: before ?? Number.MAX_SAFE_INTEGER,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => ({
      seq: row.seq,
      at: row.at,
      action: row.action,
      outcome: row.outcome,
      sections: row.sections,
      subjectType: row.subjectType,
      actor: actorAsLogged(row),
      recipient: withRecipients ? row.recipient : null,
    })),
    nextCursor: rows.length > limit ? (page.at(-1)?.seq ?? null) : null,
  };
}

/** The single events of a group the log shows at most; the group's count says how many there are. */
export const GROUP_EVENTS_SHOWN = 100;

export interface AccessLogGroup {
  day: string;
  firstAt: Date;
  lastAt: Date;
  count: number;
  action: string;
  outcome: AuditOutcome;
  subjectType: string | null;
  sections: string[];
  actor: AccessLogActor;
  recipient: AccessLogRecipient;
  events: Array<{ seq: number; at: Date; sections: string[] }>;
}

interface AccessLogGroupRow extends Record<string, unknown> {
  day: string;
  first_at: string;
  last_at: string;
  count: number;
  first_seq: number;
  action: string;
  outcome: AuditOutcome;
  subject_type: string | null;
  sections: string | null;
  actor_id: string | null;
  actor_name: string | null;
  actor_kind: string | null;
  actor_organization: string | null;
  actor_in_network: boolean;
  recipient: { name: string; organization: string | null } | null;
  events: Array<{ seq: number; at: string; sections: string[] }>;
  day_cursor: number | null;
}

/** The day of an event, as the people of the plan live it. */
const LOG_TIME_ZONE = 'Europe/Brussels';

/**
 * A plan's access log told in lines: the events of one person, on one day, of one kind (action,
 * outcome, subject type, and for consent with whom), newest day first and, within a day, the
 * line with the latest event first. Pages hold whole days — at least one, then more while fewer
 * than `limit` lines — so a line never spreads over two pages, and a page never changes once a
 * later day has begun (events only ever join today's lines). The cursor is the first position of
 * the page's oldest day; the next page holds the days before that event's day.
 */
export async function listAccessLogGroups(
  db: Executor,
  planId: string,
  { limit, before, withRecipients }: { limit: number; before: number | null; withRecipients: boolean },
): Promise<{ groups: AccessLogGroup[]; nextCursor: number | null }> {
  const dayOf = (at: SQL) => sql`(${at} at time zone ${LOG_TIME_ZONE})::date`;
  const rows = await db.execute<AccessLogGroupRow>(sql`
    with events as (
      select ${auditEvents.seq} as seq, ${auditEvents.at} as at, ${auditEvents.action} as action,
             ${auditEvents.outcome} as outcome, ${auditEvents.sections} as sections,
             ${auditEvents.subjectType} as subject_type, ${auditEvents.actorUserId} as actor_user_id,
             ${dayOf(sql`${auditEvents.at}`)} as day, ${recipientMemberId} as recipient_member_id
        from ${auditEvents}
       where ${auditEvents.planId} = ${planId}
         ${
           before === null
             ? sql``
             : sql`and ${dayOf(sql`${auditEvents.at}`)} < (
                 select ${dayOf(sql`c.at`)} from audit_events c where c.plan_id = ${planId} and c.seq = ${before})`
         }),
    lines as (
      select day, actor_user_id, action, outcome, subject_type, recipient_member_id,
             count(*)::int as count, min(seq) as first_seq, max(seq) as last_seq,
             min(at) as first_at, max(at) as last_at,
             string_agg(array_to_string(sections, ','), ',') as sections,
             (array_agg(json_build_object('seq', seq, 'at', at, 'sections', sections) order by seq desc))[1:${GROUP_EVENTS_SHOWN}] as events
        from events
       group by day, actor_user_id, action, outcome, subject_type, recipient_member_id),
    days as (
      select day, min(first_seq) as day_cursor,
             coalesce(sum(count(*)) over (order by day desc rows between unbounded preceding and 1 preceding), 0) as lines_before
        from lines group by day)
    select l.day::text as day, l.first_at, l.last_at, l.count, l.first_seq, l.action, l.outcome,
           l.subject_type, l.sections, array_to_json(l.events) as events,
           u.id as actor_id, u.name as actor_name, u.kind as actor_kind, o.name as actor_organization,
           (exists (select 1 from members m where m.plan_id = ${planId} and m.user_id = l.actor_user_id)
            or exists (select 1 from plans p join clients c on c.id = p.client_id
                        where p.id = ${planId} and (p.lead_user_id = l.actor_user_id or c.user_id = l.actor_user_id))
           ) as actor_in_network,
           ${recipientOf(sql`l.recipient_member_id`, sql`${planId}::uuid`)} as recipient,
           -- The next page's cursor: the first position of this page's oldest day, when older days remain.
           case when exists (select 1 from days d2 where d2.lines_before >= ${limit})
                then (select d3.day_cursor from days d3 where d3.lines_before < ${limit} order by d3.day limit 1)
           end as day_cursor
      from lines l
      join days d on d.day = l.day
      left join users u on u.id = l.actor_user_id
      left join organizations o on o.id = u.organization_id
     where d.lines_before < ${limit}
     order by l.day desc, l.last_seq desc`);
  const nextDay = rows[0]?.day_cursor ?? null;
  return {
    groups: rows.map((row) => ({
      day: row.day,
      firstAt: new Date(row.first_at),
      lastAt: new Date(row.last_at),
      count: row.count,
      action: row.action,
      outcome: row.outcome,
      subjectType: row.subject_type,
      sections: [...new Set((row.sections ?? '').split(',').filter((s) => s.length > 0))],
      actor: actorAsLogged({
        actorId: row.actor_id,
        actorName: row.actor_name,
        actorKind: row.actor_kind,
        actorOrganization: row.actor_organization,
        actorInNetwork: row.actor_in_network,
      }),
      recipient: withRecipients ? row.recipient : null,
      events: row.events.map((event) => ({
        seq: Number(event.seq),
        at: new Date(event.at),
        sections: event.sections,
      })),
    })),
    nextCursor: nextDay === null ? null : Number(nextDay),
  };
}

export interface ChainProblem {
  planId: string | null;
  seq: number;
  id: string;
  reason: string;
}

/**
 * Checks every plan's chain: positions 1, 2, 3… without gaps, each row's `prev_hash` equal to
 * the previous row's hash and its own hash recomputed from its fields. Returns the first bad row
 * of each broken chain, and how many events were checked.
 */
export async function verifyAuditChains(
  db: Executor,
): Promise<{ checked: number; problems: ChainProblem[] }> {
  const chains = await db.selectDistinct({ planId: auditEvents.planId }).from(auditEvents);
  const problems: ChainProblem[] = [];
  let checked = 0;
  for (const { planId } of chains) {
    const rows = await db.select().from(auditEvents).where(planCondition(planId)).orderBy(auditEvents.seq);
    let previous: Buffer | null = null;
    for (const [index, row] of rows.entries()) {
      checked += 1;
      const expected = auditHash({ ...row, outcome: row.outcome, details: row.details ?? null }, previous);
      const reason =
        row.seq !== index + 1
          ? `position ${row.seq} where ${index + 1} was expected (a row is missing or was added)`
          : !sameBytes(row.prevHash, previous)
            ? 'its previous-hash does not match the row before it'
            : !row.hash.equals(expected)
              ? 'its content does not match its hash (the row was changed)'
              : null;
      if (reason) {
        problems.push({ planId, seq: row.seq, id: row.id, reason });
        break;
      }
      previous = row.hash;
    }
  }
  return { checked, problems };
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}

/** How often one person looked at a plan, and when last (the client's "who looked", in short). */
export interface AccessSummaryLine {
  actor: AccessLogActor;
  count: number;
  lastAt: Date;
}

/**
 * Who looked at a plan: per person, how many reads, previews, prints and exports went through and
 * the last one, counted in SQL (the events themselves never leave the database). Someone outside
 * the network is never named, as in the log. Most looks first.
 */
export async function summarizeLooks(db: Executor, planId: string): Promise<AccessSummaryLine[]> {
  const rows = await db.execute<{
    actor_id: string | null;
    actor_name: string | null;
    actor_kind: string | null;
    actor_organization: string | null;
    actor_in_network: boolean;
    count: number;
    last_at: string;
  }>(sql`
    select l.actor_user_id as actor_id, u.name as actor_name, u.kind as actor_kind,
           o.name as actor_organization, l.count, l.last_at,
           (exists (select 1 from members m where m.plan_id = ${planId} and m.user_id = l.actor_user_id)
            or exists (select 1 from plans p join clients c on c.id = p.client_id
                        where p.id = ${planId} and (p.lead_user_id = l.actor_user_id or c.user_id = l.actor_user_id))
           ) as actor_in_network
      from (select actor_user_id, count(*)::int as count, max(at) as last_at
              from audit_events
             where plan_id = ${planId} and outcome = 'ok'
               and action in ('read', 'preview', 'print', 'export')
             group by actor_user_id) l
      left join users u on u.id = l.actor_user_id
      left join organizations o on o.id = u.organization_id
     order by l.count desc, l.last_at desc`);
  return rows.map((row) => ({
    actor: actorAsLogged({
      actorId: row.actor_id,
      actorName: row.actor_name,
      actorKind: row.actor_kind,
      actorOrganization: row.actor_organization,
      actorInNetwork: row.actor_in_network,
    }),
    count: row.count,
    lastAt: new Date(row.last_at),
  }));
}
