import { z } from 'zod';
import { SECTIONS } from '../sections.ts';
import { GRANT_ACCESS } from '../vocabularies.ts';
import { UuidSchema } from './common.ts';

/** The sections where `contribute` means something: a partner's own actions, meeting notes. */
export const CONTRIBUTABLE_SECTIONS = ['actions', 'meetings'] as const;

const name = z.string().trim().min(1).max(100);

/** One section a role template proposes to share, and how. */
export const RoleTemplateShareSchema = z
  .object({ section: z.enum(SECTIONS), access: z.enum(GRANT_ACCESS) })
  .strict()
  .refine(
    (share) =>
      share.access === 'read' || (CONTRIBUTABLE_SECTIONS as readonly string[]).includes(share.section),
    { message: 'Only actions and meetings can be shared to contribute; other sections are read.' },
  );

const shares = z
  .array(RoleTemplateShareSchema)
  .min(1)
  .max(SECTIONS.length)
  .refine((list) => new Set(list.map((share) => share.section)).size === list.length, {
    message: 'Each section once.',
  });

/** A role template as the API answers it: its names in the three languages and what it proposes. */
export const RoleTemplateSchema = z
  .object({
    id: z.uuid(),
    key: z.string(),
    names: z.object({ nl: z.string(), fr: z.string(), en: z.string() }),
    shares: z.array(z.object({ section: z.enum(SECTIONS), access: z.enum(GRANT_ACCESS) })),
    /** Still the default of every organisation (not yet changed by this organisation's admin). */
    isDefault: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'RoleTemplate' });

export const RoleTemplateListSchema = z.object({ items: z.array(RoleTemplateSchema) });

export const CreateRoleTemplateSchema = z
  .object({
    names: z.object({ nl: name, fr: name, en: name }).strict(),
    shares,
  })
  .strict()
  .meta({ id: 'CreateRoleTemplate' });

export const UpdateRoleTemplateSchema = z
  .object({
    names: z.object({ nl: name, fr: name, en: name }).strict().optional(),
    shares: shares.optional(),
  })
  .strict()
  .refine((body) => body.names !== undefined || body.shares !== undefined, {
    message: 'Send at least one field to change.',
  })
  .meta({ id: 'UpdateRoleTemplate' });

export const RoleTemplateParamsSchema = z.object({ organizationId: UuidSchema, templateId: UuidSchema });
