import { z } from 'zod';
import { SECTIONS } from '../sections.ts';
import { ACCESS_END_REASONS, NOTIFICATION_KINDS } from '../vocabularies.ts';
import { UuidSchema } from './common.ts';

/**
 * A notice as its recipient reads it: rendered at read time through their own ability, so every
 * field that names plan facts is null (or empty) when they may not read it now (DESIGN.md,
 * "Notices"). Never the content of a section.
 */
export const NotificationSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(NOTIFICATION_KINDS),
    createdAt: z.iso.datetime({ offset: true }),
    readAt: z.iso.datetime({ offset: true }).nullable(),
    planId: z.uuid(),
    /** The client's name, when the recipient may read the plan now. */
    clientName: z.string().nullable(),
    /** Where the recipient follows the notice up in the web app, when they may open the plan. */
    link: z.string().nullable(),
    /** The sections of the grants concerned (the recipient's own access, or the consent they keep). */
    sections: z.array(z.enum(SECTIONS)),
    /** Why access ended (`access_ended`). */
    reason: z.enum(ACCESS_END_REASONS).nullable(),
    /** The day it is about (a grant's end, a due day), when the recipient may read it. */
    dueOn: z.iso.date().nullable(),
    /** The member whose grant ends (`grant_ending`), when the recipient may see that member. */
    memberName: z.string().nullable(),
    /** The client's words (`client_message`), for the plan's lead only. */
    message: z.string().nullable(),
  })
  .meta({ id: 'Notification' });

export const NotificationListSchema = z
  .object({
    items: z.array(NotificationSchema),
    /** Pass as `cursor` for the next (older) page; null on the last page. */
    nextCursor: z.string().nullable(),
    unread: z.number().int().min(0),
  })
  .meta({ id: 'NotificationList' });

export const NotificationListQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,200}$/, 'not a cursor of this list')
      .optional(),
    unread: z.enum(['true', 'false']).optional(),
  })
  .strict();

export const NotificationCountSchema = z.object({ unread: z.number().int().min(0) }).meta({
  id: 'NotificationCount',
});

export const NotificationParamsSchema = z.object({ id: UuidSchema });

/** The client writes to their lead ("write to my support worker"): plain words, kept short. */
export const ClientMessageSchema = z
  .object({ body: z.string().trim().min(1).max(2000) })
  .strict()
  .meta({ id: 'ClientMessage' });

export const ClientMessageSentSchema = z.object({ id: z.uuid(), sentAt: z.iso.datetime({ offset: true }) });

export const DigestSettingSchema = z.object({ emailDigest: z.boolean() }).strict().meta({
  id: 'DigestSetting',
});
