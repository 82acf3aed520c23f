import { z } from 'zod';
import type { Section } from '../sections.ts';
import { ACTION_STATUSES, CLOSURE_REASONS, GOAL_STATUSES, LIFE_DOMAINS } from '../vocabularies.ts';
import { TEXT_MAX, UuidSchema } from './common.ts';
import { CreateMemberSchema, MemberSchema, UpdateMemberSchema } from './members.ts';
import { ClosePlanSchema } from './plan-lifecycle.ts';

// The schemas of the plan's sections, each section's together: how a record reads (GoalSchema, …:
// the one declaration of its shape, which db/queries/section-registry.ts builds the SQL JSON from
// and every answer has), and the bodies that write it. Every body is strict (an unknown field is a
// 400) and every string and array is bounded. SECTION_SCHEMAS at the end names them per section.

/** Longest title, role or name of a thing. */
export const TITLE_MAX = 200;
export { TEXT_MAX };
/** Most participants of a meeting, most goals rated in one evaluation. */
export const LIST_MAX = 100;

const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });
const title = z.string().trim().min(1).max(TITLE_MAX);
const text = z.string().max(TEXT_MAX);
const rating = z.number().int().min(1).max(5);

const atLeastOneField = (body: object) => Object.keys(body).length > 0;
const nonEmpty = { message: 'Send at least one field to change.' };

const uniqueIds = (ids: readonly string[]) => new Set(ids).size === ids.length;

export const ItemParamsSchema = z.object({ planId: UuidSchema, itemId: UuidSchema });

// ------------------------------------------------------------------ one document per plan

export const PlanRequestSchema = z
  .object({ clientWords: z.string(), clarifiedQuestion: z.string(), version: z.number().int() })
  .meta({ id: 'PlanRequest' });

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

/**
 * `PUT …/request`: creates the document, or replaces the fields sent (fields left out keep their
 * value), so that the client can send only their own words.
 */
export const PutRequestSchema = z
  .object({ clientWords: text, clarifiedQuestion: text })
  .partial()
  .strict()
  .refine(atLeastOneField, nonEmpty);

export const PutCrisisPlanSchema = z
  .object({ earlySigns: text, whatHelps: text, whomToCall: text })
  .partial()
  .strict()
  .refine(atLeastOneField, nonEmpty);

export const PutBackgroundSchema = z
  .object({ situation: text, health: text, diagnoses: text, justice: text, finances: text })
  .partial()
  .strict()
  .refine(atLeastOneField, nonEmpty);

// ------------------------------------------------------------------ goals

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

const goalFields = {
  lifeDomain: z.enum(LIFE_DOMAINS),
  title,
  clientWords: text,
  status: z.enum(GOAL_STATUSES),
  targetDate: isoDate.nullable(),
};

export const CreateGoalSchema = z
  .object({
    lifeDomain: goalFields.lifeDomain,
    title: goalFields.title,
    clientWords: goalFields.clientWords.optional(),
    status: goalFields.status.optional(),
    targetDate: goalFields.targetDate.optional(),
  })
  .strict();

export const UpdateGoalSchema = z.object(goalFields).partial().strict().refine(atLeastOneField, nonEmpty);

// ------------------------------------------------------------------ actions

/**
 * One entry of an action's thread: who wrote it, when, the status they gave the action (null when
 * it stayed) and their note ('' when they only changed the status).
 */
export const ActionEntrySchema = z
  .object({
    id: z.uuid(),
    authorName: z.string(),
    createdAt: isoDateTime,
    status: z.enum(ACTION_STATUSES).nullable(),
    note: z.string(),
  })
  .meta({ id: 'ActionEntry' });

/** A note for an action's thread: appended to it, with the change it comes with. */
const actionNote = z
  .string()
  .trim()
  .min(1)
  .max(TEXT_MAX)
  .describe('A note appended to the action’s thread; earlier notes stay');

