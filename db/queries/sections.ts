import { sql } from 'drizzle-orm';
import type { SectionContent, SectionRecord } from '../../domain/schemas/sections.ts';
import type { Section } from '../../domain/sections.ts';
import type { AppAbility } from '../../policies/index.ts';
import type { Executor } from '../client.ts';
import { planSummaryJson, toPlanSummaryRow, type PlanSummaryRow } from './plans.ts';
import {
  ownMemberJson,
  SECTION_JSON,
  SECTION_JSON_WITH_IDS,
  sectionContentFromJson,
} from './section-registry.ts';

// Every section is read by one SQL expression that builds its JSON in the database, from the
// section registry (./section-registry.ts): a plan's overview, with every section the user may
// read, is then one statement. Each expression takes the plan id (always in the WHERE) and the
// request's ability, whose condition joins the same WHERE: a row the ability does not allow never
// leaves the database. The JSON is the answer's shape; outside production it is checked against
// the read schema on its way in.

/** Reads one section through the ability, in its answer's shape: one statement. */
export async function readSection<S extends Section>(
  db: Executor,
  ability: AppAbility,
  planId: string,
  section: S,
): Promise<SectionContent<S>> {
  const [row] = await db.execute<{ content: unknown }>(
    sql`select ${SECTION_JSON[section](ability, planId)} as content`,
  );
  return sectionContentFromJson(section, row?.content ?? null);
}

/**
 * One reader per section, so that a check (the consent matrix) can read any one section: the same
 * statement as {@link readSection}, every record with its row id (one-document sections too).
 */
export const SECTION_READERS = Object.fromEntries(
  Object.keys(SECTION_JSON_WITH_IDS).map((section) => [
    section,
    async (db: Executor, ability: AppAbility, planId: string) => {
      const [row] = await db.execute<{ content: unknown }>(
        sql`select ${SECTION_JSON_WITH_IDS[section as Section](ability, planId)} as content`,
      );
      return sectionContentFromJson(section as Section, row?.content ?? null, { withIds: true });
    },
  ]),
) as Record<Section, (db: Executor, ability: AppAbility, planId: string) => Promise<unknown>>;

export interface PlanContent {
  /** The plan's summary, all fields: the caller trims them to what the ability permits. */
  summary: PlanSummaryRow | null;
  /** The user's own member row as the network shows it to them. */
  membership: SectionRecord<'network'> | null;
  sections: { [S in Section]?: SectionContent<S> };
}

/**
 * A plan as one user may see it, in one statement: the summary, the user's own member row and the
 * given sections (the caller passes only the sections the policy lets the user read; each section's
 * rows are filtered by the ability in the same statement as well).
 */
export async function readPlanContent(
  db: Executor,
  ability: AppAbility,
  planId: string,
  sections: readonly Section[],
  memberId: string | null,
): Promise<PlanContent> {
  const columns = [
    sql`${planSummaryJson(planId)} as summary`,
    sql`${memberId ? ownMemberJson(ability, planId, memberId) : sql`null::json`} as membership`,
    ...sections.map(
      (section) => sql`${SECTION_JSON[section](ability, planId)} as ${sql.identifier(section)}`,
    ),
  ];
  const [row] = await db.execute<Record<string, unknown>>(sql`select ${sql.join(columns, sql`, `)}`);
  const membership = row?.membership ?? null;
  return {
    summary: toPlanSummaryRow(row?.summary),
    membership: membership === null ? null : (sectionContentFromJson('network', [membership])[0] ?? null),
    sections: Object.fromEntries(
      sections.map((section) => [section, sectionContentFromJson(section, row?.[section] ?? null)]),
    ),
  };
}
