import { and, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Section } from '../../domain/sections.ts';
import type { AccessEndReason, NotificationKind } from '../../domain/vocabularies.ts';
import type { Executor, Transaction } from '../client.ts';
import { clientMessages, members, notifications, users } from '../schema/index.ts';

/** One notice to write: ids and facts about the recipient's access, never plan content. */
export interface NotificationInput {
  recipientUserId: string;
  kind: NotificationKind;
  planId: string;
  subjectId?: string | null;
  memberId?: string | null;
  sections?: readonly Section[];
  reason?: AccessEndReason | null;
  dueOn?: string | null;
  /** Unique per notice: writing the same key again adds nothing. */
  dedupeKey: string;
}

/** Writes notices; one whose dedupe key is already there is left as it is. Returns how many were new. */
export async function insertNotifications(db: Executor, rows: readonly NotificationInput[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db
    .insert(notifications)
    .values(
      rows.map((row) => ({
        recipientUserId: row.recipientUserId,
        kind: row.kind,
        planId: row.planId,
        subjectId: row.subjectId ?? null,
        memberId: row.memberId ?? null,
        sections: [...(row.sections ?? [])],
        reason: row.reason ?? null,
        dueOn: row.dueOn ?? null,
        dedupeKey: row.dedupeKey,
      })),
    )
    // Counted, not returned, and with no conflict target (which needs the right to read the rows):
    // a notice is its recipient's, and row-level security lets nobody else read it, the one whose
    // change caused it included. The dedupe key is the only unique column a new row can repeat.
    .onConflictDoNothing();
  return inserted.count;
}

/** The day `now` falls on in Brussels, as SQL. */
const brusselsDay = (now: Date): SQL =>
  sql`(${now.toISOString()}::timestamptz at time zone 'Europe/Brussels')::date`;

/**
 * Notices of grants that end within 14 days, to the plan's lead and to the client (DESIGN.md,
 * "Consent follows the role"): one per member and end time, whatever the number of sections.
 * Only grants in force at `now`, of current members of open plans. Idempotent: one statement,
 * keyed by member, end time and recipient.
 */
export async function insertGrantEndingNotices(db: Executor, now: Date): Promise<number> {
  const at = now.toISOString();
  const rows = await db.execute(sql`
    insert into notifications (recipient_user_id, kind, plan_id, subject_id, member_id, sections, due_on, dedupe_key)
    select r.user_id, 'grant_ending', e.plan_id, e.grant_id, e.member_id, e.sections,
           (e.valid_until at time zone 'Europe/Brussels')::date,
           'grant_ending:' || e.member_id || ':' || extract(epoch from e.valid_until)::bigint || ':' || r.user_id
      from (select g.plan_id, g.member_id, g.valid_until,
                   (array_agg(g.id order by g.id))[1] as grant_id,
                   array_agg(distinct g.section) as sections
              from grants g
              join plans p on p.id = g.plan_id
              join members m on m.id = g.member_id
             where p.phase <> 'closed' and m.status = 'current' and m.removed_at is null
               and g.valid_from <= ${at}::timestamptz
               and g.valid_until > ${at}::timestamptz
               and g.valid_until <= ${at}::timestamptz + interval '14 days'
               and not exists (select 1 from grant_revocations x
                                where x.grant_id = g.id and x.revoked_at <= ${at}::timestamptz)
             group by g.plan_id, g.member_id, g.valid_until) e
      join plans p on p.id = e.plan_id
      join clients c on c.id = p.client_id
     cross join lateral (values (p.lead_user_id), (c.user_id)) r(user_id)
     where r.user_id is not null
    on conflict do nothing`);
  return rows.count;
}

/**
 * Notices of actions past their due day and not done or cancelled, to the plan's lead and to the
 * action's owner (a current member with an account). Keyed by action, due day and recipient: a
 * new due day that passes gives a new notice.
 */
export async function insertActionOverdueNotices(db: Executor, now: Date): Promise<number> {
  const rows = await db.execute(sql`
    insert into notifications (recipient_user_id, kind, plan_id, subject_id, member_id, due_on, dedupe_key)
    select r.user_id, 'action_overdue', a.plan_id, a.id, a.owner_member_id, a.due_on,
           'action_overdue:' || a.id || ':' || a.due_on || ':' || r.user_id
      from actions a
      join plans p on p.id = a.plan_id
      left join members m on m.id = a.owner_member_id and m.plan_id = a.plan_id
                         and m.status = 'current' and m.removed_at is null
     cross join lateral (values (p.lead_user_id), (m.user_id)) r(user_id)
     where p.phase <> 'closed' and a.status in ('todo', 'doing')
       and a.due_on < ${brusselsDay(now)}
       and r.user_id is not null
    on conflict do nothing`);
  return rows.count;
}

/** Notices of evaluations due within 7 days (today included), to the plan's lead. */
export async function insertEvaluationDueNotices(db: Executor, now: Date): Promise<number> {
  const today = brusselsDay(now);
  const rows = await db.execute(sql`
    insert into notifications (recipient_user_id, kind, plan_id, due_on, dedupe_key)
    select p.lead_user_id, 'evaluation_due', p.id, p.next_evaluation_on,
           'evaluation_due:' || p.id || ':' || p.next_evaluation_on || ':' || p.lead_user_id
      from plans p
     where p.phase <> 'closed'
       and p.next_evaluation_on >= ${today} and p.next_evaluation_on <= ${today} + 7
    on conflict do nothing`);
  return rows.count;
}

/**
 * Notices to the members (with an account) whose grants these are, one per member: "shared with
 * you" for new grants, "access ended" (with why) for grants just ended. Ended grants that had
 * already run out are left out: nothing ended for their member now.
 */
export async function insertMemberGrantNotices(
  tx: Transaction,
  params: {
    planId: string;
    grantIds: readonly string[];
    kind: 'shared' | 'access_ended';
    reason?: AccessEndReason;
    now: Date;
  },
): Promise<number> {
  if (params.grantIds.length === 0) return 0;
  const stillRunning =
    params.kind === 'access_ended'
      ? sql`and (g.valid_until is null or g.valid_until > ${params.now.toISOString()}::timestamptz)`
      : sql``;
  const rows = await tx.execute(sql`
    insert into notifications (recipient_user_id, kind, plan_id, subject_id, member_id, sections, reason, dedupe_key)
    select m.user_id, ${params.kind}::notification_kind, g.plan_id,
           (array_agg(g.id order by g.id))[1], g.member_id, array_agg(distinct g.section),
           ${params.reason ?? null}::access_end_reason,
           ${params.kind} || ':' || (array_agg(g.id order by g.id))[1] || ':' || m.user_id
      from grants g
      join members m on m.id = g.member_id
     where g.plan_id = ${params.planId} and g.id = any(${sql.param([...params.grantIds])}::uuid[])
       and m.user_id is not null ${stillRunning}
     group by g.plan_id, g.member_id, m.user_id
    on conflict do nothing`);
  return rows.count;
}

/**
 * Notices of a meeting's decisions to its participants with an account (current members), but
 * not to whoever wrote them. Keyed by the decisions' text, so that changed decisions notify again.
 */
export async function insertMeetingDecisionNotices(
  tx: Transaction,
  params: { planId: string; meetingId: string; actorUserId: string },
): Promise<number> {
  const rows = await tx.execute(sql`
    insert into notifications (recipient_user_id, kind, plan_id, subject_id, member_id, dedupe_key)
    select m.user_id, 'meeting_decisions', mt.plan_id, mt.id, m.id,
           'meeting_decisions:' || mt.id || ':' || md5(mt.decisions) || ':' || m.user_id
      from meetings mt
      join meeting_participants mp on mp.meeting_id = mt.id and mp.plan_id = mt.plan_id
      join members m on m.id = mp.member_id and m.plan_id = mt.plan_id
     where mt.plan_id = ${params.planId} and mt.id = ${params.meetingId} and mt.decisions <> ''
       and m.user_id is not null and m.user_id <> ${params.actorUserId}
       and m.status = 'current' and m.removed_at is null
    on conflict do nothing`);
  return rows.count;
}

/** Keeps a message of the client for the plan's lead; returns its id. */
export async function insertClientMessage(
  tx: Transaction,
  params: { planId: string; authorUserId: string; body: string },
): Promise<string> {
  const [row] = await tx.insert(clientMessages).values(params).returning({ id: clientMessages.id });
  if (!row) throw new Error('the message was not written');
  return row.id;
}

export type NotificationRow = typeof notifications.$inferSelect;

/** Where a page of notices starts: after this notice (newest first). */
export interface NotificationCursor {
  createdAt: Date;
  id: string;
}

/**
 * One page of a user's own notices, newest first (keyset: creation time, then id). The recipient
 * is part of the condition: nobody reads anyone else's notices.
 */
export async function listNotifications(
  db: Executor,
  params: { recipientUserId: string; limit: number; after?: NotificationCursor; unreadOnly?: boolean },
): Promise<NotificationRow[]> {
  const { after } = params;
  return db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.recipientUserId, params.recipientUserId),
        params.unreadOnly ? isNull(notifications.readAt) : undefined,
        after
          ? or(
              lt(notifications.createdAt, after.createdAt),
              and(eq(notifications.createdAt, after.createdAt), lt(notifications.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(params.limit);
}

/** How many of a user's notices are unread. */
export async function countUnreadNotifications(db: Executor, recipientUserId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.recipientUserId, recipientUserId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/**
 * Marks one of the user's own notices read (the first time only); null when the user has no
 * notice with this id.
 */
export async function markNotificationRead(
  db: Executor,
  params: { recipientUserId: string; id: string; now: Date },
): Promise<NotificationRow | null> {
  const [row] = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, ${params.now.toISOString()}::timestamptz)` })
    .where(and(eq(notifications.id, params.id), eq(notifications.recipientUserId, params.recipientUserId)))
    .returning();
  return row ?? null;
}

/** The members notices name, with what the network policies need to decide who may see them. */
export async function findNotifiedMembers(db: Executor, memberIds: readonly string[]) {
  if (memberIds.length === 0) return [];
  return db
    .select({
      id: members.id,
      planId: members.planId,
      hidden: members.hidden,
      status: members.status,
      removedAt: members.removedAt,
      name: sql<string>`coalesce(${users.name}, ${members.name}, '')`,
    })
    .from(members)
    .leftJoin(users, eq(users.id, members.userId))
    .where(inArray(members.id, [...memberIds]));
}

/** The messages notices name, by id, within the plans given (every read names its plan). */
export async function findClientMessages(
  db: Executor,
  messages: ReadonlyArray<{ planId: string; id: string }>,
): Promise<Map<string, string>> {
  if (messages.length === 0) return new Map();
  const rows = await db
    .select({ id: clientMessages.id, planId: clientMessages.planId, body: clientMessages.body })
    .from(clientMessages)
    .where(
      and(
        inArray(clientMessages.planId, [...new Set(messages.map((m) => m.planId))]),
        inArray(
          clientMessages.id,
          messages.map((m) => m.id),
        ),
      ),
    );
  return new Map(rows.map((row) => [row.id, row.body]));
}

/** Whether the user receives the daily e-mail digest. */
export async function findEmailDigest(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db.select({ on: users.emailDigest }).from(users).where(eq(users.id, userId));
  return row?.on ?? false;
}

/** Switches the user's daily e-mail digest on or off. */
export async function updateEmailDigest(db: Executor, userId: string, on: boolean): Promise<void> {
  await db.update(users).set({ emailDigest: on }).where(eq(users.id, userId));
}

/** Who gets a digest e-mail: an address, the digest on, the account active. */
export interface DigestRecipient {
  userId: string;
  email: string;
  name: string;
  locale: 'nl' | 'fr' | 'en';
  unread: number;
}

/**
 * The users to whom a digest goes at `now`: with an e-mail address, the digest switched on, not
 * disabled, with unread notices of which at least one arrived in the day before `now`, and no
 * digest claimed for today (Brussels) yet. Counts only.
 */
export async function findDigestRecipients(db: Executor, now: Date): Promise<DigestRecipient[]> {
  const at = now.toISOString();
  const rows = await db.execute<{
    user_id: string;
    email: string;
    name: string;
    locale: DigestRecipient['locale'];
    unread: number;
  }>(sql`
    select u.id as user_id, u.email, u.name, u.locale, count(*)::int as unread
      from notifications n
      join users u on u.id = n.recipient_user_id
     where n.read_at is null and n.created_at <= ${at}::timestamptz
       and u.email is not null and u.email_digest and not u.disabled
       and not exists (select 1 from digest_deliveries d where d.user_id = u.id and d.day = ${brusselsDay(now)})
     group by u.id
    having max(n.created_at) > ${at}::timestamptz - interval '1 day'
     order by u.id`);
  return rows.map((row) => ({
    userId: row.user_id,
    email: row.email,
    name: row.name,
    locale: row.locale,
    unread: row.unread,
  }));
}

/**
 * Claims today's digest of one user before it is sent: true for the one run that claims it, false
 * when a run (this one, an earlier one, one before a crash) already did. Committed on its own, so
 * a digest is sent at most once.
 */
export async function claimDigest(db: Executor, userId: string, now: Date): Promise<boolean> {
  const rows = await db.execute(sql`
    insert into digest_deliveries (user_id, day, claimed_at)
    values (${userId}, ${brusselsDay(now)}, ${now.toISOString()}::timestamptz)
    on conflict do nothing
    returning user_id`);
  return rows.length === 1;
}

/** Records that a claimed digest went out. */
export async function markDigestSent(db: Executor, userId: string, now: Date): Promise<void> {
  await db.execute(sql`
    update digest_deliveries set sent_at = ${now.toISOString()}::timestamptz
     where user_id = ${userId} and day = ${brusselsDay(now)}`);
}
