import { forNobody } from '../../db/scope.ts';
import { timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { Database } from '../../db/client.ts';
import {
  countWrongCode,
  findLatestLetter,
  findOpenLetterBySignInName,
  insertAccessCode,
  markCodeUsed,
  revokeOpenCodesOfUser,
} from '../../db/queries/access-codes.ts';
import {
  findMemberForAccount,
  findPlanClient,
  insertAccount,
  lockAccount,
  linkClientAccount,
  linkMemberAccount,
  revokeSessionsOfUser,
  setPasswordHash,
  setSignInName,
} from '../../db/queries/accounts.ts';
import { appendAuditEvent } from '../../db/queries/audit.ts';
import { hashPassword } from '../../db/passwords.ts';
import type {
  AccessLetterSchema,
  ActivateSchema,
  ClientAccessSchema,
  IssueAccessLetterSchema,
} from '../../domain/schemas/accounts.ts';
import { isLocale, type Locale } from '../../domain/vocabularies.ts';
import { asSubject, roleInPlan } from '../../policies/index.ts';
import { accessLetterQrSvg, renderAccessLetterPdf } from '../letters/access-letter.ts';
import type { PublicUrls } from '../mail/links.ts';
import { Conflict, InvalidCode, Unprocessable } from '../errors.ts';
import type { Transaction } from '../../db/client.ts';
import { writeAudited } from './audited-write.ts';
import type { PlanContext } from './context.ts';
import type { LoginThrottle } from './login-throttle.ts';
import {
  candidateSignInName,
  CODE_LIFETIME_MS,
  digestOf,
  MAX_WRONG_CODES_PER_LETTER,
  newActivationCode,
} from './one-time-codes.ts';
import { assertPassphrase } from './passphrases.ts';
import { authorize, refuse } from './refusals.ts';
import { openSession, type OpenedSession } from './sessions.ts';

// Access letters (DESIGN.md, "Accounts"): the client, and an informal supporter, get a printed
// letter with a sign-in name and a one-time code, and choose their own password with it.

type AccessLetter = z.infer<typeof AccessLetterSchema>;

/** Whom a letter is for: the plan's client, or an informal supporter of its network. */
export type LetterRecipient = { audience: 'client' } | { audience: 'supporter'; memberId: string };

/** The one answer to every code that does not open anything: it never says which part was wrong. */
export const INVALID_CODE =
  'This sign-in name and code do not work. Check the letter, or ask your support worker for a new one.';

/**
 * Tries sign-in names made from a first name until `take` finds one free (a few tries: the four
 * random digits rarely collide), and returns the one taken.
 */
async function takeFreeSignInName(
  firstName: string,
  take: (signInName: string) => Promise<boolean>,
): Promise<string> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const signInName = candidateSignInName(firstName);
    if (await take(signInName)) return signInName;
  }
  throw new Conflict('No free sign-in name was found. Try again.');
}

/** A new account with a fresh sign-in name. */
async function insertLetterAccount(
  tx: Transaction,
  account: { kind: 'client' | 'supporter'; name: string; firstName: string; locale: Locale },
): Promise<{ id: string; signInName: string }> {
  let id = '';
  const signInName = await takeFreeSignInName(account.firstName, async (candidate) => {
    const row = await insertAccount(tx, {
      kind: account.kind,
      name: account.name,
      locale: account.locale,
      signInName: candidate,
    });
    id = row?.id ?? '';
    return row !== null;
  });
  return { id, signInName };
}

/** What the lead sees of the client's access: the account and the state of the last letter. */
export async function clientAccessOf(ctx: PlanContext): Promise<z.infer<typeof ClientAccessSchema>> {
  const role = roleInPlan(ctx.user, ctx.facts);
  // Read on a closed plan too: the lead may still need to know whether the client can sign in.
  if (role !== 'lead' && role !== 'co_lead')
    await refuse(ctx, {
      action: 'read',
      detail: 'Only the lead and co-leads manage the client’s access to Liaison.',
    });
  const client = await findPlanClient(ctx.db, ctx.planId);
  if (!client?.userId) return { account: null, letter: null };
  const letter = await findLatestLetter(ctx.db, client.userId);
  const now = new Date();
  return {
    account: {
      signInName: client.signInName,
      activated: client.activated,
      disabled: client.disabled ?? false,
    },
    letter: letter && {
      issuedAt: letter.createdAt.toISOString(),
      expiresAt: letter.expiresAt.toISOString(),
      state: letter.usedAt
        ? 'used'
        : letter.revokedAt
          ? 'revoked'
          : letter.failedAttempts >= MAX_WRONG_CODES_PER_LETTER
            ? 'blocked'
            : letter.expiresAt <= now
              ? 'expired'
              : 'open',
    },
  };
}

