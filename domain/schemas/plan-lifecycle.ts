import { z } from 'zod';
import { CLOSURE_REASONS, PHASES, type Phase } from '../vocabularies.ts';
import { TEXT_MAX } from './common.ts';

const isoDate = z.iso.date();

/** The client a lead registers when opening a plan; contact details are optional. */
export const NewClientSchema = z
  .object({
    firstName: z.string().trim().min(1).max(100),
    lastName: z.string().trim().min(1).max(100),
    birthDate: isoDate.optional(),
    phone: z.string().trim().min(1).max(50).optional(),
    email: z.email().max(254).optional(),
    address: z.string().trim().min(1).max(500).optional(),
    /** A language tag such as `nl`, `fr` or `ar`: content is stored as written, in any language. */
    preferredLanguage: z
      .string()
      .trim()
      .max(35)
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as "nl", "fr" or "ar"')
      .optional(),
    /** The client needs an interpreter to talk with the network. */
    needsInterpreter: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'NewClient' });

const optionalText = (max: number) => z.string().trim().min(1).max(max).nullable().optional();

/**
 * The lead corrects the client's registration details; a field left out stays as it is, `null`
 * clears it. The names stay filled in.
 */
export const UpdateClientSchema = z
  .object({
    firstName: z.string().trim().min(1).max(100).optional(),
    lastName: z.string().trim().min(1).max(100).optional(),
    birthDate: isoDate.nullable().optional(),
    phone: optionalText(50),
    email: z.email().max(254).nullable().optional(),
    address: optionalText(500),
    preferredLanguage: NewClientSchema.shape.preferredLanguage.unwrap().nullable().optional(),
    needsInterpreter: z.boolean().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'Send at least one field to change.' })
  .meta({ id: 'UpdateClient' });

/** The request a plan opens with, in the client's own words. */
export const OpeningRequestSchema = z
  .object({ clientWords: z.string().trim().min(1).max(TEXT_MAX) })
  .strict();

/**
 * Registers a client and opens their plan; the lead joins the network with `leadRelation`. The
 * request in the client's own words may come with it, so that the plan opens with it recorded.
 */
export const CreatePlanSchema = z
  .object({
    client: NewClientSchema,
    request: OpeningRequestSchema.optional(),
    /** How the lead appears on the network map (default: "Lead support worker"). */
    leadRelation: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .meta({ id: 'CreatePlan' });

/** Moves the plan along the method and/or sets the next evaluation date. */
export const UpdatePlanSchema = z
  .object({
    phase: z.enum(PHASES),
    nextEvaluationOn: isoDate.nullable().optional(),
  })
  .strict()
  .meta({ id: 'UpdatePlan' });

/** Ends the collaboration (the `closure` section). */
export const ClosePlanSchema = z
  .object({
    date: isoDate,
    /** The lead's own words: shown in the plan, never counted. */
    reason: z.string().trim().min(1).max(2000),
    /** The reason as one word of the list: what the organisation's figures count. */
    reasonKind: z.enum(CLOSURE_REASONS),
    /** To whom and how the support was handed over; may be empty when there is no follow-up. */
    handover: z.string().trim().max(4000),
  })
  .strict()
  .meta({ id: 'ClosePlan' });

/** The steps of the method a plan moves along with PATCH; `closed` is reached only by closing. */
export const METHOD_PHASES = [
  'registration',
  'request',
  'goals',
  'approach',
  'active',
  'evaluation',
] as const satisfies readonly Phase[];

/**
 * Whether a plan may move from one phase to another through PATCH: one step forward along the
 * method, or one step back to correct a mistake (so `evaluation` may go back to `active` for a
 * new cycle). Staying in the same phase is allowed (only the evaluation date changes).
 * Never to or from `closed`.
 */
export function isPhaseMoveAllowed(from: Phase, to: Phase): boolean {
  const a = (METHOD_PHASES as readonly Phase[]).indexOf(from);
  const b = (METHOD_PHASES as readonly Phase[]).indexOf(to);
  return a !== -1 && b !== -1 && Math.abs(a - b) <= 1;
}
