import { sql } from 'drizzle-orm';
import { check, customType, index, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, updatedAt, version } from './columns.ts';

/** PostgreSQL's `tsvector`, only ever computed by the database (never written by the app). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

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
    /** A description whose language the source does not state (an import); shown when NL/FR are empty. */
    description: text('description'),
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
    /**
     * What the directory search matches (names, services, descriptions in Dutch, French and
     * `simple`, without accents), computed by `organization_search_vector` (migration 0002).
     */
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`organization_search_vector(name, name_nl, name_fr, description, description_nl, description_fr, services)`,
    ),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('organizations_municipality_idx').on(t.municipality),
    index('organizations_postcode_idx').on(t.postcode),
    index('organizations_search_idx').using('gin', t.searchVector),
    index('organizations_sectors_idx').using('gin', t.sectors),
    index('organizations_languages_idx').using('gin', t.languages),
    // The directory's order without a search (name, then id), and its municipality filter.
    index('organizations_sort_name_idx').on(sql`lower(liaison_unaccent(${t.name}))`, t.id),
    index('organizations_municipality_key_idx').on(sql`lower(liaison_unaccent(${t.municipality}))`),
    check('organizations_postcode_format', sql`${t.postcode} IS NULL OR ${t.postcode} ~ '^[0-9]{4}$'`),
  ],
);
