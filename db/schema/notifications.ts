import { sql } from 'drizzle-orm';
import { date, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn } from './columns.ts';
import { accessEndReason, notificationKind, section } from './enums.ts';
import { members, plans } from './plans.ts';
import { users } from './users.ts';

/**
 * One notice in one user's inbox (issue 14). It holds ids and facts about the recipient's own
 * access, never plan content: what it says is rendered when it is read, through the recipient's
 * ability at that moment (server/services/notifications.ts). `dedupe_key` makes every writer
 * idempotent: a job run twice, or again after a crash, inserts a notice once
 * (`insert … on conflict do nothing`).
 */
export const notifications = pgTable(
  'notifications',
  {
    id: idColumn(),
    recipientUserId: uuid('recipient_user_id')
      .notNull()
      .references(() => users.id),
    kind: notificationKind('kind').notNull(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    /** The record it is about: a grant, an action, a meeting or a client's message. */
    subjectId: uuid('subject_id'),
    /** The member it is about (whose grant ends, whose access ended, who was given access). */
    memberId: uuid('member_id').references(() => members.id),
    /** The sections of the grants it is about. */
    sections: section('sections')
      .array()
      .notNull()
      .default(sql`'{}'`),
    reason: accessEndReason('reason'),
    /** The day it is about: a grant's end, an action's or an evaluation's due date. */
    dueOn: date('due_on'),
    dedupeKey: text('dedupe_key').notNull().unique(),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    index('notifications_recipient_idx').on(t.recipientUserId, t.createdAt, t.id),
    index('notifications_unread_idx')
      .on(t.recipientUserId)
      .where(sql`${t.readAt} IS NULL`),
  ],
);

/**
 * A message from the client to their lead ("write to my support worker"): read by the plan's lead
 * only, never by partners; writing it is audited in the plan's log.
 */
export const clientMessages = pgTable(
  'client_messages',
  {
    id: idColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    authorUserId: uuid('author_user_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('client_messages_plan_idx').on(t.planId, t.createdAt)],
);

/**
 * The daily digest e-mail of one user on one day (Europe/Brussels). The row is claimed before the
 * e-mail goes out, so that a second run, or a run after a crash, never sends it again: a digest is
 * sent at most once (a crash between the claim and the send skips that day's e-mail, never the
 * notices, which stay in the inbox).
 */
export const digestDeliveries = pgTable(
  'digest_deliveries',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    day: date('day').notNull(),
    claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.day] })],
);
