import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Executor } from '../../db/client.ts';
import {
  sessions,
  type clients,
  type grantRevocations,
  type grants,
  type members,
  type organizations,
  type plans,
  type users,
} from '../../db/schema/index.ts';

// Row builders for tests that insert data with drizzle directly (no API, no argon2). Each builder
// returns a complete insert row with a fresh id, so that callers can link rows before inserting
// them and insert many rows of a table in one statement.

export type OrganizationRow = typeof organizations.$inferInsert & { id: string };
export type UserRow = typeof users.$inferInsert & { id: string };
export type ClientRow = typeof clients.$inferInsert & { id: string };
export type PlanRow = typeof plans.$inferInsert & { id: string };
export type MemberRow = typeof members.$inferInsert & { id: string };
export type GrantRow = typeof grants.$inferInsert & { id: string };
export type RevocationRow = typeof grantRevocations.$inferInsert;

/** A password hash no password matches: users made here sign in through `signIn` only. */
export const UNUSABLE_PASSWORD_HASH = '$argon2id$v=19$m=19456,t=2,p=1$bm90LWEtc2FsdA$bm90LWEtaGFzaA';

export function organizationRow(overrides: Partial<OrganizationRow> = {}): OrganizationRow {
  return { id: randomUUID(), name: `Organisation ${randomUUID().slice(0, 8)}`, ...overrides };
}

export function userRow(
  overrides: Partial<UserRow> & Pick<UserRow, 'kind'> & { organizationId: string | null },
): UserRow {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    email: `${id}@factory.example`,
    name: `User ${id.slice(0, 8)}`,
    passwordHash: UNUSABLE_PASSWORD_HASH,
    ...overrides,
  };
}

export function clientRow(overrides: Partial<ClientRow> & Pick<ClientRow, 'organizationId'>): ClientRow {
  return { id: randomUUID(), firstName: 'Client', lastName: randomUUID().slice(0, 8), ...overrides };
}

/** A plan; a `closed` phase gets its `closed_at` (the table requires both or neither). */
export function planRow(
  overrides: Partial<PlanRow> & Pick<PlanRow, 'clientId' | 'leadUserId' | 'organizationId'>,
): PlanRow {
  const phase = overrides.phase ?? 'active';
  return {
    id: randomUUID(),
    phase,
    closedAt: phase === 'closed' ? new Date(Date.now() - 86_400_000) : null,
    ...overrides,
  };
}

export function memberRow(
  overrides: Partial<MemberRow> & Pick<MemberRow, 'planId' | 'kind' | 'relation'>,
): MemberRow {
  return { id: randomUUID(), ...overrides };
}

export function grantRow(
  overrides: Partial<GrantRow> &
    Pick<GrantRow, 'planId' | 'memberId' | 'section' | 'access' | 'recordedBy'> & { validFrom: Date },
): GrantRow {
  return { id: randomUUID(), method: 'written', ...overrides };
}

/** The end of a grant (`method` defaults to the lead recording a verbal withdrawal). */
export function revocationRow(row: RevocationRow & { revokedAt: Date }): RevocationRow {
  return { method: 'verbal', ...row };
}

/**
 * Signs users in without a password: one open session row each and a token naming it, exactly as
 * `/api/auth/login` would issue. Returns the Bearer tokens by user id.
 */
export async function signIn(
  db: Executor,
  app: FastifyInstance,
  userIds: readonly string[],
): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = userIds.map((userId) => ({
    id: randomUUID(),
    userId,
    expiresAt: new Date(Date.now() + 86_400_000),
  }));
  await db.insert(sessions).values(rows);
  return new Map(rows.map((row) => [row.userId, app.jwt.sign({ sub: row.userId, sid: row.id })]));
}
