import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type { GrantAccess } from '../../domain/vocabularies.ts';
import type { Section } from '../../domain/sections.ts';
import { createdAt, idColumn, updatedAt, version } from './columns.ts';
import { organizations } from './organizations.ts';

/** One section a role template proposes to share, and how. */
export interface RoleTemplateShare {
  section: Section;
  access: GrantAccess;
}

/**
 * Role templates (issue 15): what a lead usually shares with a partner of a given role (a job coach,
 * a psychiatrist…), proposed in the "add and share" dialog and adjusted there. Rows without an
 * organisation are the defaults (inserted by migration 0013); an organisation reads the defaults
 * until its admin changes one, when they are copied to it under the same `key`.
 */
export const roleTemplates = pgTable(
  'role_templates',
  {
    id: idColumn(),
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'cascade' }),
    /** The template's identity across the copy of the defaults (`job_coach`, or a new uuid). */
    key: text('key').notNull(),
    nameNl: text('name_nl').notNull(),
    nameFr: text('name_fr').notNull(),
    nameEn: text('name_en').notNull(),
    shares: jsonb('shares').$type<RoleTemplateShare[]>().notNull(),
    position: integer('position').notNull().default(0),
    /** Removed by the organisation's admin: kept so that the organisation keeps its own list. */
    removedAt: timestamp('removed_at', { withTimezone: true }),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('role_templates_organization_key').on(t.organizationId, t.key).nullsNotDistinct(),
    index('role_templates_organization_idx').on(t.organizationId, t.position),
    // `shares` is written by the API only, after validation; the database keeps it an array.
    check('role_templates_shares_array', sql`jsonb_typeof(${t.shares}) = 'array'`),
  ],
);
