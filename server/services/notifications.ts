import type { z } from 'zod';
import type { Executor, Transaction } from '../../db/client.ts';
import { appendAuditEvent } from '../../db/queries/audit.ts';
import {
  countUnreadNotifications,
  findClientMessages,
  findEmailDigest,
  insertClientMessage,
  findNotifiedMembers,
  insertMemberGrantNotices,
  insertMeetingDecisionNotices,
  insertNotifications,
  listNotifications,
  markNotificationRead,
  updateEmailDigest,
  type NotificationCursor,
  type NotificationInput,
  type NotificationRow,
} from '../../db/queries/notifications.ts';
import { loadPlanFactsOf } from '../../db/queries/plan-access.ts';
import type {
  NotificationListQuerySchema,
  NotificationListSchema,
  NotificationSchema,
} from '../../domain/schemas/notifications.ts';
import {
  asSubject,
  defineAbilityFor,
  readsClientMessages,
  roleInPlan,
  writesToLead,
  type AccessEndReason,
  type AppAbility,
  type PlanFacts,
  type PolicyUser,
} from '../../policies/index.ts';
import { BadRequest, NotFound } from '../errors.ts';
import { writeAudited } from './audited-write.ts';
import type { PlanContext, UserContext } from './context.ts';
import { refuse } from './refusals.ts';

type Notification = z.infer<typeof NotificationSchema>;
type NotificationList = z.infer<typeof NotificationListSchema>;

export type { NotificationInput };

/**
 * The one way to put notices in inboxes (issue 14), for any service: call it inside the
 * transaction of the change the notices are about, so that both are written or neither. Give each
 * notice a `dedupeKey` that names the event and the recipient (e.g. `handover:<planId>:<at>:<userId>`):
 * a notice whose key is already there is not written again, so a retried or repeated write adds
 * nothing. A notice holds ids, never content; what it says is decided when it is read
 * (`renderNotification`), through the recipient's ability then. A new kind goes into
 * NOTIFICATION_KINDS (domain/vocabularies.ts) and `renderNotification`.
 */
export async function notify(tx: Transaction, notices: readonly NotificationInput[]): Promise<number> {
  return insertNotifications(tx, notices);
}

/** "Shared with you": the member of these new grants is told, in the transaction that recorded them. */
export function notifyGrantsShared(
  tx: Transaction,
  planId: string,
  grantIds: readonly string[],
  now = new Date(),
) {
  return insertMemberGrantNotices(tx, { planId, grantIds, kind: 'shared', now });
}

/**
 * "Your access ended": each member of these ended grants is told why (plan closed, their part
 * ended, consent withdrawn), in the transaction that ended them.
 */
export function notifyAccessEnded(
  tx: Transaction,
  planId: string,
  grantIds: readonly string[],
  reason: AccessEndReason,
  now = new Date(),
) {
  return insertMemberGrantNotices(tx, { planId, grantIds, kind: 'access_ended', reason, now });
}

/** A meeting's decisions were written: its participants with an account (not the writer) are told. */
export function notifyMeetingDecisions(
  tx: Transaction,
  planId: string,
  meetingId: string,
  actorUserId: string,
) {
  return insertMeetingDecisionNotices(tx, { planId, meetingId, actorUserId });
}

/** What rendering a notice needs to know about its plan, for its recipient. */
interface PlanView {
  facts: PlanFacts;
  clientName: string;
  ability: AppAbility;
}

type NotifiedMember = Awaited<ReturnType<typeof findNotifiedMembers>>[number];

/**
 * A notice as its recipient may read it now (DESIGN.md, "Notices"): the plan is named only when
 * they may read it, a grant's member and end only for who reads the consent, an action's due day
 * only for who reads actions, the evaluation's day only for who reads it, a client's message only
 * for the lead. Sections named are about the recipient's own access (or the consent the lead and
 * client keep), never their content.
 */
function renderNotification(
  row: NotificationRow,
  user: PolicyUser,
  plan: PlanView | undefined,
  member: NotifiedMember | undefined,
  message: string | undefined,
): Notification {
  const ability = plan?.ability;
  const can = (...args: Parameters<AppAbility['can']>) => ability?.can(...args) ?? false;
  const planSubject = asSubject('Plan', { id: row.planId });
  const readsPlan = can('read', planSubject);
  const readsGrants = can('read', asSubject('Grant', { planId: row.planId }));
  const role = plan ? roleInPlan(user, plan.facts) : null;
  const dueOn = (() => {
    switch (row.kind) {
      case 'grant_ending':
        return readsGrants ? row.dueOn : null;
      case 'action_overdue':
        return can('read', asSubject('Action', { planId: row.planId, ownerMemberId: row.memberId }))
          ? row.dueOn
          : null;
      case 'evaluation_due':
        return can('read', planSubject, 'nextEvaluationOn') ? row.dueOn : null;
      case 'access_ended':
      case 'shared':
      case 'meeting_decisions':
      case 'client_message':
        return null;
    }
  })();
  const ownAccess = row.kind === 'access_ended' || row.kind === 'shared';
  return {
    id: row.id,
    kind: row.kind,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
    planId: row.planId,
    clientName: plan && can('read', planSubject, 'clientName') ? plan.clientName : null,
    link: readsPlan ? (role === 'client' ? '/my' : `/plans/${row.planId}`) : null,
    sections: ownAccess || (row.kind === 'grant_ending' && readsGrants) ? row.sections : [],
    reason: row.kind === 'access_ended' ? row.reason : null,
    dueOn,
    memberName:
      row.kind === 'grant_ending' && member && readsGrants && can('read', asSubject('Member', member))
        ? member.name
        : null,
    message:
      row.kind === 'client_message' && plan && readsClientMessages(user, plan.facts)
        ? (message ?? null)
        : null,
  };
}

