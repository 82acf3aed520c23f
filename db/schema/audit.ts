import {
  bigint,
  customType,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn } from './columns.ts';
import { auditOutcome } from './enums.ts';
import { plans } from './plans.ts';
import { users } from './users.ts';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * Append-only access log. Reads of plan content (by anyone but the client), changes, grants,
 * revocations and refused attempts. Rows of one plan form a SHA-256 hash chain (`seq`, `prev_hash`,
 * `hash`); the database refuses UPDATE and DELETE (trigger in the migrations).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: idColumn(),
    /** Null for events outside any plan (sign-in, organisation changes). */
    planId: uuid('plan_id').references(() => plans.id),
    /** Position in the plan's chain, from 1; for events without a plan, a position in the global chain. */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid('actor_user_id').references(() => users.id),
    /** e.g. `read`, `create`, `update`, `delete`, `grant`, `revoke`, `login`. */
    action: text('action').notNull(),
    outcome: auditOutcome('outcome').notNull().default('ok'),
    sections: text('sections').array().notNull(),
    /** What the event is about (`Goal`, `Grant`, …) and its id, when it is about one record. */
    subjectType: text('subject_type'),
    subjectId: uuid('subject_id'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    prevHash: bytea('prev_hash'),
    hash: bytea('hash').notNull(),
  },
  (t) => [
    uniqueIndex('audit_events_plan_seq_idx').on(t.planId, t.seq),
    index('audit_events_actor_idx').on(t.actorUserId),
  ],
);

/**
 * The last link of each chain: appending an event is one statement that moves the head on (the
 * row lock of the upsert serializes appends to one chain, other chains never wait) and inserts the
 * event. `audit:verify` checks the events themselves; the head is where the next one starts.
 */
export const auditChainHeads = pgTable('audit_chain_heads', {
  /** The plan's id, or `-` for the chain of events outside any plan. */
  chain: text('chain').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  prevHash: bytea('prev_hash'),
  hash: bytea('hash').notNull(),
});
