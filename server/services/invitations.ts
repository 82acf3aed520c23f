import { forNobody } from '../../db/scope.ts';
import type { z } from 'zod';
import type { Database, Transaction } from '../../db/client.ts';
import {
  findUsableCode,
  insertAccessCode,
  markCodeUsed,
  revokeOpenInvitationsOfMember,
} from '../../db/queries/access-codes.ts';
import {
  findAccount,
  findMemberForAccount,
  insertAccount,
  linkMemberAccount,
  organizationHasAdmin,
} from '../../db/queries/accounts.ts';
import { appendAuditEvent } from '../../db/queries/audit.ts';
import { emailTaken } from '../../db/queries/managed-users.ts';
import { insertMember } from '../../db/queries/member-writes.ts';
import { findOrganization } from '../../db/queries/organizations.ts';
import { hashPassword } from '../../db/passwords.ts';
import type {
  AcceptInvitationSchema,
  CreateInvitationSchema,
  InvitationDetailsSchema,
  InvitationSchema,
} from '../../domain/schemas/accounts.ts';
import type { InvitedUserKind } from '../../domain/vocabularies.ts';
import { asSubject } from '../../policies/index.ts';
import type { PublicUrls } from '../mail/links.ts';
import type { Mailer } from '../mail/mailer.ts';
import { invitationMail } from '../mail/messages.ts';
import { Conflict, Forbidden, InvalidCode, Unprocessable } from '../errors.ts';
import { writeAudited } from './audited-write.ts';
import type { PlanContext, UserContext } from './context.ts';
import { CODE_LIFETIME_MS, digestOf, newLinkToken } from './one-time-codes.ts';
import { assertPassphrase } from './passphrases.ts';
import { authorize } from './refusals.ts';
import { openSession, type OpenedSession } from './sessions.ts';

// Invitations (DESIGN.md, "Accounts"): a lead invites a professional of a directory organisation,
// or an informal supporter, by e-mail; the link creates their account and links the network
// member it was made for, so that consent recorded for that member takes effect.

type CreateInvitation = z.infer<typeof CreateInvitationSchema>;
type Invitation = z.infer<typeof InvitationSchema>;

export interface MailSetup {
  mailer: Mailer;
  urls: PublicUrls;
}

export const INVALID_LINK =
  'This link does not work: it may have expired or been used already. Ask the person who invited you for a new one.';

const ACCOUNT_EXISTS =
  'Someone with this e-mail address has a Liaison account already: add them from the directory instead.';

/** What an invitation is about, once judged: the account to create and the member it becomes. */
interface InvitationTarget {
  kind: InvitedUserKind;
  organization: { id: string; name: string } | null;
  memberId: string | null;
  /** A member to add to the plan first (invited from the directory within a plan). */
  newMember: { relation: string } | null;
}

/** Invites someone into an organisation from the directory, outside any plan. */
export async function inviteFromDirectory(ctx: UserContext, body: CreateInvitation, mail: MailSetup) {
  if (ctx.user.kind !== 'professional') throw new Forbidden('Only professionals invite people to Liaison.');
  if (body.memberId !== undefined || body.kind !== 'professional')
    throw new Unprocessable(
      'invitation-needs-plan',
      'Invite this person from the plan',
      'An informal supporter, or a member of a network, is invited from the plan they take part in.',
    );
  const target = await judgeTarget(ctx, body, null);
  return createInvitation(ctx, null, body, target, mail);
}

/** Invites a network member without an account, or someone new who joins the network now. */
export async function inviteToPlan(ctx: PlanContext, body: CreateInvitation, mail: MailSetup) {
  await authorize(ctx, 'create', asSubject('Member', { planId: ctx.planId }), {
    action: 'invite',
    sections: ['network'],
    detail: 'Only the lead and co-leads invite people into the network.',
  });
  const target = await judgeTarget(ctx, body, ctx.planId);
  return createInvitation(ctx, ctx.planId, body, target, mail);
}

