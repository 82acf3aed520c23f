import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  date,
  index,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, idColumn, updatedAt, version } from './columns.ts';
import { memberKind, memberStatus, phase } from './enums.ts';
import { organizations } from './organizations.ts';
import { users } from './users.ts';

/**
 * The person a plan is about. Contact fields belong to the `agreements` section
 * (DESIGN.md, "What every partner sees") and are trimmed by the policies.
 */
export const clients = pgTable(
  'clients',
  {
    id: idColumn(),
    /** The client's own account, when they have one. */
    userId: uuid('user_id').references(() => users.id),
    /** The organisation that registered the client. */
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    birthDate: date('birth_date'),
    phone: text('phone'),
    email: text('email'),
    address: text('address'),
    preferredLanguage: text('preferred_language'),
    /** The client needs an interpreter to talk with the network (shown with their language). */
    needsInterpreter: boolean('needs_interpreter').notNull().default(false),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('clients_user_idx').on(t.userId),
    index('clients_organization_idx').on(t.organizationId),
  ],
);

/** The network plan around one client. */
export const plans = pgTable(
  'plans',
  {
    id: idColumn(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id),
    leadUserId: uuid('lead_user_id')
      .notNull()
      .references(() => users.id),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    phase: phase('phase').notNull().default('registration'),
    startedOn: date('started_on').notNull().defaultNow(),
    nextEvaluationOn: date('next_evaluation_on'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /**
     * The earlier plan of a client who came back and was registered again: a link only, its
     * content stays readable under the earlier plan's own rules.
     */
    previousPlanId: uuid('previous_plan_id').references((): AnyPgColumn => plans.id),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('plans_lead_idx').on(t.leadUserId, t.id),
    index('plans_client_idx').on(t.clientId),
    index('plans_organization_idx').on(t.organizationId),
    check('plans_closed_consistent', sql`(${t.phase} = 'closed') = (${t.closedAt} IS NOT NULL)`),
  ],
);

/**
 * A person in the client's network (the `network` section): a professional linked to a user
 * and their organisation, or an informal supporter known only by name and relation.
 */
export const members = pgTable(
  'members',
  {
    id: idColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    kind: memberKind('kind').notNull(),
    userId: uuid('user_id').references(() => users.id),
    organizationId: uuid('organization_id').references(() => organizations.id),
    /**
     * For informal members (with or without a circle account), and professionals without an
     * account; professionals with an account take their name from `users`.
     */
    name: text('name'),
    relation: text('relation').notNull(),
    lifeDomains: text('life_domains')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    status: memberStatus('status').notNull().default('current'),
    /** Hidden from partners by the client's choice (DESIGN.md, "Network visibility"). */
    hidden: boolean('hidden').notNull().default(false),
    /**
     * The client decided the hiding (in the app, or recorded by the lead): only the client shows
     * the member again, or the lead recording the client's decision (DESIGN.md, "Network visibility").
     */
    hiddenByClient: boolean('hidden_by_client').notNull().default(false),
    /** 1 = closest to the client on the network map, 3 = furthest. */
    closeness: smallint('closeness').notNull().default(2),
    /** A member of the lead's organisation who co-leads the plan. */
    coLead: boolean('co_lead').notNull().default(false),
    endedOn: date('ended_on'),
    /** Removed from the network; the row stays so that grants and the access log keep their history. */
    removedAt: timestamp('removed_at', { withTimezone: true }),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('members_plan_idx').on(t.planId),
    index('members_user_idx').on(t.userId, t.planId),
    check('members_closeness_range', sql`${t.closeness} BETWEEN 1 AND 3`),
    check(
      'members_kind_shape',
      sql`(${t.kind} = 'professional' AND (${t.userId} IS NOT NULL OR ${t.name} IS NOT NULL)) OR (${t.kind} = 'informal' AND ${t.name} IS NOT NULL)`,
    ),
  ],
);
