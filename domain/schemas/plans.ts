import { z } from 'zod';
import { SECTIONS, type Section } from '../sections.ts';
import {
  ACTION_STATUSES,
  AUDIT_OUTCOMES,
  CONSENT_METHODS,
  GOAL_STATUSES,
  GRANT_ACCESS,
  LIFE_DOMAINS,
  MEMBER_KINDS,
  MEMBER_STATUSES,
  PHASES,
  PLAN_ROLES,
} from '../vocabularies.ts';

const isoDateTime = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();

export const PlanParamsSchema = z.object({ planId: z.uuid() });

export const MemberSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(MEMBER_KINDS),
    name: z.string(),
    userId: z.uuid().nullable(),
    /** Whether the member's account is bound by professional secrecy; null without an account. */
    secrecyBound: z.boolean().nullable(),
    organization: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    relation: z.string(),
    lifeDomains: z.array(z.string()),
    status: z.enum(MEMBER_STATUSES),
    hidden: z.boolean(),
    closeness: z.number().int(),
    coLead: z.boolean(),
    endedOn: isoDate.nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Member' });

export const PlanRequestSchema = z
  .object({ clientWords: z.string(), clarifiedQuestion: z.string(), version: z.number().int() })
  .meta({ id: 'PlanRequest' });

export const GoalSchema = z
  .object({
    id: z.uuid(),
    lifeDomain: z.enum(LIFE_DOMAINS),
    title: z.string(),
    clientWords: z.string(),
    status: z.enum(GOAL_STATUSES),
    targetDate: isoDate.nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Goal' });

export const ActionSchema = z
  .object({
    id: z.uuid(),
    goalId: z.uuid().nullable(),
    ownerMemberId: z.uuid().nullable(),
    title: z.string(),
    description: z.string(),
    dueOn: isoDate.nullable(),
    status: z.enum(ACTION_STATUSES),
    notes: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Action' });

export const AgreementSchema = z
  .object({
    id: z.uuid(),
    memberId: z.uuid().nullable(),
    role: z.string(),
    agreement: z.string(),
    referencePerson: z.string(),
    callWhen: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Agreement' });

export const CrisisPlanSchema = z
  .object({
    earlySigns: z.string(),
    whatHelps: z.string(),
    whomToCall: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'CrisisPlan' });

export const BackgroundSchema = z
  .object({
    situation: z.string(),
    health: z.string(),
    diagnoses: z.string(),
    justice: z.string(),
    finances: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Background' });

export const MeetingSchema = z
  .object({
    id: z.uuid(),
    heldAt: isoDateTime,
    title: z.string(),
    notes: z.string(),
    decisions: z.string(),
    participants: z.array(z.object({ memberId: z.uuid(), name: z.string() })),
    addedNotes: z.array(
      z.object({ id: z.uuid(), body: z.string(), authorName: z.string(), createdAt: isoDateTime }),
    ),
    version: z.number().int(),
  })
  .meta({ id: 'Meeting' });

export const EvaluationSchema = z
  .object({
    id: z.uuid(),
    evaluatedOn: isoDate,
    collaborationRating: z.number().int().nullable(),
    collaborationNotes: z.string(),
    goals: z.array(z.object({ goalId: z.uuid(), rating: z.number().int(), notes: z.string() })),
    version: z.number().int(),
  })
  .meta({ id: 'Evaluation' });

export const ClosureSchema = z
  .object({ closedOn: isoDate, reason: z.string(), handover: z.string(), version: z.number().int() })
  .meta({ id: 'Closure' });

/** The content schema of each section, as its GET route and the overview answer it. */
export const SECTION_CONTENT_SCHEMAS = {
  network: z.array(MemberSchema),
  request: PlanRequestSchema.nullable(),
  goals: z.array(GoalSchema),
  actions: z.array(ActionSchema),
  agreements: z.array(AgreementSchema),
  crisis: CrisisPlanSchema.nullable(),
  background: BackgroundSchema.nullable(),
  meetings: z.array(MeetingSchema),
  evaluations: z.array(EvaluationSchema),
  closure: ClosureSchema.nullable(),
} as const satisfies Record<Section, z.ZodType>;

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
    version: z.number().int().optional(),
    myRole: z.enum(PLAN_ROLES),
  })
  .meta({ id: 'PlanSummary' });

export const PlanOverviewSchema = PlanSummarySchema.extend({
  membership: MemberSchema.nullable(),
  sections: PlanSectionsSchema,
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
export const GrantParamsSchema = z.object({ planId: z.uuid(), grantId: z.uuid() });

export const PreviewQuerySchema = z.object({ memberId: z.uuid() }).strict();
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
  })
  .strict();

export const AccessLogEntrySchema = z
  .object({
    seq: z.number().int(),
    at: isoDateTime,
    action: z.string(),
    outcome: z.enum(AUDIT_OUTCOMES),
    sections: z.array(z.string()),
    subjectType: z.string().nullable(),
    actor: z
      .object({ id: z.uuid(), name: z.string(), kind: z.string(), organization: z.string().nullable() })
      .nullable(),
  })
  .meta({ id: 'AccessLogEntry' });

export const AccessLogSchema = z.object({
  items: z.array(AccessLogEntrySchema),
  nextCursor: z.number().int().nullable(),
});
