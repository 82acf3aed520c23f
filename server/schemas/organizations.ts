import { z } from 'zod';
import { SECTORS } from '../../policies/sections.ts';

/**
 * The 19 municipalities of the Brussels-Capital Region with their Dutch and French names and
 * their postcodes (the City of Brussels has four). Used by the directory's filters and demo data.
 */
export const BRUSSELS_MUNICIPALITIES = [
  { nl: 'Brussel', fr: 'Bruxelles', postcodes: ['1000', '1020', '1120', '1130'] },
  { nl: 'Schaarbeek', fr: 'Schaerbeek', postcodes: ['1030'] },
  { nl: 'Etterbeek', fr: 'Etterbeek', postcodes: ['1040'] },
  { nl: 'Elsene', fr: 'Ixelles', postcodes: ['1050'] },
  { nl: 'Sint-Gillis', fr: 'Saint-Gilles', postcodes: ['1060'] },
  { nl: 'Anderlecht', fr: 'Anderlecht', postcodes: ['1070'] },
  { nl: 'Sint-Jans-Molenbeek', fr: 'Molenbeek-Saint-Jean', postcodes: ['1080'] },
  { nl: 'Koekelberg', fr: 'Koekelberg', postcodes: ['1081'] },
  { nl: 'Sint-Agatha-Berchem', fr: 'Berchem-Sainte-Agathe', postcodes: ['1082'] },
  { nl: 'Ganshoren', fr: 'Ganshoren', postcodes: ['1083'] },
  { nl: 'Jette', fr: 'Jette', postcodes: ['1090'] },
  { nl: 'Evere', fr: 'Evere', postcodes: ['1140'] },
  { nl: 'Sint-Pieters-Woluwe', fr: 'Woluwe-Saint-Pierre', postcodes: ['1150'] },
  { nl: 'Oudergem', fr: 'Auderghem', postcodes: ['1160'] },
  { nl: 'Watermaal-Bosvoorde', fr: 'Watermael-Boitsfort', postcodes: ['1170'] },
  { nl: 'Ukkel', fr: 'Uccle', postcodes: ['1180'] },
  { nl: 'Vorst', fr: 'Forest', postcodes: ['1190'] },
  { nl: 'Sint-Lambrechts-Woluwe', fr: 'Woluwe-Saint-Lambert', postcodes: ['1200'] },
  { nl: 'Sint-Joost-ten-Node', fr: 'Saint-Josse-ten-Noode', postcodes: ['1210'] },
] as const;

/** Bounds of a directory entry's fields, shared by the API and the HSDS import. */
export const ORGANIZATION_LIMITS = {
  name: 200,
  description: 4000,
  services: 50,
  service: 100,
  languages: 20,
  street: 200,
  municipality: 100,
  email: 254,
  phone: 50,
  website: 500,
  openingHours: 1000,
} as const;

const L = ORGANIZATION_LIMITS;

/** A language an organisation works in: an ISO 639 code (`nl`, `fr`, `en`, `ar`, …). */
export const LanguageCodeSchema = z
  .string()
  .regex(/^[a-z]{2,3}$/, 'Use an ISO 639 language code such as "nl" or "fr".');
/** A Belgian postcode: four digits. */
export const PostcodeSchema = z.string().regex(/^[0-9]{4}$/, 'A postcode has four digits.');
export const OrganizationNameSchema = z.string().trim().min(1).max(L.name);
export const DescriptionSchema = z.string().trim().min(1).max(L.description);
export const ServiceNameSchema = z.string().trim().min(1).max(L.service);
export const EmailSchema = z.email().max(L.email);
export const PhoneSchema = z
  .string()
  .trim()
  .min(3)
  .max(L.phone)
  .regex(/^[+(]?[0-9][0-9 ()./-]*(?:\s*(?:ext\.?|x)\s*[0-9]+)?$/i, 'Not a phone number.');
export const WebsiteSchema = z
  .url({ protocol: /^https?$/, hostname: z.regexes.domain })
  .max(L.website)
  .describe('An http(s) address');

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

export const OrganizationParamsSchema = z.object({ organizationId: z.uuid() });

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
