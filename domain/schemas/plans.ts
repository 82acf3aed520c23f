import { z } from 'zod';
import { SECTIONS, type Section } from '../sections.ts';
import { AUDIT_OUTCOMES, CONSENT_METHODS, GRANT_ACCESS, PHASES, PLAN_ROLES } from '../vocabularies.ts';
import { UuidSchema } from './common.ts';
import { InvitationSchema } from './accounts.ts';
import { MemberSchema } from './members.ts';
import { SECTION_CONTENT_SCHEMAS } from './sections.ts';

const isoDateTime = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();

export const PlanParamsSchema = z.object({ planId: UuidSchema });

const withheld = z.object({ withheld: z.literal(true) });

/** Each section: its content, or `{ withheld: true }` with nothing else (no content, count or title). */
export const PlanSectionsSchema = z.object(
  Object.fromEntries(
    SECTIONS.map((section) => [
      section,
      z.union([
        withheld,
        z.object({ withheld: z.literal(false), content: SECTION_CONTENT_SCHEMAS[section] }),
      ]),
    ]),
  ) as {
    [S in Section]: z.ZodUnion<
      [
        typeof withheld,
        z.ZodObject<{ withheld: z.ZodLiteral<false>; content: (typeof SECTION_CONTENT_SCHEMAS)[S] }>,
      ]
    >;
  },
);

export const PlanSummarySchema = z
  .object({
    id: z.uuid(),
    phase: z.enum(PHASES),
    client: z.object({
      name: z.string(),
      phone: z.string().nullable().optional(),
      email: z.string().nullable().optional(),
      address: z.string().nullable().optional(),
      /** The language the client prefers (a tag such as "fr"), for everyone who sees the plan. */
      language: z.string().nullable().optional(),
      needsInterpreter: z.boolean().optional(),
      /** For the lead, co-leads and the client only, like `version`. */
      birthDate: isoDate.nullable().optional(),
      /** The version of the registration details: the lead sends it back in If-Match to change them. */
      version: z.number().int().optional(),
    }),
    /** The lead, whom every partner may reach; `userId` names their member row in the network. */
    lead: z.object({
      userId: z.uuid(),
      name: z.string(),
      email: z.string(),
      organization: z.object({ id: z.uuid(), name: z.string(), phone: z.string().nullable() }),
    }),
    closedAt: isoDateTime.nullable(),
    startedOn: isoDate.optional(),
    nextEvaluationOn: isoDate.nullable().optional(),
    /** The client's earlier plan this one follows, for the lead, co-leads and the client. */
    previousPlanId: UuidSchema.nullable().optional(),
    version: z.number().int().optional(),
    myRole: z.enum(PLAN_ROLES),
  })
  .meta({ id: 'PlanSummary' });

/**
 * "New since your last visit" (issue 14): what someone else changed in the plan since the reader's
 * previous visit, among what this answer shows them: never a section or item they may not read.
 */
export const SinceLastVisitSchema = z
  .object({
    since: isoDateTime.nullable().describe("When the reader's previous visit was; null on their first"),
    sections: z.array(z.enum(SECTIONS)).describe('The sections with something new, in the order of SECTIONS'),
    items: z.array(UuidSchema).describe('The items, meetings and members that are new or changed'),
  })
  .meta({ id: 'SinceLastVisit' });

export const PlanOverviewSchema = PlanSummarySchema.extend({
  membership: MemberSchema.nullable(),
  sections: PlanSectionsSchema,
  /**
   * The sections the user writes in now (every one for the lead and co-leads of an open plan; a
   * partner's `contribute` grants): the screens offer no change the server would refuse.
   */
  contributes: z.array(z.enum(SECTIONS)),
  /** In the reader's own overview only (not in a preview of what someone else sees). */
  sinceLastVisit: SinceLastVisitSchema.optional(),
}).meta({ id: 'PlanOverview' });

export const PlanListQuerySchema = z
  .object({
    phase: z.enum(PHASES).optional(),
    q: z.string().trim().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    /** The last plan id of the previous page. */
    cursor: z.uuid().optional(),
  })
  .strict();

export const PlanListSchema = z.object({
  items: z.array(PlanSummarySchema),
  nextCursor: z.string().nullable(),
});

