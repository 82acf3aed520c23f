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

const WRONG_CREDENTIALS = 'This e-mail address and password do not match an account.';

export interface SignIn {
  email: string;
  password: string;
  /** The client's address, for the per-address throttle. */
  address: string;
  userAgent: string | null;
  ttlSeconds: number;
}

/**
 * Checks e-mail and password and opens a session. Unknown e-mail, wrong password and a disabled
 * account get the same 401 (a decoy hash is verified for an unknown e-mail); failures are throttled
 * per account and per address, successes cost nothing.
 */
export async function signIn(
  db: Database,
  throttle: LoginThrottle,
  attempt: SignIn,
): Promise<{ user: SessionUser; sessionId: string; expiresAt: Date }> {
  await throttle.assertAllowed(attempt.email, attempt.address);
  const account = await findUserForSignIn(db, attempt.email);
  const passwordMatches = await verifyPassword(account?.passwordHash ?? null, attempt.password);
  if (!account || !passwordMatches || account.disabled) {
    await throttle.recordFailure(attempt.email, attempt.address);
    throw new Unauthorized(WRONG_CREDENTIALS);
  }
  await throttle.recordSuccess(attempt.email);
  const expiresAt = new Date(Date.now() + attempt.ttlSeconds * 1000);
  const sessionId = await createSession(db, { userId: account.id, expiresAt, userAgent: attempt.userAgent });
  const user = await findSessionUser(db, sessionId, new Date());
  if (!user) throw new Unauthorized(WRONG_CREDENTIALS);
  return { user, sessionId, expiresAt };
}

/** Ends a session: the next request carrying its token is refused. */
export async function signOut(db: Database, sessionId: string | null): Promise<void> {
  if (sessionId) await revokeSession(db, sessionId);
}
