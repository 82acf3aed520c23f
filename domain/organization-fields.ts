import { z } from 'zod';

// The fields of a directory entry, checked alike by the API (domain/schemas/organizations.ts) and
// by the HSDS import (db/directory/hsds.ts), so that an imported entry is one the API would accept.

/** Bounds of a directory entry's fields. */
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
