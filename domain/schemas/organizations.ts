import { z } from 'zod';
import { SECTORS } from '../vocabularies.ts';
import {
  DescriptionSchema,
  EmailSchema,
  LanguageCodeSchema,
  ORGANIZATION_LIMITS,
  OrganizationNameSchema,
  PhoneSchema,
  PostcodeSchema,
  ServiceNameSchema,
  WebsiteSchema,
} from '../organization-fields.ts';
import { UuidSchema } from './common.ts';

// The municipalities (BRUSSELS_MUNICIPALITIES) and the fields of a directory entry live in
// domain/, since the HSDS import (db/) checks entries with the same schemas.
const L = ORGANIZATION_LIMITS;

export const OrganizationSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    nameNl: z.string().nullable(),
    nameFr: z.string().nullable(),
    description: z.string().nullable().describe('A description whose language the source did not state'),
    descriptionNl: z.string().nullable(),
    descriptionFr: z.string().nullable(),
    sectors: z.array(z.string()),
    languages: z.array(z.string()),
    services: z.array(z.string()),
    street: z.string().nullable(),
    postcode: z.string().nullable(),
    municipality: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    website: z.string().nullable(),
    openingHours: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Organization' });

export type Organization = z.infer<typeof OrganizationSchema>;

export const OrganizationParamsSchema = z.object({ organizationId: UuidSchema });

export const OrganizationListQuerySchema = z
  .object({
    q: z.string().trim().min(1).max(200).optional().describe('Words to find, in Dutch or French'),
    sector: z.enum(SECTORS).optional(),
    language: LanguageCodeSchema.optional(),
    municipality: z
      .string()
      .trim()
      .min(1)
      .max(L.municipality)
      .optional()
      .describe('In Dutch or in French: "Elsene" and "Ixelles" are the same'),
    postcode: PostcodeSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(1500).optional(),
  })
  .strict();

export const OrganizationListSchema = z
  .object({ items: z.array(OrganizationSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'OrganizationList' });

/** What an organisation's admins may change in its directory entry; `null` clears a field. */
export const UpdateOrganizationSchema = z
  .object({
    name: OrganizationNameSchema.optional(),
    nameNl: OrganizationNameSchema.nullable().optional(),
    nameFr: OrganizationNameSchema.nullable().optional(),
    description: DescriptionSchema.nullable().optional(),
    descriptionNl: DescriptionSchema.nullable().optional(),
    descriptionFr: DescriptionSchema.nullable().optional(),
    sectors: z.array(z.enum(SECTORS)).max(SECTORS.length).optional(),
    languages: z.array(LanguageCodeSchema).max(L.languages).optional(),
    services: z.array(ServiceNameSchema).max(L.services).optional(),
    street: z.string().trim().min(1).max(L.street).nullable().optional(),
    postcode: PostcodeSchema.nullable().optional(),
    municipality: z.string().trim().min(1).max(L.municipality).nullable().optional(),
    email: EmailSchema.nullable().optional(),
    phone: PhoneSchema.nullable().optional(),
    website: WebsiteSchema.nullable().optional(),
    openingHours: z.string().trim().min(1).max(L.openingHours).nullable().optional(),
  })
  .strict()
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'Send at least one field to change.',
  })
  .meta({ id: 'UpdateOrganization' });

export type UpdateOrganization = z.infer<typeof UpdateOrganizationSchema>;

/** People of an organisation with a Liaison account, whom a lead may link into a network. */
export const OrganizationPeopleSchema = z
  .object({ items: z.array(z.object({ userId: z.uuid(), name: z.string() })) })
  .meta({ id: 'OrganizationPeople' });
