import { permittedFieldsOf } from '@casl/ability/extra';
import type { z } from 'zod';
import type { Executor } from '../../db/client.ts';
import type { PlanSummaryRow } from '../../db/queries/plans.ts';
import { readPlanContent, readSection } from '../../db/queries/sections.ts';
import {
  activeSectionsForPartner,
  asSubject,
  PLAN_FIELDS,
  readableSections,
  roleInPlan,
  SECTIONS,
  writesWholePlan,
  type AppAbility,
  type PlanFacts,
  type PlanField,
  type PlanRole,
  type PolicyUser,
  type Section,
} from '../../policies/index.ts';
import { NotFound } from '../errors.ts';
import type { PlanOverviewSchema, PlanSummarySchema } from '../../domain/schemas/plans.ts';
import type { SectionContent } from '../../domain/schemas/sections.ts';

type PlanSummary = z.infer<typeof PlanSummarySchema>;
type PlanOverview = z.infer<typeof PlanOverviewSchema>;

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** The plan fields this ability may read, from the rules' field lists (`permittedFieldsOf`). */
export function permittedPlanFields(ability: AppAbility, planId: string): Set<PlanField> {
  const fields = permittedFieldsOf(ability, 'read', asSubject('Plan', { id: planId }), {
    fieldsFrom: (rule) => rule.fields ?? [...PLAN_FIELDS],
  });
  return new Set(fields as PlanField[]);
}

/** A plan's summary with only the permitted fields: a partner never gets the client's contact details without `agreements`. */
export function toPlanSummary(
  row: PlanSummaryRow,
  fields: Set<PlanField>,
  role: PlanSummary['myRole'],
): PlanSummary {
  const has = (field: PlanField) => fields.has(field);
  return {
    id: row.id,
    phase: row.phase,
    client: {
      name: `${row.clientFirstName} ${row.clientLastName}`,
      ...(has('clientPhone') ? { phone: row.clientPhone } : {}),
      ...(has('clientEmail') ? { email: row.clientEmail } : {}),
      ...(has('clientAddress') ? { address: row.clientAddress } : {}),
      ...(has('clientLanguage')
        ? { language: row.clientPreferredLanguage, needsInterpreter: row.clientNeedsInterpreter }
        : {}),
      ...(has('clientBirthDate') ? { birthDate: row.clientBirthDate } : {}),
      ...(has('clientVersion') ? { version: row.clientVersion } : {}),
    },
    lead: {
      userId: row.leadUserId,
      name: row.leadName,
      email: row.leadEmail,
      organization: {
        id: row.leadOrganizationId,
        name: row.leadOrganizationName,
        phone: row.leadOrganizationPhone,
      },
    },
    closedAt: iso(row.closedAt),
    ...(has('startedOn') ? { startedOn: row.startedOn } : {}),
    ...(has('nextEvaluationOn') ? { nextEvaluationOn: row.nextEvaluationOn } : {}),
    ...(has('previousPlanId') ? { previousPlanId: row.previousPlanId } : {}),
    ...(has('version') ? { version: row.version } : {}),
    myRole: role,
  };
}

/**
 * Reads one section for a user who may read it, in its response shape: PostgreSQL builds the
 * answer's JSON from the section registry (db/queries/section-registry.ts), field by field.
 */
export async function readSectionResponse<S extends Section>(
  db: Executor,
  ability: AppAbility,
  planId: string,
  section: S,
): Promise<SectionContent<S>> {
  return readSection(db, ability, planId, section);
}

/**
 * The plan as this user may see it: every section either with its content or `{ withheld: true }`.
 * The same code answers the user's own request and "see what they see" for a member. One statement
 * reads the summary, the user's own member row and every readable section.
 */
/**
 * The sections the user writes in now, so that the screens offer only what the server allows: every
 * one for the lead and co-leads of an open plan, those under a `contribute` grant for a partner
 * (their own actions' status and notes, meeting notes), none for the client (their own words are
 * theirs in every plan they read).
 */
function contributedSections(user: PolicyUser, facts: PlanFacts, role: PlanRole, now: Date): Section[] {
  if (writesWholePlan(role, facts.closed)) return [...SECTIONS];
  if (role !== 'partner') return [];
  const active = activeSectionsForPartner(user, facts, now);
  return SECTIONS.filter((section) => active.get(section) === 'contribute');
}

export async function buildPlanOverview(
  db: Executor,
  user: PolicyUser,
  facts: PlanFacts,
  ability: AppAbility,
  now = new Date(),
): Promise<{ overview: PlanOverview; sectionsRead: Section[] }> {
  const role = roleInPlan(user, facts);
  if (!role) throw new NotFound();
  const readable = new Set(readableSections(user, facts, now));
  const sectionsRead = SECTIONS.filter((section) => readable.has(section));
  const content = await readPlanContent(
    db,
    ability,
    facts.planId,
    sectionsRead,
    facts.membership?.memberId ?? null,
  );
  if (!content.summary) throw new NotFound();
  const sections = Object.fromEntries(
    SECTIONS.map((section) => {
      const rows = content.sections[section];
      return readable.has(section) && rows !== undefined
        ? [section, { withheld: false, content: rows }]
        : [section, { withheld: true }];
    }),
  ) as PlanOverview['sections'];
  return {
    overview: {
      ...toPlanSummary(content.summary, permittedPlanFields(ability, facts.planId), role),
      membership: content.membership,
      sections,
      contributes: contributedSections(user, facts, role, now),
    },
    sectionsRead,
  };
}
