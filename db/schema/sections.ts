import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { createdAt, idColumn, updatedAt, version } from './columns.ts';
import { actionStatus, closureReason, goalStatus, lifeDomain } from './enums.ts';
import { members, plans } from './plans.ts';
import { users } from './users.ts';

// One table per section of DESIGN.md. Every row carries `plan_id` (the distribution key) and
// every mutable row a `version`; `updated_by` names who last changed it for the access log.

const planId = () =>
  uuid('plan_id')
    .notNull()
    .references(() => plans.id);
const updatedBy = () => uuid('updated_by').references(() => users.id);

/** `request`: the client's request in their own words and the clarified question (one per plan). */
export const planRequests = pgTable(
  'plan_requests',
  {
    id: idColumn(),
    planId: planId(),
    clientWords: text('client_words').notNull().default(''),
    clarifiedQuestion: text('clarified_question').notNull().default(''),
    version: version(),
    updatedBy: updatedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('plan_requests_plan_idx').on(t.planId)],
);

/** `goals`: goals by life domain, in the client's words. */
export const goals = pgTable(
  'goals',
  {
    id: idColumn(),
    planId: planId(),
    lifeDomain: lifeDomain('life_domain').notNull(),
    title: text('title').notNull(),
    clientWords: text('client_words').notNull().default(''),
    status: goalStatus('status').notNull().default('open'),
    targetDate: date('target_date'),
    position: integer('position').notNull().default(0),
    version: version(),
    updatedBy: updatedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('goals_plan_idx').on(t.planId, t.position)],
);

