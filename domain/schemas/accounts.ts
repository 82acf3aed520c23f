import { z } from 'zod';
import { INVITED_USER_KINDS, LOCALES } from '../vocabularies.ts';
import { UserSchema } from './auth.ts';
import { UuidSchema } from './common.ts';

// How real people get in (DESIGN.md, "Accounts"): access letters, invitations, passwords, sessions.

const PasswordSchema = z.string().min(1).max(1024).describe('At least 10 characters, not a common password');
const Timestamp = z.iso.datetime({ offset: true });

/** A one-time token of an e-mailed link: 43 base64url characters. */
export const LinkTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'not a link token');
export const LinkTokenParamsSchema = z.object({ token: LinkTokenSchema });

export const IssueAccessLetterSchema = z
  .object({
    /** The language of the letter; the client's preferred language, else the lead's, unless given. */
    locale: z.enum(LOCALES).optional(),
  })
  .strict();

/** A new access letter: the code is shown once, here, and stored only as a digest. */
export const AccessLetterSchema = z
  .object({
    recipientName: z.string(),
    signInName: z.string(),
    code: z.string().describe('The one-time activation code, e.g. K7QM-4RTA-9XPW'),
    activateUrl: z
      .string()
      .describe('The activation page with sign-in name and code: what the QR code holds'),
    locale: z.enum(LOCALES),
    issuedAt: Timestamp,
    expiresAt: Timestamp,
    issuedBy: z.object({ name: z.string(), organizationName: z.string().nullable() }),
    qrSvg: z.string().describe('The QR code as SVG'),
    pdf: z.base64().describe('The letter as an A4 PDF, base64'),
  })
  .meta({ id: 'AccessLetter' });

const LetterStateSchema = z.object({
  issuedAt: Timestamp,
  expiresAt: Timestamp,
  state: z.enum(['open', 'used', 'revoked', 'expired', 'blocked']),
});

/** The client's access as the lead sees it: whether they have an account, and the last letter. */
export const ClientAccessSchema = z
  .object({
    account: z
      .object({ signInName: z.string().nullable(), activated: z.boolean(), disabled: z.boolean() })
      .nullable(),
    letter: LetterStateSchema.nullable(),
  })
  .meta({ id: 'ClientAccess' });

export const ActivateSchema = z
  .object({
    signInName: z.string().trim().min(1).max(100),
    code: z.string().trim().min(1).max(100),
    password: PasswordSchema,
  })
  .strict();

export const SignedInSchema = z
  .object({
    user: UserSchema,
    expiresAt: Timestamp,
    token: z.string(),
    /** Where the person lands: their plan, when the code or link came from one. */
    planId: z.uuid().nullable(),
  })
  .meta({ id: 'SignedIn' });

/**
 * An invitation, from a plan (`POST /plans/:planId/invitations`: the plan is in the path) or from
 * the directory (`POST /invitations`: no plan, so no member).
 */
export const CreateInvitationSchema = z
  .object({
    kind: z.enum(INVITED_USER_KINDS).default('professional'),
    name: z.string().trim().min(1).max(200),
    email: z.email().max(254),
    locale: z.enum(LOCALES).optional(),
    /** The member of the plan the person becomes (a member without an account), else a new member. */
    memberId: z.uuid().optional(),
    /** Professionals: the organisation they work for (from the directory). */
    organizationId: z.uuid().optional(),
    /** A new member's relation to the client, e.g. "psychiatrist". */
    relation: z.string().trim().max(200).optional(),
    /**
     * Only where the organisation has no admin in Liaison: the profession the inviting lead states,
     * which confirms the professional-secrecy flag (recorded, audited, shown to the client).
     */
    statedProfession: z.string().trim().min(2).max(200).optional(),
  })
  .strict();

export const InvitationSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(INVITED_USER_KINDS),
    name: z.string(),
    email: z.string(),
    organization: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    planId: z.uuid().nullable(),
    memberId: z.uuid().nullable(),
    expiresAt: Timestamp,
    secrecyConfirmedByInviter: z.boolean(),
  })
  .meta({ id: 'Invitation' });

/** What the invited person sees before accepting: never anything about a client. */
export const InvitationDetailsSchema = z
  .object({
    kind: z.enum(INVITED_USER_KINDS),
    name: z.string(),
    email: z.string(),
    organizationName: z.string().nullable(),
    inviterName: z.string(),
    locale: z.enum(LOCALES),
    expiresAt: Timestamp,
  })
  .meta({ id: 'InvitationDetails' });

export const AcceptInvitationSchema = z
  .object({ name: z.string().trim().min(1).max(200).optional(), password: PasswordSchema })
  .strict();

export const ChangePasswordSchema = z
  .object({ currentPassword: z.string().min(1).max(1024), newPassword: PasswordSchema })
  .strict();

export const PasswordResetRequestSchema = z.object({ email: z.email().max(254) }).strict();
export const PasswordResetSchema = z.object({ password: PasswordSchema }).strict();

export const DeviceSchema = z
  .object({
    id: z.uuid(),
    signedInAt: Timestamp,
    expiresAt: Timestamp,
    userAgent: z.string().nullable(),
    current: z.boolean(),
  })
  .meta({ id: 'Device' });
export const DeviceListSchema = z.object({ items: z.array(DeviceSchema) });
export const DeviceParamsSchema = z.object({ sessionId: UuidSchema });
