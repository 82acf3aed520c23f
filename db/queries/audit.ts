import { createHash } from 'node:crypto';
import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { AuditOutcome } from '../../domain/vocabularies.ts';
import type { Executor } from '../client.ts';
import { auditEvents, clients, members, organizations, plans, users } from '../schema/index.ts';
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

export interface AccessLogPage {
  items: Array<{
    seq: number;
    at: Date;
    action: string;
    outcome: AuditOutcome;
    sections: string[];
    subjectType: string | null;
    /**
     * Who did it. Someone outside the plan's network (not its lead, client or a member, past ones
     * included) is never named: another client, say, is not to learn of this plan, nor its client
     * of them (issue 13). Their organisation is said when they have one.
     */
    actor:
      | { id: string; name: string; kind: string; organization: string | null }
      | { id: null; name: null; kind: 'outsider'; organization: string | null }
      | null;
  }>;
  nextCursor: number | null;
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
      actorInNetwork: sql<boolean>`(
        exists (select 1 from ${members} where ${members.planId} = ${auditEvents.planId} and ${members.userId} = ${auditEvents.actorUserId})
        or exists (
          select 1 from ${plans} join ${clients} on ${clients.id} = ${plans.clientId}
          where ${plans.id} = ${auditEvents.planId}
            and (${plans.leadUserId} = ${auditEvents.actorUserId} or ${clients.userId} = ${auditEvents.actorUserId})
        )
      )`,
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

/** A plan's access log, newest first, keyset-paginated on the chain position. */
export async function listAccessLog(
  db: Executor,
  planId: string,
  { limit, before }: { limit: number; before: number | null },
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
      actor: !row.actorId
        ? null
        : row.actorInNetwork
          ? {
              id: row.actorId,
              name: row.actorName ?? '',
              kind: row.actorKind ?? '',
              organization: row.actorOrganization,
            }
          : { id: null, name: null, kind: 'outsider' as const, organization: row.actorOrganization },
    })),
    nextCursor: rows.length > limit ? (page.at(-1)?.seq ?? null) : null,
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
