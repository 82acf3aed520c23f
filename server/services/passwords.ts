import { forNobody } from '../../db/scope.ts';
import type { z } from 'zod';
import type { Database } from '../../db/client.ts';
import {
  findUsableCode,
  insertAccessCode,
  markCodeUsed,
  revokeOpenCodesOfUser,
} from '../../db/queries/access-codes.ts';
import {
  findAccount,
  findAccountByEmail,
  listOpenSessions,
  revokeOwnSession,
  revokeSessionsOfUser,
  setPasswordHash,
} from '../../db/queries/accounts.ts';
import { appendAuditEvent } from '../../db/queries/audit.ts';
import { hashPassword, verifyPassword } from '../../db/passwords.ts';
import type { ChangePasswordSchema, DeviceListSchema } from '../../domain/schemas/accounts.ts';
import { passwordResetMail } from '../mail/messages.ts';
import { InvalidCode, NotFound, Unprocessable } from '../errors.ts';
import type { UserContext } from './context.ts';
import type { MailSetup } from './invitations.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { CODE_LIFETIME_MS, digestOf, newLinkToken } from './one-time-codes.ts';
import { assertPassphrase } from './passphrases.ts';

// Passwords and signed-in devices: change with the current password, reset by an e-mailed link,
// see where you are signed in and sign out everywhere.

export const INVALID_RESET_LINK =
  'This link does not work: it may have expired (after one hour) or been used. Ask for a new one.';

/** Changes the signed-in user's password; their other sessions end. */
export async function changePassword(
  ctx: UserContext,
  body: z.infer<typeof ChangePasswordSchema>,
  currentSessionId: string | null,
): Promise<void> {
  const account = await findAccount(ctx.db, ctx.user.id);
  if (!account || !(await verifyPassword(account.passwordHash, body.currentPassword)))
    throw new Unprocessable(
      'wrong-password',
      'Wrong current password',
      'The current password you typed is not right.',
    );
  assertPassphrase(body.newPassword, account);
  const passwordHash = await hashPassword(body.newPassword);
  await ctx.db.transaction(async (tx) => {
    await setPasswordHash(tx, account.id, passwordHash);
    const ended = await revokeSessionsOfUser(tx, account.id, currentSessionId);
    await appendAuditEvent(tx, {
      planId: null,
      actorUserId: account.id,
      action: 'password-change',
      sections: [],
      subjectType: 'User',
      subjectId: account.id,
      details: { sessionsEnded: ended },
    });
  });
}

/**
 * Sends a reset link to an account with this e-mail address, if there is one: the answer is the
 * same either way, so that nobody learns who has an account. Throttled per address and per e-mail.
 */
export const requestPasswordReset = forNobody(async function requestPasswordReset(
  db: Database,
  throttle: LoginThrottle,
  request: { email: string; address: string },
  { mailer, urls }: MailSetup,
  onMailFailure: (error: unknown) => void,
): Promise<void> {
  await throttle.assertAllowed(request.email, request.address);
  // Every request counts: a reset request is not a failure, but sending mail is not free either.
  await throttle.recordFailure(request.email, request.address);
  const account = await findAccountByEmail(db, request.email);
  if (!account?.email) return;
  const to = account.email;
  const token = newLinkToken();
  const expiresAt = new Date(Date.now() + CODE_LIFETIME_MS.password_reset);
  // A mail server that fails must not tell who has an account: the answer stays the same, the
  // link is not kept (the transaction rolls back), and the operator reads why in the log.
  try {
    await db.transaction(async (tx) => {
      await revokeOpenCodesOfUser(tx, account.id, 'password_reset', new Date());
      await insertAccessCode(tx, {
        purpose: 'password_reset',
        codeDigest: digestOf('password_reset', token),
        userId: account.id,
        locale: account.locale,
        expiresAt,
      });
      await mailer.send(
        passwordResetMail({
          to,
          locale: account.locale,
          recipientName: account.name,
          link: urls.passwordReset(token),
          expiresAt,
        }),
      );
    });
  } catch (error) {
    onMailFailure(error);
  }
});

/** Sets a new password with a reset link; every session of the account ends. */
export const resetPassword = forNobody(async function resetPassword(
  db: Database,
  token: string,
  password: string,
): Promise<void> {
  const passwordHash = await hashPassword(password);
  const now = new Date();
  await db.transaction(async (tx) => {
    const reset = await findUsableCode(tx, 'password_reset', digestOf('password_reset', token), now);
    const account = reset?.userId ? await findAccount(tx, reset.userId) : null;
    if (!reset || !account || account.disabled) throw new InvalidCode(INVALID_RESET_LINK);
    assertPassphrase(password, account);
    await setPasswordHash(tx, account.id, passwordHash);
    await markCodeUsed(tx, reset.id, now);
    const ended = await revokeSessionsOfUser(tx, account.id);
    await appendAuditEvent(tx, {
      planId: null,
      actorUserId: account.id,
      action: 'password-reset',
      sections: [],
      subjectType: 'User',
      subjectId: account.id,
      details: { sessionsEnded: ended },
    });
  });
});

/** Where the user is signed in now. */
export async function listDevices(
  ctx: UserContext,
  currentSessionId: string | null,
): Promise<z.infer<typeof DeviceListSchema>> {
  const rows = await listOpenSessions(ctx.db, ctx.user.id, new Date());
  return {
    items: rows.map((row) => ({
      id: row.id,
      signedInAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      userAgent: row.userAgent,
      current: row.id === currentSessionId,
    })),
  };
}

/** Signs one of the user's devices out. */
export async function signOutDevice(ctx: UserContext, sessionId: string): Promise<void> {
  if (!(await revokeOwnSession(ctx.db, ctx.user.id, sessionId))) throw new NotFound();
}

/** Signs the user out everywhere, this device included. */
export async function signOutEverywhere(ctx: UserContext): Promise<number> {
  return revokeSessionsOfUser(ctx.db, ctx.user.id);
}
