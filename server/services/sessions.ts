import type { Database } from '../../db/client.ts';
import { verifyPassword } from '../../db/passwords.ts';
import {
  createSession,
  findSessionUser,
  findUserForSignIn,
  revokeSession,
  type SessionUser,
} from '../../db/queries/users.ts';
import { Unauthorized } from '../errors.ts';
import type { LoginThrottle } from './login-throttle.ts';

const WRONG_CREDENTIALS = 'This e-mail address or sign-in name and this password do not match an account.';

export interface SignIn {
  /** An e-mail address or a sign-in name. */
  login: string;
  password: string;
  /** The client's address, for the per-address throttle. */
  address: string;
  userAgent: string | null;
  ttlSeconds: number;
}

/**
 * Checks e-mail and password and opens a session. Unknown e-mail, wrong password and a disabled
 * account get the same 401 (a decoy hash is verified for an unknown e-mail); failures slow further
 * attempts of the account from that address (and, at far higher counts, of the account and of the
 * address), and a success clears the account's count from that address.
 */
export async function signIn(db: Database, throttle: LoginThrottle, attempt: SignIn): Promise<OpenedSession> {
  await throttle.assertAllowed(attempt.login, attempt.address);
  const account = await findUserForSignIn(db, attempt.login);
  const passwordMatches = await verifyPassword(account?.passwordHash ?? null, attempt.password);
  if (!account || !passwordMatches || account.disabled) {
    await throttle.recordFailure(attempt.login, attempt.address);
    throw new Unauthorized(WRONG_CREDENTIALS);
  }
  await throttle.recordSuccess(attempt.login, attempt.address);
  return openSession(db, account.id, attempt);
}

/** A session just opened, with its user as the request context carries them. */
export interface OpenedSession {
  user: SessionUser;
  sessionId: string;
  expiresAt: Date;
}

/** Opens a session for a user whose credentials were checked (password, letter, invitation). */
export async function openSession(
  db: Database,
  userId: string,
  options: { userAgent: string | null; ttlSeconds: number },
): Promise<OpenedSession> {
  const expiresAt = new Date(Date.now() + options.ttlSeconds * 1000);
  const sessionId = await createSession(db, { userId, expiresAt, userAgent: options.userAgent });
  const user = await findSessionUser(db, sessionId, new Date());
  if (!user) throw new Unauthorized(WRONG_CREDENTIALS);
  return { user, sessionId, expiresAt };
}

/** Ends a session: the next request carrying its token is refused. */
export async function signOut(db: Database, sessionId: string | null): Promise<void> {
  if (sessionId) await revokeSession(db, sessionId);
}
