import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, updatedAt, version } from './columns.ts';
import { locale, userKind } from './enums.ts';
import { organizations } from './organizations.ts';

/** Everyone who signs in: professionals, clients and organisation admins. */
export const users = pgTable(
  'users',
  {
    id: idColumn(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    kind: userKind('kind').notNull(),
    organizationId: uuid('organization_id').references(() => organizations.id),
    locale: locale('locale').notNull().default('nl'),
    /** Set by the organisation admin: may receive secrecy-bound sections (DESIGN.md, "Sections"). */
    secrecyBound: boolean('secrecy_bound').notNull().default(false),
    /** argon2id, in PHC string format. */
    passwordHash: text('password_hash').notNull(),
    disabled: boolean('disabled').notNull().default(false),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_email_lower_idx').on(sql`lower(${t.email})`),
    index('users_organization_idx').on(t.organizationId),
  ],
);

/**
 * A signed-in session. The JWT names the session, so that logging out or disabling the user
 * is refused on the very next request.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: idColumn(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);
