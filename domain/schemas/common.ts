import { z } from 'zod';

/** RFC 9457 problem details, as every error of the API is answered. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('Field errors, for validation problems'),
  })
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof ProblemSchema>;

/**
 * An id as the API takes it: any case on the way in, lower case (as PostgreSQL prints a uuid)
 * from there on, so that an id compares equal to the stored one wherever it goes.
 */
export const UuidSchema = z.uuid().toLowerCase();

/** Longest free text (notes, decisions, the client's words, …). */
export const TEXT_MAX = 10_000;
