import { sql } from 'drizzle-orm';
import type { Section } from '../../domain/sections.ts';
import type { Executor } from '../client.ts';

/** Reads less than this apart are one visit: saving and reloading keeps the marks of what is new. */
const ONE_VISIT = '1 hour';

/**
 * Records that the user opens the plan now, and returns when their previous visit was (null the
 * first time). Row-level security keeps each user to their own row.
 */
export async function recordPlanVisit(
  db: Executor,
  planId: string,
  userId: string,
  now: Date,
): Promise<Date | null> {
  const at = now.toISOString();
  const [row] = await db.execute<{ previous: Date | string | null }>(sql`
    insert into plan_visits (plan_id, user_id, last_seen_at, previous_visit_at)
    values (${planId}, ${userId}, ${at}, null)
    on conflict (plan_id, user_id) do update set
      previous_visit_at = case
        when plan_visits.last_seen_at < ${at}::timestamptz - ${ONE_VISIT}::interval then plan_visits.last_seen_at
        else plan_visits.previous_visit_at
      end,
      last_seen_at = greatest(plan_visits.last_seen_at, ${at}::timestamptz)
    returning previous_visit_at as previous`);
  return row?.previous ? new Date(row.previous) : null;
}

/** The item sections whose rows count as new when someone else changed them, with their tables. */
const CHANGING_ITEMS = {
  goals: 'goals',
  actions: 'actions',
  agreements: 'agreements',
  evaluations: 'evaluations',
} as const satisfies Partial<Record<Section, string>>;

/** The one-document sections, with their tables. */
const DOCUMENTS = {
  request: 'plan_requests',
  crisis: 'crisis_plans',
  background: 'backgrounds',
  closure: 'closures',
} as const satisfies Partial<Record<Section, string>>;

/** What the reader's overview holds, to look for changes among: nothing else is ever named. */
export interface VisibleContent {
  /** The ids of the items, members and meetings in the overview. */
  ids: readonly string[];
  /** The one-document sections in the overview (request, crisis, background, closure). */
  documents: readonly Section[];
  /**
   * Whether a change to a meeting counts: only for a reader of all its fields (its discussion
   * notes included); any other reader learns of a meeting only when it is new.
   */
  meetingChangesVisible: boolean;
}

/**
 * The sections and items changed by someone else since `since`, among what the reader sees: an
 * item or document changed, an action's thread written in, a meeting or member added.
 */
export async function changedSince(
  db: Executor,
  planId: string,
  readerUserId: string,
  since: Date,
  visible: VisibleContent,
): Promise<Array<{ section: Section; id: string | null }>> {
  const after = sql`${since.toISOString()}::timestamptz`;
  // Lists as one parameter each (the statement's text stays the same whatever their length).
  const ids = sql`string_to_array(${visible.ids.join(',')}, ',')::uuid[]`;
  const documents = sql`string_to_array(${visible.documents.join(',')}, ',')`;
  const changedByOthers = (table: string) =>
    sql`${sql.identifier(table)}.plan_id = ${planId} and ${sql.identifier(table)}.updated_at > ${after}
        and ${sql.identifier(table)}.updated_by is distinct from ${readerUserId}::uuid`;
  const items = Object.entries(CHANGING_ITEMS).map(
    ([section, table]) =>
      sql`select ${section}::text as section, id from ${sql.identifier(table)}
           where id = any(${ids}) and ${changedByOthers(table)}`,
  );
  const documentsChanged = Object.entries(DOCUMENTS).map(
    ([section, table]) =>
      sql`select ${section}::text, null::uuid from ${sql.identifier(table)}
           where ${section}::text = any(${documents}) and ${changedByOthers(table)}`,
  );
  return db.execute<{ section: Section; id: string | null }>(sql`
    ${sql.join(items, sql` union `)}
    union
    select 'actions', action_id from action_entries
     where plan_id = ${planId} and action_id = any(${ids}) and created_at > ${after}
       and author_user_id is distinct from ${readerUserId}::uuid
    union
    select 'meetings', id from meetings
     where plan_id = ${planId} and id = any(${ids}) and updated_by is distinct from ${readerUserId}::uuid
       and (created_at > ${after} or (${visible.meetingChangesVisible} and updated_at > ${after}))
    union
    select 'network', id from members
     where plan_id = ${planId} and id = any(${ids}) and created_at > ${after}
       and user_id is distinct from ${readerUserId}::uuid
    union
    ${sql.join(documentsChanged, sql` union `)}`);
}