export const GrantSchema = z
  .object({
    id: z.uuid(),
    memberId: z.uuid(),
    section: z.enum(SECTIONS),
    access: z.enum(GRANT_ACCESS),
    validFrom: isoDateTime,
    validUntil: isoDateTime.nullable(),
    method: z.enum(CONSENT_METHODS),
    note: z.string().nullable(),
    recordedAt: isoDateTime,
    recordedBy: z.object({ id: z.uuid(), name: z.string() }),
    revocation: z
      .object({
        revokedAt: isoDateTime,
        revokedBy: z.object({ id: z.uuid(), name: z.string() }),
        method: z.enum(CONSENT_METHODS).nullable(),
        reason: z.string().nullable(),
      })
      .nullable(),
    /** Whether the grant lets the member see the section now (policies decide, not the client). */
    active: z.boolean(),
  })
  .meta({ id: 'Grant' });

export const GrantListSchema = z.object({ items: z.array(GrantSchema) });

export const CreateGrantSchema = z
  .object({
    memberId: z.uuid(),
    sections: z.array(z.enum(SECTIONS)).min(1).max(SECTIONS.length),
    access: z.enum(GRANT_ACCESS),
    validFrom: isoDateTime.optional(),
    validUntil: isoDateTime.optional(),
    method: z.enum(CONSENT_METHODS),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();

export const RevokeGrantSchema = z.object({ reason: z.string().trim().max(2000).optional() }).strict();
export const GrantParamsSchema = z.object({ planId: UuidSchema, grantId: UuidSchema });

export const PreviewQuerySchema = z.object({ memberId: UuidSchema }).strict();
export const PreviewSchema = z
  .object({
    memberId: z.uuid(),
    /** False when the member sees nothing of the plan (no account, no active grant, past or removed). */
    seesPlan: z.boolean(),
    overview: PlanOverviewSchema.nullable(),
  })
  .meta({ id: 'Preview' });

export const AccessLogQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.coerce.number().int().min(1).optional(),
    /**
     * `events` (default): one entry per event. `grouped`: one line per person, day and kind, with
     * its events; `limit` counts lines, and a page always holds whole days.
     */
    view: z.enum(['events', 'grouped']).default('events'),
  })
  .strict();

/**
 * Who did it; null for the system. Someone outside the plan's network is never named:
 * `{ id: null, name: null, kind: "outsider", organization }`.
 */
const AccessLogActorSchema = z
  .union([
    z.object({ id: z.uuid(), name: z.string(), kind: z.string(), organization: z.string().nullable() }),
    z.object({
      id: z.null(),
      name: z.null(),
      kind: z.literal('outsider'),
      organization: z.string().nullable(),
    }),
  ])
  .nullable();

/** With whom consent was given or withdrawn (grants and revocations only; else null). */
const AccessLogRecipientSchema = z
  .object({ name: z.string(), organization: z.string().nullable() })
  .nullable();

export const AccessLogEntrySchema = z
  .object({
    seq: z.number().int(),
    at: isoDateTime,
    action: z.string(),
    outcome: z.enum(AUDIT_OUTCOMES),
    sections: z.array(z.string()),
    subjectType: z.string().nullable(),
    actor: AccessLogActorSchema,
    recipient: AccessLogRecipientSchema,
  })
  .meta({ id: 'AccessLogEntry' });

/** One line of the grouped log: the events of one person, on one day, of one kind. */
export const AccessLogGroupSchema = z
  .object({
    /** The day in Europe/Brussels. */
    day: isoDate,
    firstAt: isoDateTime,
    lastAt: isoDateTime,
    count: z.number().int().min(1),
    action: z.string(),
    outcome: z.enum(AUDIT_OUTCOMES),
    subjectType: z.string().nullable(),
    /** Every section any of the events touched. */
    sections: z.array(z.string()),
    actor: AccessLogActorSchema,
    recipient: AccessLogRecipientSchema,
    /** The single events, newest first; at most 100 (`count` says how many there are). */
    events: z.array(z.object({ seq: z.number().int(), at: isoDateTime, sections: z.array(z.string()) })),
  })
  .meta({ id: 'AccessLogGroup' });

export const AccessLogSchema = z.object({
  items: z.array(AccessLogEntrySchema),
  nextCursor: z.number().int().nullable(),
});

/** The grouped log: lines newest day first; `nextCursor` continues with the days before. */
export const AccessLogGroupsSchema = z.object({
  groups: z.array(AccessLogGroupSchema),
  nextCursor: z.number().int().nullable(),
});

/** The access-log route's answer: events, or lines with `view=grouped`. */
export const AccessLogAnswerSchema = z.union([AccessLogSchema, AccessLogGroupsSchema]);

/** The partner added to the network and the consent recorded for them, in one write. */
export const AddedPartnerSchema = z
  .object({ member: MemberSchema, grants: z.array(GrantSchema), invitation: InvitationSchema.optional() })
  .meta({ id: 'AddedPartner' });