/**
 * Gives a person access by letter: creates their account the first time, or else ends their
 * previous code, their password and every session (the letter of a forgotten password). The
 * account, the code, the link to the plan and the audit event are one write; the letter is
 * rendered inside it, so that a letter that cannot be made leaves nothing behind.
 */
export async function issueAccessLetter(
  ctx: PlanContext,
  recipient: LetterRecipient,
  body: z.infer<typeof IssueAccessLetterSchema>,
  urls: PublicUrls,
): Promise<AccessLetter> {
  await authorize(ctx, 'update', asSubject('Plan', { id: ctx.planId }), {
    action: 'access-letter',
    detail: 'Only the lead and co-leads give access to Liaison by letter.',
  });
  const person = await letterRecipientOf(ctx, recipient);
  const locale =
    body.locale ?? (isLocale(person.preferredLanguage) ? person.preferredLanguage : ctx.user.locale);
  const code = newActivationCode();
  const issuedAt = new Date();
  const expiresAt = new Date(issuedAt.getTime() + CODE_LIFETIME_MS.activation);

  return writeAudited(
    ctx,
    async (tx) => {
      let account: { id: string; signInName: string };
      const existingId = person.userId;
      if (existingId) {
        await lockAccount(tx, existingId);
        // An account that signed in by e-mail until now (a demo client, a supporter invited by
        // e-mail) keeps its row and gets a sign-in name: a second account would sign in to nothing.
        account = {
          id: existingId,
          signInName:
            person.signInName ??
            (await takeFreeSignInName(person.firstName, (candidate) =>
              setSignInName(tx, existingId, candidate),
            )),
        };
        await revokeOpenCodesOfUser(tx, account.id, 'activation', issuedAt);
        await revokeSessionsOfUser(tx, account.id);
        await setPasswordHash(tx, account.id, null);
      } else {
        account = await insertLetterAccount(tx, {
          kind: recipient.audience,
          name: person.name,
          firstName: person.firstName,
          locale,
        });
        // Two letters printed at once: the second would make an account that opens no plan.
        const linked =
          recipient.audience === 'client'
            ? await linkClientAccount(tx, person.clientId!, account.id)
            : await linkMemberAccount(tx, recipient.memberId, account.id);
        if (!linked)
          throw new Conflict('This person was given an account in the meantime. Reload and try again.');
      }
      await insertAccessCode(tx, {
        purpose: 'activation',
        codeDigest: digestOf('activation', code),
        userId: account.id,
        planId: ctx.planId,
        memberId: recipient.audience === 'supporter' ? recipient.memberId : null,
        locale,
        createdBy: ctx.user.id,
        expiresAt,
      });
      const activateUrl = urls.activation({ login: account.signInName, code });
      const letter = {
        locale,
        audience: recipient.audience,
        recipientName: person.name,
        signInName: account.signInName,
        code,
        activateUrl,
        expiresAt,
        issuedAt,
        issuedBy: { name: ctx.user.name, organizationName: ctx.user.organizationName ?? null },
      };
      const [pdf, qrSvg] = await Promise.all([renderAccessLetterPdf(letter), accessLetterQrSvg(activateUrl)]);
      const { audience: _audience, ...shown } = letter;
      return {
        accountId: account.id,
        firstLetter: !person.userId,
        answer: {
          ...shown,
          issuedAt: issuedAt.toISOString(),
          expiresAt: expiresAt.toISOString(),
          qrSvg,
          pdf: pdf.toString('base64'),
        },
      };
    },
    (result) => ({
      action: 'access-letter',
      sections: [],
      subjectType: recipient.audience === 'client' ? 'User' : 'Member',
      subjectId: recipient.audience === 'client' ? result.accountId : recipient.memberId,
      details: { audience: recipient.audience, firstLetter: result.firstLetter },
    }),
  ).then((result) => result.answer);
}

