import { index, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn } from './columns.ts';
import { accessCodePurpose, locale, userKind } from './enums.ts';
import { organizations } from './organizations.ts';
import { members, plans } from './plans.ts';
import { users } from './users.ts';

/**
 * One-time codes and links: an access letter's activation code, an invitation link, a password
 * reset link. Only a SHA-256 digest is stored; each is used once, ends at `expiresAt`, and may be
 * revoked (a new letter revokes the previous one). `failedAttempts` counts wrong codes typed for
 * an access letter, which is blocked after a limit.
 */
export const accessCodes = pgTable(
  'access_codes',
  {
    id: idColumn(),
    purpose: accessCodePurpose('purpose').notNull(),
    codeDigest: text('code_digest').notNull(),
    /** The account the code opens; for an invitation, set when it is accepted. */
    userId: uuid('user_id').references(() => users.id),
    /** The plan the letter or invitation was made from, whose log shows each step. */
    planId: uuid('plan_id').references(() => plans.id),
    /** The network member the new account becomes (invitations and supporters' letters). */
    memberId: uuid('member_id').references(() => members.id),
    /** Invitations: the account to create. */
    organizationId: uuid('organization_id').references(() => organizations.id),
    email: text('email'),
    name: text('name'),
    accountKind: userKind('account_kind'),
    /** Invitations by a lead where the organisation has no admin: the profession stated for the secrecy flag. */
    statedProfession: text('stated_profession'),
    locale: locale('locale').notNull().default('nl'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    failedAttempts: smallint('failed_attempts').notNull().default(0),
  },
  (t) => [
    uniqueIndex('access_codes_digest_idx').on(t.codeDigest),
    index('access_codes_user_idx').on(t.userId, t.purpose),
    index('access_codes_member_idx').on(t.memberId),
  ],
);
