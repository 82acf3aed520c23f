import { integer, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Columns every table shares: a UUID key and its creation time. */
export const idColumn = () => uuid('id').primaryKey().defaultRandom();
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
/** Optimistic-concurrency counter: writes require `If-Match` with it and bump it. */
export const version = () => integer('version').notNull().default(1);