export const ActionSchema = z
  .object({
    id: z.uuid(),
    goalId: z.uuid().nullable(),
    ownerMemberId: z.uuid().nullable(),
    /** Who does it: shown to whoever reads the action, even without the network section. */
    owner: z
      .object({ name: z.string(), relation: z.string().nullable(), organization: z.string().nullable() })
      .nullable(),
    title: z.string(),
    description: z.string(),
    dueOn: isoDate.nullable(),
    status: z.enum(ACTION_STATUSES),
    /** Its notes and status changes, oldest first: appended, never edited. */
    thread: z.array(ActionEntrySchema),
    /**
     * The meeting decision it carries out, when it was made from one; null too for a reader who
     * does not read the meetings.
     */
    fromMeeting: z.object({ meetingId: z.uuid(), decision: z.string() }).nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Action' });

/** An action's owner in one line, "Name (role, organisation)", as printed and exported. */
export function actionOwnerLabel(owner: NonNullable<z.infer<typeof ActionSchema>['owner']>): string {
  const details = [owner.relation, owner.organization].filter((part): part is string => !!part);
  return details.length > 0 ? `${owner.name} (${details.join(', ')})` : owner.name;
}

const actionFields = {
  goalId: z.uuid().nullable(),
  ownerMemberId: z.uuid().nullable(),
  title,
  description: text,
  dueOn: isoDate.nullable(),
  status: z.enum(ACTION_STATUSES),
  note: actionNote,
};

export const CreateActionSchema = z
  .object({
    title: actionFields.title,
    goalId: actionFields.goalId.optional(),
    ownerMemberId: actionFields.ownerMemberId.optional(),
    description: actionFields.description.optional(),
    dueOn: actionFields.dueOn.optional(),
    status: actionFields.status.optional(),
    note: actionFields.note.optional(),
  })
  .strict();

/**
 * `POST …/meetings/:itemId/actions`: one decision of the meeting becomes an action with an owner,
 * in one step; the action keeps the decision's words and the meeting it came from.
 */
export const ActionFromDecisionSchema = z
  .object({
    decision: z.string().trim().min(1).max(TEXT_MAX).describe('The decision, as written in the meeting'),
    title: actionFields.title,
    ownerMemberId: z.uuid(),
    goalId: actionFields.goalId.optional(),
    dueOn: actionFields.dueOn.optional(),
  })
  .strict();

/** A partner who may contribute to actions sends only `status` and `note` of an action they own. */
export const UpdateActionSchema = z.object(actionFields).partial().strict().refine(atLeastOneField, nonEmpty);

// ------------------------------------------------------------------ agreements

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

const agreementFields = {
  memberId: z.uuid().nullable(),
  role: title,
  agreement: text,
  referencePerson: z.string().max(1000),
  callWhen: text,
};

export const CreateAgreementSchema = z
  .object({
    role: agreementFields.role,
    memberId: agreementFields.memberId.optional(),
    agreement: agreementFields.agreement.optional(),
    referencePerson: agreementFields.referencePerson.optional(),
    callWhen: agreementFields.callWhen.optional(),
  })
  .strict();

export const UpdateAgreementSchema = z
  .object(agreementFields)
  .partial()
  .strict()
  .refine(atLeastOneField, nonEmpty);

// ------------------------------------------------------------------ meetings

/** A note added to a meeting by someone who took part (inline in a meeting, MeetingNote alone). */
const meetingNote = z.object({
  id: z.uuid(),
  body: z.string(),
  authorName: z.string(),
  createdAt: isoDateTime,
});

export const MeetingSchema = z
  .object({
    id: z.uuid(),
    heldAt: isoDateTime,
    title: z.string(),
    /** The discussion notes; null for a reader not bound by professional secrecy (withheld). */
    notes: z.string().nullable(),
    decisions: z.string(),
    participants: z.array(z.object({ memberId: z.uuid(), name: z.string() })),
    /** The client took part: the client is no member of their own network, so not a participant. */
    clientTookPart: z.boolean(),
    addedNotes: z.array(meetingNote),
    version: z.number().int(),
  })
  .meta({ id: 'Meeting' });

const participantIds = z
  .array(z.uuid())
  .max(LIST_MAX)
  .refine(uniqueIds, { message: 'Name each participant once.' })
  .describe('Member ids of this plan; replaces the list of participants');

const meetingFields = {
  heldAt: isoDateTime,
  title,
  notes: text,
  decisions: text,
  participantMemberIds: participantIds,
  clientTookPart: z.boolean(),
};

export const CreateMeetingSchema = z
  .object({
    heldAt: meetingFields.heldAt,
    title: meetingFields.title,
    notes: meetingFields.notes.optional(),
    decisions: meetingFields.decisions.optional(),
    participantMemberIds: meetingFields.participantMemberIds.optional(),
    clientTookPart: meetingFields.clientTookPart.optional(),
  })
  .strict();

export const UpdateMeetingSchema = z
  .object(meetingFields)
  .partial()
  .strict()
  .refine(atLeastOneField, nonEmpty);

export const AddMeetingNoteSchema = z.object({ body: z.string().trim().min(1).max(TEXT_MAX) }).strict();

export const MeetingNoteSchema = meetingNote.meta({ id: 'MeetingNote' });

// ------------------------------------------------------------------ evaluations

/**
 * A partner's or the client's own rating and words in an evaluation. The author's name only when
 * the reader may see the author's member row (a hidden partner stays unnamed); `editable` says
 * whether the reader is its author and may still change it.
 */
export const EvaluationContributionSchema = z
  .object({
    id: z.uuid(),
    evaluationId: z.uuid(),
    author: z.object({
      kind: z.enum(['client', 'partner']),
      memberId: z.uuid().nullable(),
      name: z.string().nullable(),
    }),
    goalsRating: z.number().int().nullable(),
    goalsWords: z.string(),
    collaborationRating: z.number().int().nullable(),
    collaborationWords: z.string(),
    editable: z.boolean(),
    updatedAt: isoDateTime,
    version: z.number().int(),
  })
  .meta({ id: 'EvaluationContribution' });

export const EvaluationSchema = z
  .object({
    id: z.uuid(),
    evaluatedOn: isoDate,
    collaborationRating: z.number().int().nullable(),
    collaborationNotes: z.string(),
    goals: z.array(z.object({ goalId: z.uuid(), rating: z.number().int(), notes: z.string() })),
    /** What partners and the client said themselves, beside the lead's evaluation. */
    contributions: z.array(EvaluationContributionSchema),
    version: z.number().int(),
  })
  .meta({ id: 'Evaluation' });

const contributionFields = {
  goalsRating: rating.nullable(),
  goalsWords: text,
  collaborationRating: rating.nullable(),
  collaborationWords: text,
};
const saysSomething = (body: {
  goalsRating?: number | null;
  goalsWords?: string;
  collaborationRating?: number | null;
  collaborationWords?: string;
}) =>
  (body.goalsRating ?? null) !== null ||
  (body.collaborationRating ?? null) !== null ||
  (body.goalsWords ?? '').trim() !== '' ||
  (body.collaborationWords ?? '').trim() !== '';

/** `POST …/evaluations/:itemId/contributions`: your own rating and words (at least one of them). */
export const CreateEvaluationContributionSchema = z
  .object(contributionFields)
  .partial()
  .strict()
  .refine(saysSomething, { message: 'Give a rating or write a few words.' })
  .meta({ id: 'CreateEvaluationContribution' });

/** `PATCH …/contributions/:contributionId` (If-Match): the fields sent change. */
export const UpdateEvaluationContributionSchema = z
  .object(contributionFields)
  .partial()
  .strict()
  .refine(atLeastOneField, nonEmpty)
  .meta({ id: 'UpdateEvaluationContribution' });

export const ContributionParamsSchema = z.object({
  planId: UuidSchema,
  itemId: UuidSchema,
  contributionId: UuidSchema,
});

const goalRatings = z
  .array(z.object({ goalId: z.uuid(), rating, notes: text.optional() }).strict())
  .max(LIST_MAX)
  .refine((items) => uniqueIds(items.map((item) => item.goalId)), { message: 'Rate each goal once.' })
  .describe('Goals of this plan with their rating (1–5); replaces the ratings');

const evaluationFields = {
  evaluatedOn: isoDate,
  collaborationRating: rating.nullable(),
  collaborationNotes: text,
  goals: goalRatings,
};

export const CreateEvaluationSchema = z
  .object({
    evaluatedOn: evaluationFields.evaluatedOn,
    collaborationRating: evaluationFields.collaborationRating.optional(),
    collaborationNotes: evaluationFields.collaborationNotes.optional(),
    goals: evaluationFields.goals.optional(),
  })
  .strict();

export const UpdateEvaluationSchema = z
  .object(evaluationFields)
  .partial()
  .strict()
  .refine(atLeastOneField, nonEmpty);

// ------------------------------------------------------------------ closure

export const ClosureSchema = z
  .object({
    closedOn: isoDate,
    reason: z.string(),
    reasonKind: z.enum(CLOSURE_REASONS),
    handover: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Closure' });

// ------------------------------------------------------------------ per section

/** What a section's schemas are: its record's read schema, whether it holds many, its bodies. */
interface SectionSchemas {
  /** One record as every answer has it (the overview, the section's GET, an item's routes). */
  record: z.ZodObject;
  /** A list of records, or one document per plan (null until written). */
  many: boolean;
  create?: z.ZodType;
  update?: z.ZodType;
}

/** The schemas of each section: the registry of shapes the database and the routes build on. */
export const SECTION_SCHEMAS = {
  network: { record: MemberSchema, many: true, create: CreateMemberSchema, update: UpdateMemberSchema },
  request: { record: PlanRequestSchema, many: false, update: PutRequestSchema },
  goals: { record: GoalSchema, many: true, create: CreateGoalSchema, update: UpdateGoalSchema },
  actions: { record: ActionSchema, many: true, create: CreateActionSchema, update: UpdateActionSchema },
  agreements: {
    record: AgreementSchema,
    many: true,
    create: CreateAgreementSchema,
    update: UpdateAgreementSchema,
  },
  crisis: { record: CrisisPlanSchema, many: false, update: PutCrisisPlanSchema },
  background: { record: BackgroundSchema, many: false, update: PutBackgroundSchema },
  meetings: { record: MeetingSchema, many: true, create: CreateMeetingSchema, update: UpdateMeetingSchema },
  evaluations: {
    record: EvaluationSchema,
    many: true,
    create: CreateEvaluationSchema,
    update: UpdateEvaluationSchema,
  },
  closure: { record: ClosureSchema, many: false, create: ClosePlanSchema },
} as const satisfies Record<Section, SectionSchemas>;

type Schemas = typeof SECTION_SCHEMAS;

/** The read schema of one record of a section. */
export type SectionRecordSchema<S extends Section> = Schemas[S]['record'];
/** One record of a section, as answers carry it. */
export type SectionRecord<S extends Section> = z.infer<SectionRecordSchema<S>>;

/** The content schema of a section: its list of records, or its one document or null. */
export type SectionContentSchema<S extends Section> = S extends Section
  ? Schemas[S]['many'] extends true
    ? z.ZodArray<SectionRecordSchema<S>>
    : z.ZodNullable<SectionRecordSchema<S>>
  : never;
/** A section's content, as its GET route and the overview answer it. */
export type SectionContent<S extends Section> = z.infer<SectionContentSchema<S>>;

function contentSchema<S extends Section>(section: S): SectionContentSchema<S> {
  const { record, many }: SectionSchemas = SECTION_SCHEMAS[section];
  return (many ? z.array(record) : record.nullable()) as SectionContentSchema<S>;
}

/** The content schema of each section, as its GET route and the overview answer it. */
export const SECTION_CONTENT_SCHEMAS = {
  network: contentSchema('network'),
  request: contentSchema('request'),
  goals: contentSchema('goals'),
  actions: contentSchema('actions'),
  agreements: contentSchema('agreements'),
  crisis: contentSchema('crisis'),
  background: contentSchema('background'),
  meetings: contentSchema('meetings'),
  evaluations: contentSchema('evaluations'),
  closure: contentSchema('closure'),
} satisfies { [S in Section]: SectionContentSchema<S> };

export type PutRequest = z.infer<typeof PutRequestSchema>;
export type PutCrisisPlan = z.infer<typeof PutCrisisPlanSchema>;
export type PutBackground = z.infer<typeof PutBackgroundSchema>;
export type CreateGoal = z.infer<typeof CreateGoalSchema>;
export type UpdateGoal = z.infer<typeof UpdateGoalSchema>;
export type ActionEntry = z.infer<typeof ActionEntrySchema>;
export type CreateAction = z.infer<typeof CreateActionSchema>;
export type UpdateAction = z.infer<typeof UpdateActionSchema>;
export type CreateAgreement = z.infer<typeof CreateAgreementSchema>;
export type UpdateAgreement = z.infer<typeof UpdateAgreementSchema>;
export type CreateMeeting = z.infer<typeof CreateMeetingSchema>;
export type UpdateMeeting = z.infer<typeof UpdateMeetingSchema>;
export type CreateEvaluation = z.infer<typeof CreateEvaluationSchema>;
export type UpdateEvaluation = z.infer<typeof UpdateEvaluationSchema>;
export type EvaluationContribution = z.infer<typeof EvaluationContributionSchema>;
export type CreateEvaluationContribution = z.infer<typeof CreateEvaluationContributionSchema>;
export type UpdateEvaluationContribution = z.infer<typeof UpdateEvaluationContributionSchema>;
