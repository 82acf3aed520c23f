import { sql } from 'drizzle-orm';
import { boolean, check, date, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { idColumn } from './columns.ts';
import { closureReason, consentMethod, grantAccess, section } from './enums.ts';
import { members, plans } from './plans.ts';
import { users } from './users.ts';

/**
 * One consent grant: the client allows one member to see one section. Immutable: a change is a
 * new grant or a revocation (DESIGN.md, "Consent lifecycle"); the database refuses UPDATE and DELETE.
 */
export const grants = pgTable(
  'grants',
  {
    id: idColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    section: section('section').notNull(),
    access: grantAccess('access').notNull(),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull().defaultNow(),
    validUntil: timestamp('valid_until', { withTimezone: true }),
    method: consentMethod('method').notNull(),
    note: text('note'),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('grants_plan_member_idx').on(t.planId, t.memberId),
    check('grants_period_order', sql`${t.validUntil} IS NULL OR ${t.validUntil} > ${t.validFrom}`),
  ],
);

/**
 * The end of a grant, recorded once. A member becoming past or removed, and closing the plan,
 * also write revocations so that the history says why access ended.
 */
export const grantRevocations = pgTable(
  'grant_revocations',
  {
    grantId: uuid('grant_id')
      .primaryKey()
      .references(() => grants.id),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    revokedAt: timestamp('revoked_at', { withTimezone: true }).notNull().defaultNow(),
    revokedBy: uuid('revoked_by')
      .notNull()
      .references(() => users.id),
    method: consentMethod('method'),
    reason: text('reason'),
  },
  (t) => [index('grant_revocations_plan_idx').on(t.planId)],
);

/**
 * The client's decisions to hide a member from partners or show them again (DESIGN.md, "Network
 * visibility"): made in the app by the client, or recorded by the lead the way consent is (method
 * and note). Never edited; the consent history shows them with the grants.
 */
export const visibilityDecisions = pgTable(
  'visibility_decisions',
  {
    id: idColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    hidden: boolean('hidden').notNull(),
    method: consentMethod('method').notNull(),
    note: text('note'),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('visibility_decisions_plan_idx').on(t.planId, t.recordedAt)],
);

/**
 * The lead role passed to a colleague, with the client's consent recorded the way consent is (how
 * and when the client agreed; DESIGN.md, "Continuity"). Never edited: the database refuses UPDATE
 * and DELETE.
 */
export const leadHandovers = pgTable(
  'lead_handovers',
  {
    id: idColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    fromUserId: uuid('from_user_id')
      .notNull()
      .references(() => users.id),
    toUserId: uuid('to_user_id')
      .notNull()
      .references(() => users.id),
    /** What the lead chose for themselves: to stay as co-lead, or to leave the network (past). */
    previousLeadBecomes: text('previous_lead_becomes').notNull(),
    /** How the client agreed: verbally or in writing, to the lead. */
    method: consentMethod('method').notNull(),
    note: text('note'),
    /** When the client agreed. */
    consentGivenAt: timestamp('consent_given_at', { withTimezone: true }).notNull(),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('lead_handovers_plan_idx').on(t.planId, t.recordedAt),
    check('lead_handovers_previous_lead', sql`${t.previousLeadBecomes} IN ('past', 'co_lead')`),
  ],
);

/**
 * A closed plan opened again for a new cycle, with the end of the cycle before it as it was (the
 * plan's `closure` section is then empty for the new cycle). Never edited.
 */
export const planReopenings = pgTable(
  'plan_reopenings',
  {
    id: idColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    previousClosedAt: timestamp('previous_closed_at', { withTimezone: true }).notNull(),
    previousClosedOn: date('previous_closed_on'),
    previousReason: text('previous_reason'),
    previousReasonKind: closureReason('previous_reason_kind'),
    previousHandover: text('previous_handover'),
    note: text('note'),
    reopenedBy: uuid('reopened_by')
      .notNull()
      .references(() => users.id),
    reopenedAt: timestamp('reopened_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('plan_reopenings_plan_idx').on(t.planId, t.reopenedAt)],
);
