import { z } from 'zod';
import { SECTIONS } from '../sections.ts';
import { CONSENT_METHODS, LIFE_DOMAINS, MEMBER_KINDS, MEMBER_STATUSES } from '../vocabularies.ts';
import { CreateInvitationSchema } from './accounts.ts';
import { UuidSchema } from './common.ts';
import { RoleTemplateShareSchema } from './role-templates.ts';

const relation = z.string().trim().min(1).max(200);
const name = z.string().trim().min(1).max(200);
const lifeDomains = z.array(z.enum(LIFE_DOMAINS)).max(LIFE_DOMAINS.length);
const status = z.enum(MEMBER_STATUSES);
/** 1 = closest to the client on the network map, 3 = furthest. */
const closeness = z.number().int().min(1).max(3);
const endedOn = z.iso.date().nullable();

/** A member as the network section shows it (the read schema of the `network` section). */
export const MemberSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(MEMBER_KINDS),
    /** The account's name for a member with an account, otherwise the name given. */
    name: z.string(),
    userId: z.uuid().nullable(),
    /** Whether the member's account is bound by professional secrecy; null without an account. */
    secrecyBound: z.boolean().nullable(),
    organization: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    relation: z.string(),
    lifeDomains: z.array(z.string()),
    status: z.enum(MEMBER_STATUSES),
    hidden: z.boolean(),
    /** Hidden by the client's decision: only the client, or their recorded decision, shows them again. */
    hiddenByClient: z.boolean(),
    closeness: z.number().int(),
    coLead: z.boolean(),
    endedOn: z.iso.date().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Member' });

export const MemberParamsSchema = z.object({ planId: UuidSchema, memberId: UuidSchema });

/**
 * A professional: linked to a Liaison user and/or an organisation. With an account the name
 * comes from the account; without one, `name` says who it is.
 */
export const CreateProfessionalMemberSchema = z
  .object({
    kind: z.literal('professional'),
    userId: z.uuid().optional(),
    organizationId: z.uuid().optional(),
    name: name.optional(),
    relation,
    lifeDomains: lifeDomains.optional(),
    status: status.optional(),
    hidden: z.boolean().optional(),
    closeness: closeness.optional(),
    coLead: z.boolean().optional(),
    endedOn: endedOn.optional(),
  })
  .strict()
  .refine((body) => body.userId !== undefined || body.organizationId !== undefined, {
    message: 'A professional is linked to a user, an organisation, or both.',
    path: ['userId'],
  })
  .refine((body) => (body.userId === undefined) !== (body.name === undefined), {
    message: 'Give a name only for a professional without a Liaison account (no userId).',
    path: ['name'],
  });

/** An informal supporter (family, friend, neighbour): a name and a relation, no account. */
export const CreateInformalMemberSchema = z
  .object({
    kind: z.literal('informal'),
    name,
    relation,
    lifeDomains: lifeDomains.optional(),
    status: status.optional(),
    hidden: z.boolean().optional(),
    closeness: closeness.optional(),
    endedOn: endedOn.optional(),
  })
  .strict();

export const CreateMemberSchema = z
  .discriminatedUnion('kind', [CreateProfessionalMemberSchema, CreateInformalMemberSchema])
  .meta({ id: 'CreateMember' });

/** The fields of a member that can change; the client may change only `hidden` (policies decide). */
export const UpdateMemberSchema = z
  .object({
    relation: relation.optional(),
    lifeDomains: lifeDomains.optional(),
    status: status.optional(),
    hidden: z.boolean().optional(),
    /**
     * With `hidden`, by the lead: the client's decision to hide or show this person, recorded the
     * way consent is (DESIGN.md, "Network visibility"). Required to show again a member the client hid.
     */
    visibilityDecision: z
      .object({ method: z.enum(['verbal', 'written']), note: z.string().trim().max(2000).optional() })
      .strict()
      .optional(),
    closeness: closeness.optional(),
    coLead: z.boolean().optional(),
    endedOn: endedOn.optional(),
  })
  .strict()
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'Send at least one field to change.',
  })
  .refine((body) => body.visibilityDecision === undefined || body.hidden !== undefined, {
    message: 'A visibility decision goes with `hidden`.',
    path: ['visibilityDecision'],
  })
  .meta({ id: 'UpdateMember' });

export type UpdateMember = z.infer<typeof UpdateMemberSchema>;
/** The member fields a PATCH may name, as the policies check them one by one. */
export const MEMBER_UPDATE_FIELDS = [
  'relation',
  'lifeDomains',
  'status',
  'hidden',
  'closeness',
  'coLead',
  'endedOn',
] as const satisfies ReadonlyArray<keyof UpdateMember>;

export const VisibilityDecisionSchema = z
  .object({
    id: z.uuid(),
    memberId: z.uuid(),
    hidden: z.boolean(),
    method: z.enum(CONSENT_METHODS),
    note: z.string().nullable(),
    recordedAt: z.iso.datetime({ offset: true }),
    recordedBy: z.object({ id: z.uuid(), name: z.string() }),
  })
  .meta({ id: 'VisibilityDecision' });
export const VisibilityDecisionListSchema = z.array(VisibilityDecisionSchema);

/**
 * Add and share (issue 15): a professional joins the network and receives the sections the client
 * consented to, recorded once (how the client consented), in one write. `shares` is what a role
 * template proposed, as the lead adjusted it; `takesOn`, the actions written before the partner was
 * in the network ("Wie doet het" offered only the lead then), so that none is edited twice.
 */
export const AddPartnerSchema = z
  .object({
    member: CreateProfessionalMemberSchema,
    shares: z
      .array(RoleTemplateShareSchema)
      .min(1)
      .max(SECTIONS.length)
      .refine((list) => new Set(list.map((share) => share.section)).size === list.length, {
        message: 'Each section once.',
      }),
    method: z.enum(['verbal', 'written']),
    note: z.string().trim().max(2000).optional(),
    validUntil: z.iso.datetime({ offset: true }).optional(),
    takesOn: z
      .array(z.object({ id: UuidSchema, version: z.int().positive() }).strict())
      .max(100)
      .refine((list) => new Set(list.map((action) => action.id)).size === list.length, {
        message: 'Each action once.',
      })
      .optional()
      .describe(
        'Actions of the plan the partner takes on, each at the version the lead saw: they become its ' +
          'owner in the same write. A newer version answers 412 and nothing is written.',
      ),
    invite: CreateInvitationSchema.pick({ email: true, locale: true, statedProfession: true })
      .strict()
      .optional()
      .describe(
        'Someone without a Liaison account (member given by name and organisation): the invitation ' +
          'e-mail goes out in the same write, after the member, the consent and the actions.',
      ),
  })
  .strict()
  .refine((body) => body.invite === undefined || body.member.name !== undefined, {
    message: 'Invite someone by name: a person with an account is chosen by userId, without an invitation.',
    path: ['invite'],
  })
  .meta({ id: 'AddPartner' });
