import { z } from 'zod';
import { LOCALES, STAFF_USER_KINDS } from '../vocabularies.ts';
import { UuidSchema } from './common.ts';

export const ManagedUserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    kind: z.enum(STAFF_USER_KINDS),
    locale: z.enum(LOCALES),
    secrecyBound: z.boolean(),
    disabled: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'ManagedUser' });

export const ManagedUserListSchema = z.object({
  items: z.array(ManagedUserSchema),
  nextCursor: z.string().nullable(),
});

export const UserListQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(100),
    cursor: z.uuid().optional(),
  })
  .strict();

export const CreateUserSchema = z
  .object({
    email: z.email().max(254),
    name: z.string().trim().min(1).max(200),
    kind: z.enum(STAFF_USER_KINDS).default('professional'),
    locale: z.enum(LOCALES).default('nl'),
    secrecyBound: z.boolean().default(false),
    /** A first password the admin hands over; at least 12 characters. */
    password: z.string().min(12).max(1024),
  })
  .strict();

export const UpdateUserSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    locale: z.enum(LOCALES).optional(),
    secrecyBound: z.boolean().optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'Send at least one field to change.' });

export const UserParamsSchema = z.object({ userId: UuidSchema });