/** Ends the open letter of the plan's client (a letter that was lost); their account stays. */
export async function revokeClientLetter(ctx: PlanContext): Promise<void> {
  await authorize(ctx, 'update', asSubject('Plan', { id: ctx.planId }), {
    action: 'access-letter',
    detail: 'Only the lead and co-leads manage the client’s access.',
  });
  const client = await findPlanClient(ctx.db, ctx.planId);
  const userId = client?.userId;
  if (!userId) return;
  await writeAudited(
    ctx,
    (tx) => revokeOpenCodesOfUser(tx, userId, 'activation', new Date()),
    (revoked) => ({
      action: 'revoke-access-letter',
      sections: [],
      subjectType: 'User',
      subjectId: userId,
      details: { revoked },
    }),
  );
}

async function letterRecipientOf(ctx: PlanContext, recipient: LetterRecipient) {
  if (recipient.audience === 'client') {
    const client = await findPlanClient(ctx.db, ctx.planId);
    if (!client) throw new Error('a visible plan has a client');
    return {
      clientId: client.clientId,
      userId: client.userId,
      signInName: client.signInName,
      name: `${client.firstName} ${client.lastName}`,
      firstName: client.firstName,
      preferredLanguage: client.preferredLanguage,
    };
  }
  const member = await findMemberForAccount(ctx.db, ctx.planId, recipient.memberId);
  if (!member || member.removedAt)
    throw new Unprocessable('unknown-member', 'Unknown member', 'This person is not in this plan.');
  if (member.kind !== 'informal')
    throw new Unprocessable(
      'not-informal-member',
      'Letters are for informal supporters',
      'A professional is invited by e-mail into the account of their organisation.',
    );
  if (member.status !== 'current')
    throw new Unprocessable(
      'past-member',
      'Not a current member',
      'This person no longer takes part in the plan.',
    );
  const name = member.name ?? '';
  return {
    clientId: null,
    userId: member.userId,
    signInName: member.signInName,
    name,
    firstName: name.split(/\s+/)[0] ?? name,
    preferredLanguage: null,
  };
}

/**
 * Activates an account with the code of its letter: the person chooses their password and is
 * signed in. A wrong code counts against the letter (blocked after 20) and against the address;
 * every failure gets the same answer.
 */
export const activateAccount = forNobody(async function activateAccount(
  db: Database,
  throttle: LoginThrottle,
  attempt: z.infer<typeof ActivateSchema> & { address: string; userAgent: string | null; ttlSeconds: number },
): Promise<OpenedSession & { planId: string | null }> {
  await throttle.assertAllowed(`letter:${attempt.signInName}`, attempt.address);
  assertPassphrase(attempt.password, { signInName: attempt.signInName });
  const passwordHash = await hashPassword(attempt.password);
  const now = new Date();
  const outcome = await db.transaction(async (tx) => {
    const letter = await findOpenLetterBySignInName(tx, attempt.signInName, now);
    if (!letter?.userId || letter.disabled || letter.failedAttempts >= MAX_WRONG_CODES_PER_LETTER)
      return { opened: false as const };
    if (!sameDigest(letter.codeDigest, digestOf('activation', attempt.code))) {
      const wrong = await countWrongCode(tx, letter.id);
      if (wrong === MAX_WRONG_CODES_PER_LETTER && letter.planId)
        await appendAuditEvent(tx, {
          planId: letter.planId,
          actorUserId: null,
          action: 'access-letter-blocked',
          outcome: 'refused',
          sections: [],
          subjectType: 'User',
          subjectId: letter.userId,
        });
      return { opened: false as const };
    }
    await setPasswordHash(tx, letter.userId, passwordHash);
    await markCodeUsed(tx, letter.id, now);
    if (letter.planId)
      await appendAuditEvent(tx, {
        planId: letter.planId,
        actorUserId: letter.userId,
        action: 'activate',
        sections: [],
        subjectType: 'User',
        subjectId: letter.userId,
      });
    return { opened: true as const, userId: letter.userId, planId: letter.planId };
  });
  if (!outcome.opened) {
    await throttle.recordFailure(`letter:${attempt.signInName}`, attempt.address);
    throw new InvalidCode(INVALID_CODE);
  }
  const session = await openSession(db, outcome.userId, attempt);
  return { ...session, planId: outcome.planId };
});

function sameDigest(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