/** The cursor of a page of notices: the last notice's creation time and id, opaque to clients. */
function encodeCursor(row: NotificationRow): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): NotificationCursor {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(createdAt.getTime()))
    throw new BadRequest('This cursor does not belong to this list.');
  return { createdAt, id };
}

/**
 * Renders notices for their recipient: the facts of every plan they are about are read now, in
 * one statement, and each notice is rendered through the ability built from them. A client's
 * message shown to the lead is a read of it, written to the plan's log (one event per plan).
 */
export async function renderNotifications(
  db: Executor,
  user: PolicyUser,
  rows: readonly NotificationRow[],
  now = new Date(),
): Promise<Notification[]> {
  const planIds = [...new Set(rows.map((row) => row.planId))];
  const loaded = await loadPlanFactsOf(db, user.id, planIds);
  const ability = defineAbilityFor(
    user,
    loaded.map((plan) => plan.facts),
    now,
  );
  const plans = new Map<string, PlanView>(
    loaded.map(({ facts, clientName }) => [facts.planId, { facts, clientName, ability }]),
  );
  const memberIds = [
    ...new Set(rows.flatMap((row) => (row.kind === 'grant_ending' && row.memberId ? [row.memberId] : []))),
  ];
  const members = new Map((await findNotifiedMembers(db, memberIds)).map((m) => [m.id, m]));
  const messageRows = rows.filter((row) => {
    const plan = plans.get(row.planId);
    return row.kind === 'client_message' && row.subjectId && plan && readsClientMessages(user, plan.facts);
  });
  const messages = await findClientMessages(
    db,
    messageRows.map((row) => ({ planId: row.planId, id: row.subjectId ?? '' })),
  );
  for (const planId of new Set(messageRows.map((row) => row.planId)))
    await appendAuditEvent(db, {
      planId,
      actorUserId: user.id,
      action: 'read',
      sections: [],
      subjectType: 'ClientMessage',
      details: { messages: messageRows.filter((row) => row.planId === planId).length },
    });
  return rows.map((row) => {
    const member = row.memberId ? members.get(row.memberId) : undefined;
    return renderNotification(
      row,
      user,
      plans.get(row.planId),
      member && member.planId === row.planId ? member : undefined,
      row.subjectId ? messages.get(row.subjectId) : undefined,
    );
  });
}

/** The signed-in user's own notices, newest first, one keyset page, rendered for them. */
export async function listMyNotifications(
  ctx: UserContext,
  query: z.infer<typeof NotificationListQuerySchema>,
): Promise<NotificationList> {
  const rows = await listNotifications(ctx.db, {
    recipientUserId: ctx.user.id,
    limit: query.limit + 1,
    ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}),
    unreadOnly: query.unread === 'true',
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: await renderNotifications(ctx.db, ctx.user, page),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    unread: await countUnreadNotifications(ctx.db, ctx.user.id),
  };
}

/** How many of the user's notices are unread (the bell). */
export async function countMyUnreadNotifications(ctx: UserContext): Promise<{ unread: number }> {
  return { unread: await countUnreadNotifications(ctx.db, ctx.user.id) };
}

/** Marks one of the user's own notices read; anyone else's, like one that does not exist, is 404. */
export async function markMyNotificationRead(ctx: UserContext, id: string): Promise<Notification> {
  const row = await markNotificationRead(ctx.db, { recipientUserId: ctx.user.id, id, now: new Date() });
  if (!row) throw new NotFound('You have no notice with this id.');
  const [rendered] = await renderNotifications(ctx.db, ctx.user, [row]);
  if (!rendered) throw new NotFound();
  return rendered;
}

/**
 * "Write to my support worker": the client's words are kept for the plan's lead only, the lead is
 * told in their inbox, and the writing is in the plan's log; one transaction. Anyone but the
 * client of an open plan is refused (logged).
 */
export async function sendClientMessage(
  ctx: PlanContext,
  body: string,
): Promise<{ id: string; sentAt: string }> {
  if (!writesToLead(ctx.user, ctx.facts))
    await refuse(ctx, {
      action: 'create',
      detail: 'Only the client writes to their support worker here.',
      whenClosed: 'This plan is closed: messages can no longer be sent here.',
    });
  const id = await writeAudited(
    ctx,
    (tx) => insertClientMessage(tx, { planId: ctx.planId, authorUserId: ctx.user.id, body }),
    (messageId) => ({ action: 'create', sections: [], subjectType: 'ClientMessage', subjectId: messageId }),
    async (tx, messageId) => {
      await notify(tx, [
        {
          recipientUserId: ctx.facts.leadUserId,
          kind: 'client_message',
          planId: ctx.planId,
          subjectId: messageId,
          dedupeKey: `client_message:${messageId}`,
        },
      ]);
    },
  );
  return { id, sentAt: new Date().toISOString() };
}

/** Switches the user's daily e-mail digest on or off. */
export async function setMyDigest(ctx: UserContext, emailDigest: boolean): Promise<{ emailDigest: boolean }> {
  await updateEmailDigest(ctx.db, ctx.user.id, emailDigest);
  return { emailDigest };
}

/** Whether the user receives the daily e-mail digest. */
export async function readMyDigest(ctx: UserContext): Promise<{ emailDigest: boolean }> {
  return { emailDigest: await findEmailDigest(ctx.db, ctx.user.id) };
}
