import { z } from 'zod';
import { ACTION_STATUSES, GOAL_STATUSES, LIFE_DOMAINS } from '../vocabularies.ts';

// Write bodies of the plan's sections. Every body is strict (an unknown field is a 400) and every
// string and array is bounded. Responses reuse the section schemas of ./plans.ts (GoalSchema, …).

/** Longest title, role or name of a thing. */
export const TITLE_MAX = 200;
/** Longest free text (notes, decisions, the client's words, …). */
export const TEXT_MAX = 10_000;
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

export const ItemParamsSchema = z.object({ planId: z.uuid(), itemId: z.uuid() });

// ------------------------------------------------------------------ one document per plan

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

const actionFields = {
  goalId: z.uuid().nullable(),
  ownerMemberId: z.uuid().nullable(),
  title,
  description: text,
  dueOn: isoDate.nullable(),
  status: z.enum(ACTION_STATUSES),
  notes: text,
};

export const CreateActionSchema = z
  .object({
    title: actionFields.title,
    goalId: actionFields.goalId.optional(),
    ownerMemberId: actionFields.ownerMemberId.optional(),
    description: actionFields.description.optional(),
    dueOn: actionFields.dueOn.optional(),
    status: actionFields.status.optional(),
    notes: actionFields.notes.optional(),
  })
  .strict();

/** A partner who may contribute to actions sends only `status` and `notes` of an action they own. */
export const UpdateActionSchema = z.object(actionFields).partial().strict().refine(atLeastOneField, nonEmpty);

// ------------------------------------------------------------------ agreements

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
};

export const CreateMeetingSchema = z
  .object({
    heldAt: meetingFields.heldAt,
    title: meetingFields.title,
    notes: meetingFields.notes.optional(),
    decisions: meetingFields.decisions.optional(),
    participantMemberIds: meetingFields.participantMemberIds.optional(),
  })
  .strict();

export const UpdateMeetingSchema = z
  .object(meetingFields)
  .partial()
  .strict()
  .refine(atLeastOneField, nonEmpty);

export const AddMeetingNoteSchema = z.object({ body: z.string().trim().min(1).max(TEXT_MAX) }).strict();

export const MeetingNoteSchema = z
  .object({ id: z.uuid(), body: z.string(), authorName: z.string(), createdAt: isoDateTime })
  .meta({ id: 'MeetingNote' });

// ------------------------------------------------------------------ evaluations

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

export type PutRequest = z.infer<typeof PutRequestSchema>;
export type PutCrisisPlan = z.infer<typeof PutCrisisPlanSchema>;
export type PutBackground = z.infer<typeof PutBackgroundSchema>;
export type CreateGoal = z.infer<typeof CreateGoalSchema>;
export type UpdateGoal = z.infer<typeof UpdateGoalSchema>;
export type CreateAction = z.infer<typeof CreateActionSchema>;
export type UpdateAction = z.infer<typeof UpdateActionSchema>;
export type CreateAgreement = z.infer<typeof CreateAgreementSchema>;
export type UpdateAgreement = z.infer<typeof UpdateAgreementSchema>;
export type CreateMeeting = z.infer<typeof CreateMeetingSchema>;
export type UpdateMeeting = z.infer<typeof UpdateMeetingSchema>;
export type CreateEvaluation = z.infer<typeof CreateEvaluationSchema>;
export type UpdateEvaluation = z.infer<typeof UpdateEvaluationSchema>;
