import { z } from 'zod';

/**
 * The name of a message in the outbox, exactly as the mailer writes it: the time it was written
 * (ISO 8601, `:` and `.` as `-`, so that names sort by time) and a random part. Nothing else is
 * ever read from the outbox, so an id can't reach outside it.
 */
export const OUTBOX_ID_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-[0-9a-f]{12}\.eml$/;

export const OutboxIdSchema = z.string().regex(OUTBOX_ID_PATTERN, 'not a message of the outbox');

export const OutboxEntrySchema = z
  .object({
    id: OutboxIdSchema,
    to: z.string(),
    subject: z.string(),
    /** When the message was written to the outbox. */
    date: z.iso.datetime(),
  })
  .meta({ id: 'OutboxEntry' });

export const OutboxListSchema = z
  .object({
    /** False when e-mail goes out over SMTP: then there is no outbox, and `items` is empty. */
    enabled: z.boolean(),
    items: z.array(OutboxEntrySchema),
    nextCursor: OutboxIdSchema.nullable(),
  })
  .meta({ id: 'OutboxList' });

export const OutboxMessageSchema = OutboxEntrySchema.extend({ text: z.string() }).meta({
  id: 'OutboxMessage',
});

export const OutboxListQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** The last id of the previous page: the next page holds older messages. */
    cursor: OutboxIdSchema.optional(),
  })
  .strict();

export const OutboxParamsSchema = z.object({ id: OutboxIdSchema });