async function judgeTarget(
  ctx: UserContext,
  body: CreateInvitation,
  planId: string | null,
): Promise<InvitationTarget> {
  if (await emailTaken(ctx.db, body.email)) throw new Conflict(ACCOUNT_EXISTS);
  let kind = body.kind;
  let organizationId = body.organizationId ?? null;
  let memberId: string | null = null;
  if (planId && body.memberId) {
    const member = await findMemberForAccount(ctx.db, planId, body.memberId);
    if (!member || member.removedAt)
      throw new Unprocessable('unknown-member', 'Unknown member', 'This person is not in this plan.');
    if (member.status !== 'current')
      throw new Unprocessable(
        'past-member',
        'Not a current member',
        'This person no longer takes part in the plan.',
      );
    if (member.userId) throw new Conflict('This member has a Liaison account already.');
    kind = member.kind === 'informal' ? 'supporter' : 'professional';
    organizationId = member.organizationId ?? organizationId;
    memberId = member.id;
  }
  if (kind === 'supporter') {
    if (body.statedProfession)
      throw new Unprocessable(
        'supporter-not-secrecy-bound',
        'Informal supporters are not bound by professional secrecy',
        'An informal supporter never receives secrecy-bound sections: no profession is stated for them.',
      );
    return {
      kind,
      organization: null,
      memberId,
      newMember: memberId ? null : { relation: relationOfNewMember(body) },
    };
  }
  if (!organizationId)
    throw new Unprocessable(
      'organization-required',
      'Which organisation?',
      'A professional is invited into the organisation they work for: choose it in the directory.',
    );
  const organization = await findOrganization(ctx.db, ctx.ability, organizationId);
  if (!organization)
    throw new Unprocessable(
      'unknown-organization',
      'Unknown organisation',
      'This organisation is not in the directory.',
    );
  if (body.statedProfession && (await organizationHasAdmin(ctx.db, organizationId)))
    throw new Unprocessable(
      'organization-has-admin',
      'The organisation confirms this itself',
      `${organization.name} has an admin in Liaison, who confirms who is bound by professional secrecy.`,
    );
  return {
    kind,
    organization: { id: organization.id, name: organization.name },
    memberId,
    newMember: planId && !memberId ? { relation: relationOfNewMember(body) } : null,
  };
}

/** A new network member says how they relate to the client, as a member added by hand does. */
function relationOfNewMember(body: CreateInvitation): string {
  const relation = body.relation?.trim();
  if (!relation)
    throw new Unprocessable(
      'relation-required',
      'How does this person help?',
      'Say how the person you invite relates to the client, e.g. "job coach" or "sister".',
    );
  return relation;
}

async function createInvitation(
  ctx: UserContext,
  planId: string | null,
  body: CreateInvitation,
  target: InvitationTarget,
  { mailer, urls }: MailSetup,
): Promise<Invitation> {
  const token = newLinkToken();
  const expiresAt = new Date(Date.now() + CODE_LIFETIME_MS.invitation);
  const locale = body.locale ?? ctx.user.locale;
  const statedProfession = target.kind === 'professional' ? (body.statedProfession ?? null) : null;
  return writeAudited(
    { ...ctx, planId: planId ?? undefined },
    async (tx) => {
      const memberId =
        target.memberId ??
        (target.newMember && planId ? await addPendingMember(tx, planId, body, target) : null);
      if (memberId) await revokeOpenInvitationsOfMember(tx, memberId, new Date());
      const { id } = await insertAccessCode(tx, {
        purpose: 'invitation',
        codeDigest: digestOf('invitation', token),
        planId,
        memberId,
        organizationId: target.organization?.id ?? null,
        email: body.email,
        name: body.name,
        accountKind: target.kind,
        statedProfession,
        locale,
        createdBy: ctx.user.id,
        expiresAt,
      });
      // Sent inside the transaction: an invitation nobody could receive is not kept.
      await mailer.send(
        invitationMail({
          to: body.email,
          locale,
          recipientName: body.name,
          inviterName: ctx.user.name,
          organizationName: target.organization?.name ?? null,
          link: urls.invitation(token),
          expiresAt,
        }),
      );
      return { id, memberId };
    },
    ({ id, memberId }) => ({
      action: 'invite',
      sections: planId ? ['network'] : [],
      subjectType: memberId ? 'Member' : 'Invitation',
      subjectId: memberId ?? id,
      details: {
        kind: target.kind,
        organizationId: target.organization?.id ?? null,
        ...(statedProfession ? { statedProfession } : {}),
      },
    }),
  ).then(({ id, memberId }) => ({
    id,
    kind: target.kind,
    name: body.name,
    email: body.email,
    organization: target.organization,
    planId,
    memberId,
    expiresAt: expiresAt.toISOString(),
    secrecyConfirmedByInviter: statedProfession !== null,
  }));
}

