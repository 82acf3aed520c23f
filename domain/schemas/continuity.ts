import { z } from 'zod';
import { CONSENT_METHODS } from '../vocabularies.ts';
import { OpeningRequestSchema } from './plan-lifecycle.ts';

// Continuity of a plan (DESIGN.md, "Continuity"): the lead role handed over with the client's
// consent, a closed plan opened again for a new cycle.

/** What the lead becomes after handing the plan over. */
export const PREVIOUS_LEAD_ROLES = ['co_lead', 'past'] as const;
export type PreviousLeadRole = (typeof PREVIOUS_LEAD_ROLES)[number];

/**
 * `POST /api/plans/:planId/handover` (If-Match): the lead passes the role to a colleague of their
 * organisation, with the client's consent as the lead records consent (told verbally or in
 * writing; `in_app` is the client's own).
 */
export const HandoverSchema = z
  .object({
    toUserId: z.uuid(),
    previousLead: z.enum(PREVIOUS_LEAD_ROLES),
    consent: z
      .object({
        method: z.enum(CONSENT_METHODS),
        /** When the client agreed; default now. */
        givenAt: z.iso.datetime({ offset: true }).optional(),
        note: z.string().trim().max(2000).optional(),
      })
      .strict(),
  })
  .strict()
  .meta({ id: 'Handover' });

/** A recorded handover. */
export const HandoverRecordSchema = z
  .object({
    id: z.uuid(),
    planId: z.uuid(),
    from: z.object({ userId: z.uuid(), name: z.string() }),
    to: z.object({ userId: z.uuid(), name: z.string() }),
    previousLead: z.enum(PREVIOUS_LEAD_ROLES),
    consent: z.object({
      method: z.enum(CONSENT_METHODS),
      givenAt: z.iso.datetime({ offset: true }),
      note: z.string().nullable(),
    }),
    recordedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'HandoverRecord' });

/** `POST /api/plans/:planId/reopen` (If-Match): a new cycle for a client who comes back. */
export const ReopenPlanSchema = z
  .object({
    /** Why the plan opens again, in the lead's words. */
    note: z.string().trim().max(2000).optional(),
  })
  .strict()
  .meta({ id: 'ReopenPlan' });

/**
 * A returning client registered again (issue 14, part 8): a new plan for the client of a closed
 * one, linked to it; the earlier plan stays closed as it was.
 */
export const RegisterAgainSchema = z
  .object({
    /** What the client asks this time, in their own words. */
    request: OpeningRequestSchema.optional(),
  })
  .strict()
  .meta({ id: 'RegisterAgain' });
