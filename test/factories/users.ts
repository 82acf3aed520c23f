import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../db/passwords.ts';
import type { Executor } from '../../db/client.ts';
import { organizations, users } from '../../db/schema/index.ts';
import type { Locale, UserKind } from '../../policies/index.ts';
import { organizationRow, type OrganizationRow, type UserRow } from './rows.ts';

// Builders that insert organisations and users into a test database (Immich's "medium" tests as
// the model): sensible defaults, every field overridable, the inserted row returned. Users get a
// known password, so that tests sign in through the real login route (test/helpers/session.ts).

/** The password of every user made here unless a test chooses another. */
export const TEST_PASSWORD = 'factory-password-0123';

/** A user as inserted, with the password that signs them in. */
export type TestUser = Required<Pick<UserRow, 'id' | 'name' | 'kind' | 'secrecyBound'>> & {
  /** Factory users always have one (letter-only accounts are made through the API). */
  email: string;
  organizationId: string | null;
  password: string;
};

// argon2 costs tens of milliseconds: the shared password is hashed once per test file.
let testPasswordHash: Promise<string> | undefined;
const passwordHashOf = (password: string) =>
  password === TEST_PASSWORD ? (testPasswordHash ??= hashPassword(TEST_PASSWORD)) : hashPassword(password);

/** Inserts an organisation (a fresh name unless given). */
export async function createOrganization(
  db: Executor,
  overrides: Partial<OrganizationRow> = {},
): Promise<OrganizationRow> {
  const row = organizationRow(overrides);
  await db.insert(organizations).values(row);
  return row;
}

export interface UserOptions {
  kind?: UserKind;
  /** Defaults to a new organisation for professionals and admins; clients have none. */
  organization?: { id: string } | null;
  secrecyBound?: boolean;
  email?: string;
  name?: string;
  locale?: Locale;
  disabled?: boolean;
  password?: string;
  id?: string;
}

/** Inserts a user: a professional of a new organisation, not secrecy-bound, unless told otherwise. */
export async function createUser(db: Executor, options: UserOptions = {}): Promise<TestUser> {
  const kind = options.kind ?? 'professional';
  const organization =
    options.organization !== undefined
      ? options.organization
      : kind === 'client' || kind === 'supporter'
        ? null
        : await createOrganization(db);
  const id = options.id ?? randomUUID();
  const password = options.password ?? TEST_PASSWORD;
  const user: TestUser = {
    id,
    email: options.email ?? `${kind}-${id.slice(0, 8)}@factory.example`,
    name: options.name ?? `${kind[0]?.toUpperCase()}${kind.slice(1)} ${id.slice(0, 8)}`,
    kind,
    organizationId: organization?.id ?? null,
    secrecyBound: options.secrecyBound ?? false,
    password,
  };
  await db.insert(users).values({
    id: user.id,
    email: user.email,
    name: user.name,
    kind,
    organizationId: user.organizationId,
    secrecyBound: user.secrecyBound,
    locale: options.locale ?? 'nl',
    disabled: options.disabled ?? false,
    passwordHash: await passwordHashOf(password),
  });
  return user;
}

/** A professional (see {@link createUser}). */
export function createProfessional(db: Executor, options: Omit<UserOptions, 'kind'> = {}): Promise<TestUser> {
  return createUser(db, { ...options, kind: 'professional' });
}

/** An organisation admin: of a new organisation unless given one. */
export function createAdmin(db: Executor, options: Omit<UserOptions, 'kind'> = {}): Promise<TestUser> {
  return createUser(db, { ...options, kind: 'admin' });
}

/** A client's account (no organisation). */
export function createClientUser(
  db: Executor,
  options: Omit<UserOptions, 'kind' | 'organization'> = {},
): Promise<TestUser> {
  return createUser(db, { ...options, kind: 'client', organization: null });
}
