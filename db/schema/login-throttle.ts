import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Failed attempts at signing in, activating a letter or asking for a password reset, counted per
 * key (an account and address pair, an account, an address) so that every instance of Liaison on
 * one database counts together. `blockedUntil` is when the key's next attempt may be checked;
 * rows whose window and delay are over are deleted lazily, by the next failure.
 */
export const loginThrottle = pgTable(
  'login_throttle',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    blockedUntil: timestamp('blocked_until', { withTimezone: true }),
  },
  (t) => [index('login_throttle_window_start_idx').on(t.windowStart)],
);