/** `actions`: the plan of approach: who does what, by when. */
export const actions = pgTable(
  'actions',
  {
    id: idColumn(),
    planId: planId(),
    goalId: uuid('goal_id').references(() => goals.id),
    ownerMemberId: uuid('owner_member_id').references(() => members.id),
    /** The meeting whose decision this action carries out, when it was made from one. */
    meetingId: uuid('meeting_id').references((): AnyPgColumn => meetings.id),
    /** The decision's words as they stood in the meeting when the action was made from it. */
    decision: text('decision'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    dueOn: date('due_on'),
    status: actionStatus('status').notNull().default('todo'),
    version: version(),
    updatedBy: updatedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('actions_plan_idx').on(t.planId, t.dueOn), index('actions_owner_idx').on(t.ownerMemberId)],
);

/**
 * An action's thread (part of the `actions` section): each note and status change, with who wrote
 * it and when. Append-only (its triggers refuse UPDATE, DELETE and TRUNCATE): a later entry never
 * replaces an earlier one. `author_user_id` is null only for notes moved from before the thread
 * (migration 0016) whose writer was not recorded.
 */
export const actionEntries = pgTable(
  'action_entries',
  {
    id: idColumn(),
    planId: planId(),
    actionId: uuid('action_id')
      .notNull()
      .references(() => actions.id),
    authorUserId: uuid('author_user_id').references(() => users.id),
    /** The status the action was given by this entry; null when the status stayed. */
    status: actionStatus('status'),
    note: text('note').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [
    index('action_entries_action_idx').on(t.planId, t.actionId, t.createdAt),
    check('action_entries_say_something', sql`${t.status} IS NOT NULL OR ${t.note} <> ''`),
  ],
);

/** `agreements`: partner roles and agreements, who to call when something happens. */
export const agreements = pgTable(
  'agreements',
  {
    id: idColumn(),
    planId: planId(),
    memberId: uuid('member_id').references(() => members.id),
    role: text('role').notNull(),
    agreement: text('agreement').notNull().default(''),
    referencePerson: text('reference_person').notNull().default(''),
    callWhen: text('call_when').notNull().default(''),
    version: version(),
    updatedBy: updatedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('agreements_plan_idx').on(t.planId)],
);

/** `crisis`: early signs, what helps, whom to call (one per plan). */
export const crisisPlans = pgTable(
  'crisis_plans',
  {
    id: idColumn(),
    planId: planId(),
    earlySigns: text('early_signs').notNull().default(''),
    whatHelps: text('what_helps').notNull().default(''),
    whomToCall: text('whom_to_call').notNull().default(''),
    version: version(),
    updatedBy: updatedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('crisis_plans_plan_idx').on(t.planId)],
);

/** `background` (secrecy-bound): situation and history (one per plan). */
export const backgrounds = pgTable(
  'backgrounds',
  {
    id: idColumn(),
    planId: planId(),
    situation: text('situation').notNull().default(''),
    health: text('health').notNull().default(''),
    diagnoses: text('diagnoses').notNull().default(''),
    justice: text('justice').notNull().default(''),
    finances: text('finances').notNull().default(''),
    version: version(),
    updatedBy: updatedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('backgrounds_plan_idx').on(t.planId)],
);

/**
 * `meetings`: consultations. Date, title, participants and decisions go to every reader of the
 * section; the discussion notes only to readers bound by professional secrecy (DESIGN.md).
 */
export const meetings = pgTable(
  'meetings',
  {
    id: idColumn(),
    planId: planId(),
    heldAt: timestamp('held_at', { withTimezone: true }).notNull(),
    title: text('title').notNull(),
    notes: text('notes').notNull().default(''),
    decisions: text('decisions').notNull().default(''),
    /** The client took part (the client is no member of their own network). */
    clientTookPart: boolean('client_took_part').notNull().default(false),
    version: version(),
    updatedBy: updatedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('meetings_plan_idx').on(t.planId, t.heldAt)],
);

/** Who took part in a meeting (part of the `meetings` section). */
export const meetingParticipants = pgTable(
  'meeting_participants',
  {
    planId: planId(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
  },
  (t) => [
    primaryKey({ columns: [t.meetingId, t.memberId] }),
    index('meeting_participants_plan_idx').on(t.planId),
  ],
);

/** Notes added to a meeting by a partner who took part and may contribute (append-only). */
export const meetingNotes = pgTable(
  'meeting_notes',
  {
    id: idColumn(),
    planId: planId(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id),
    authorUserId: uuid('author_user_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('meeting_notes_meeting_idx').on(t.planId, t.meetingId)],
);

/** `evaluations`: evaluations of the goals and of the collaboration. */
export const evaluations = pgTable(
  'evaluations',
  {
    id: idColumn(),
    planId: planId(),
    evaluatedOn: date('evaluated_on').notNull(),
    collaborationRating: smallint('collaboration_rating'),
    collaborationNotes: text('collaboration_notes').notNull().default(''),
    version: version(),
    updatedBy: updatedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('evaluations_plan_idx').on(t.planId, t.evaluatedOn),
    check(
      'evaluations_rating_range',
      sql`${t.collaborationRating} IS NULL OR ${t.collaborationRating} BETWEEN 1 AND 5`,
    ),
  ],
);

/** How one goal was rated in an evaluation (part of the `evaluations` section). */
export const evaluationGoals = pgTable(
  'evaluation_goals',
  {
    planId: planId(),
    evaluationId: uuid('evaluation_id')
      .notNull()
      .references(() => evaluations.id),
    goalId: uuid('goal_id')
      .notNull()
      .references(() => goals.id),
    rating: smallint('rating').notNull(),
    notes: text('notes').notNull().default(''),
  },
  (t) => [
    primaryKey({ columns: [t.evaluationId, t.goalId] }),
    index('evaluation_goals_plan_idx').on(t.planId),
    check('evaluation_goals_rating_range', sql`${t.rating} BETWEEN 1 AND 5`),
  ],
);

/**
 * A partner's or the client's own rating and words added to an evaluation (part of the
 * `evaluations` section, seed 000: "Hoe evalueer je de samenwerking?"): one per author per
 * evaluation, changed only by its author.
 */
export const evaluationContributions = pgTable(
  'evaluation_contributions',
  {
    id: idColumn(),
    planId: planId(),
    evaluationId: uuid('evaluation_id')
      .notNull()
      .references(() => evaluations.id),
    authorUserId: uuid('author_user_id')
      .notNull()
      .references(() => users.id),
    /** The partner's member row in the plan when they wrote it; null for the client. */
    authorMemberId: uuid('author_member_id').references(() => members.id),
    /** How the goals went, 1 (very badly) to 5 (very well); null when the author left it open. */
    goalsRating: smallint('goals_rating'),
    goalsWords: text('goals_words').notNull().default(''),
    /** How working together went, on the same scale. */
    collaborationRating: smallint('collaboration_rating'),
    collaborationWords: text('collaboration_words').notNull().default(''),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // One per author: per member row for partners (a member re-added is a new author), one for the client.
    uniqueIndex('evaluation_contributions_member_idx')
      .on(t.planId, t.evaluationId, t.authorMemberId)
      .where(sql`${t.authorMemberId} IS NOT NULL`),
    uniqueIndex('evaluation_contributions_client_idx')
      .on(t.planId, t.evaluationId)
      .where(sql`${t.authorMemberId} IS NULL`),
    check(
      'evaluation_contributions_rating_range',
      sql`(${t.goalsRating} IS NULL OR ${t.goalsRating} BETWEEN 1 AND 5) AND (${t.collaborationRating} IS NULL OR ${t.collaborationRating} BETWEEN 1 AND 5)`,
    ),
  ],
);

/** `closure`: the end of the collaboration (one per plan). */
export const closures = pgTable(
  'closures',
  {
    id: idColumn(),
    planId: planId(),
    closedOn: date('closed_on').notNull(),
    /** The lead's own words: shown in the plan, never counted. */
    reason: text('reason').notNull(),
    /**
     * The reason as one word of the list, which the figures count. Its default is the kind of the
     * closures written before the list (migration 0016) and of rows written outside the API (tests'
     * worlds, the bench); closing a plan through the API always states it.
     */
    reasonKind: closureReason('reason_kind').notNull().default('other'),
    handover: text('handover').notNull().default(''),
    version: version(),
    updatedBy: updatedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('closures_plan_idx').on(t.planId)],
);

/**
 * When a user last opened a plan, and when their visit before that one began: "new since your
 * last visit" marks what changed after `previous_visit_at`. Reads within a visit (less than an
 * hour apart) keep the same previous visit, so saving and reloading does not wipe the marks.
 */
export const planVisits = pgTable(
  'plan_visits',
  {
    planId: planId(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    previousVisitAt: timestamp('previous_visit_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.planId, t.userId] })],
);
