import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { createdAt, idColumn, updatedAt, version } from './columns.ts';
import { locale, userKind } from './enums.ts';
import { organizations } from './organizations.ts';

/**
 * Everyone who signs in: professionals, clients, informal supporters and organisation admins.
 * Professionals and admins sign in with their e-mail address; clients and supporters who have
 * none with the sign-in name of their access letter.
 */
export const users = pgTable(
  'users',
  {
    id: idColumn(),
    email: text('email'),
    /** For accounts given by access letter: short, easy to type, never an e-mail address. */
    signInName: text('sign_in_name'),
    name: text('name').notNull(),
    kind: userKind('kind').notNull(),
    organizationId: uuid('organization_id').references(() => organizations.id),
    locale: locale('locale').notNull().default('nl'),
    /** Set by the organisation admin: may receive secrecy-bound sections (DESIGN.md, "Sections"). */
    secrecyBound: boolean('secrecy_bound').notNull().default(false),
    /**
     * Who confirmed the secrecy flag and on what ground: the organisation's admin, or the inviting
     * lead stating the profession when the organisation has no admin in Liaison (DESIGN.md,
     * "Accounts"). Shown to the client in "who sees what".
     */
    secrecyConfirmedBy: uuid('secrecy_confirmed_by').references((): AnyPgColumn => users.id),
    secrecyProfession: text('secrecy_profession'),
    secrecyConfirmedAt: timestamp('secrecy_confirmed_at', { withTimezone: true }),
    /** argon2id, in PHC string format; null until an access letter or invitation is used. */
    passwordHash: text('password_hash'),
    disabled: boolean('disabled').notNull().default(false),
    /** Wants the daily e-mail digest of their unread notices (switched off on /account). */
    emailDigest: boolean('email_digest').notNull().default(true),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_email_lower_idx').on(sql`lower(${t.email})`),
    uniqueIndex('users_sign_in_name_lower_idx').on(sql`lower(${t.signInName})`),
    index('users_organization_idx').on(t.organizationId),
    check('users_sign_in_by', sql`${t.email} IS NOT NULL OR ${t.signInName} IS NOT NULL`),
    check('users_sign_in_name_shape', sql`${t.signInName} IS NULL OR position('@' in ${t.signInName}) = 0`),
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
