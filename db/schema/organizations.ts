import { sql } from 'drizzle-orm';
import { check, index, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, updatedAt, version } from './columns.ts';

/** A social organisation of the Brussels field: the partner directory's entries. */
export const organizations = pgTable(
  'organizations',
  {
    id: idColumn(),
    /** Identifier in an imported source (Open Referral HSDS), for idempotent upserts. */
    sourceId: text('source_id').unique(),
    name: text('name').notNull(),
    nameNl: text('name_nl'),
    nameFr: text('name_fr'),
    descriptionNl: text('description_nl'),
    descriptionFr: text('description_fr'),
    sectors: text('sectors')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    languages: text('languages')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    services: text('services')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    street: text('street'),
    postcode: text('postcode'),
    municipality: text('municipality'),
    email: text('email'),
    phone: text('phone'),
    website: text('website'),
    openingHours: text('opening_hours'),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('organizations_municipality_idx').on(t.municipality),
    index('organizations_postcode_idx').on(t.postcode),
    check('organizations_postcode_format', sql`${t.postcode} IS NULL OR ${t.postcode} ~ '^[0-9]{4}$'`),
  ],
);