async function addPendingMember(
  tx: Transaction,
  planId: string,
  body: CreateInvitation,
  target: InvitationTarget,
): Promise<string> {
  const { id } = await insertMember(tx, {
    planId,
    kind: target.kind === 'supporter' ? 'informal' : 'professional',
    userId: null,
    organizationId: target.organization?.id ?? null,
    name: body.name,
    relation: target.newMember?.relation ?? '',
    lifeDomains: [],
    status: 'current',
    hidden: false,
    closeness: 2,
    coLead: false,
    endedOn: null,
  });
  return id;
}

/** What the invited person sees before accepting; the one generic answer for a link that does not work. */
export const invitationDetails = forNobody(async function invitationDetails(
  db: Database,
  token: string,
): Promise<z.infer<typeof InvitationDetailsSchema>> {
  const invitation = await findUsableCode(db, 'invitation', digestOf('invitation', token), new Date());
  if (
    !invitation?.accountKind ||
    invitation.accountKind === 'client' ||
    invitation.accountKind === 'admin' ||
    !invitation.email
  )
    throw new InvalidCode(INVALID_LINK);
  const inviter = invitation.createdBy ? await findInviterName(db, invitation.createdBy) : null;
  return {
    kind: invitation.accountKind,
    name: invitation.name ?? '',
    email: invitation.email,
    organizationName: invitation.organizationName,
    inviterName: inviter ?? '',
    locale: invitation.locale,
    expiresAt: invitation.expiresAt.toISOString(),
  };
});

async function findInviterName(db: Database, userId: string): Promise<string | null> {
  return (await findAccount(db, userId))?.name ?? null;
}

/**
 * Accepts an invitation: creates the account, links the member it was made for, records the
 * secrecy flag the inviting lead confirmed, and signs the person in. One write, or nothing.
 */
export const acceptInvitation = forNobody(async function acceptInvitation(
  db: Database,
  token: string,
  body: z.infer<typeof AcceptInvitationSchema>,
  session: { userAgent: string | null; ttlSeconds: number },
): Promise<OpenedSession & { planId: string | null }> {
  const passwordHash = await hashPassword(body.password);
  const now = new Date();
  const accepted = await db.transaction(async (tx) => {
    const invitation = await findUsableCode(tx, 'invitation', digestOf('invitation', token), now);
    const kind = invitation?.accountKind;
    if (!invitation || !invitation.email || (kind !== 'professional' && kind !== 'supporter'))
      throw new InvalidCode(INVALID_LINK);
    const name = body.name ?? invitation.name ?? invitation.email;
    assertPassphrase(body.password, { email: invitation.email, name });
    const secrecyConfirmed = kind === 'professional' && invitation.statedProfession !== null;
    const account = await insertAccount(tx, {
      kind,
      name,
      email: invitation.email,
      locale: invitation.locale,
      organizationId: kind === 'professional' ? invitation.organizationId : null,
      passwordHash,
      secrecyBound: secrecyConfirmed,
      ...(secrecyConfirmed
        ? {
            secrecyConfirmedBy: invitation.createdBy,
            secrecyProfession: invitation.statedProfession,
            secrecyConfirmedAt: now,
          }
        : {}),
    });
    if (!account) throw new Conflict(ACCOUNT_EXISTS);
    if (invitation.memberId) {
      await linkMemberAccount(tx, invitation.memberId, account.id);
      await revokeOpenInvitationsOfMember(tx, invitation.memberId, now, invitation.id);
    }
    await markCodeUsed(tx, invitation.id, now, account.id);
    await appendAuditEvent(tx, {
      planId: invitation.planId,
      actorUserId: account.id,
      action: 'join',
      sections: [],
      subjectType: invitation.memberId ? 'Member' : 'User',
      subjectId: invitation.memberId ?? account.id,
      details: {
        kind,
        secrecyConfirmedByInviter: secrecyConfirmed,
        ...(secrecyConfirmed ? { profession: invitation.statedProfession } : {}),
      },
    });
    return { userId: account.id, planId: invitation.planId };
  });
  const opened = await openSession(db, accepted.userId, session);
  return { ...opened, planId: accepted.planId };
});
