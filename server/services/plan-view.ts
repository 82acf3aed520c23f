import { permittedFieldsOf } from '@casl/ability/extra';
import type { z } from 'zod';
import type { Executor } from '../../db/client.ts';
import type { PlanSummaryRow } from '../../db/queries/plans.ts';
import { readPlanContent, readSection, type SectionContent } from '../../db/queries/sections.ts';
import {
  asSubject,
  PLAN_FIELDS,
  readableSections,
  roleInPlan,
  SECTIONS,
  type AppAbility,
  type PlanFacts,
  type PlanField,
  type PolicyUser,
  type Section,
} from '../../policies/index.ts';
import { NotFound } from '../errors.ts';
import type {
  ActionSchema,
  AgreementSchema,
  EvaluationSchema,
  GoalSchema,
  MeetingSchema,
  MemberSchema,
  PlanOverviewSchema,
  PlanSummarySchema,
  SECTION_CONTENT_SCHEMAS,
} from '../../domain/schemas/plans.ts';

type PlanSummary = z.infer<typeof PlanSummarySchema>;
type PlanOverview = z.infer<typeof PlanOverviewSchema>;
type Member = z.infer<typeof MemberSchema>;
type SectionResponse = { [S in Section]: z.infer<(typeof SECTION_CONTENT_SCHEMAS)[S]> };

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
    ...(has('version') ? { version: row.version } : {}),
    myRole: role,
  };
}

function toMember(row: SectionContent['network'][number]): Member {
  return {
    id: row.id,
    kind: row.kind,
    name: row.userName ?? row.name ?? '',
    userId: row.userId,
    secrecyBound: row.userId ? row.userSecrecyBound : null,
    organization: row.organizationId ? { id: row.organizationId, name: row.organizationName ?? '' } : null,
    relation: row.relation,
    lifeDomains: row.lifeDomains,
    status: row.status,
    hidden: row.hidden,
    closeness: row.closeness,
    coLead: row.coLead,
    endedOn: row.endedOn,
    version: row.version,
  };
}

type Goal = z.infer<typeof GoalSchema>;
type Action = z.infer<typeof ActionSchema>;
type Agreement = z.infer<typeof AgreementSchema>;
type Meeting = z.infer<typeof MeetingSchema>;
type Evaluation = z.infer<typeof EvaluationSchema>;

// Field-by-field mappers from rows to answers, shared by the section lists and the item routes:
// a column added to a table never reaches a response by accident.

export const toGoal = (g: Goal): Goal => ({
  id: g.id,
  lifeDomain: g.lifeDomain,
  title: g.title,
  clientWords: g.clientWords,
  status: g.status,
  targetDate: g.targetDate,
  version: g.version,
});

export const toAction = (a: Action): Action => ({
  id: a.id,
  goalId: a.goalId,
  ownerMemberId: a.ownerMemberId,
  title: a.title,
  description: a.description,
  dueOn: a.dueOn,
  status: a.status,
  notes: a.notes,
  version: a.version,
});

export const toAgreement = (a: Agreement): Agreement => ({
  id: a.id,
  memberId: a.memberId,
  role: a.role,
  agreement: a.agreement,
  referencePerson: a.referencePerson,
  callWhen: a.callWhen,
  version: a.version,
});

type MeetingRow = Omit<Meeting, 'heldAt' | 'addedNotes'> & {
  heldAt: Date;
  addedNotes: Array<Omit<Meeting['addedNotes'][number], 'createdAt'> & { createdAt: Date }>;
};

export const toMeeting = (m: MeetingRow): Meeting => ({
  id: m.id,
  heldAt: m.heldAt.toISOString(),
  title: m.title,
  notes: m.notes,
  decisions: m.decisions,
  participants: m.participants.map((p) => ({ memberId: p.memberId, name: p.name })),
  addedNotes: m.addedNotes.map((n) => ({
    id: n.id,
    body: n.body,
    authorName: n.authorName,
    createdAt: n.createdAt.toISOString(),
  })),
  version: m.version,
});

export const toEvaluation = (e: Evaluation): Evaluation => ({
  id: e.id,
  evaluatedOn: e.evaluatedOn,
  collaborationRating: e.collaborationRating,
  collaborationNotes: e.collaborationNotes,
  goals: e.goals.map((r) => ({ goalId: r.goalId, rating: r.rating, notes: r.notes })),
  version: e.version,
});

/** Maps a section's rows to its response shape, field by field: nothing else reaches the answer. */
function toSectionResponse<S extends Section>(section: S, content: SectionContent[S]): SectionResponse[S] {
  const c = content as SectionContent[Section];
  const mapped = ((): SectionResponse[Section] => {
    switch (section) {
      case 'network':
        return (c as SectionContent['network']).map(toMember);
      case 'request': {
        const r = c as SectionContent['request'];
        return (
          r && { clientWords: r.clientWords, clarifiedQuestion: r.clarifiedQuestion, version: r.version }
        );
      }
      case 'goals':
        return (c as SectionContent['goals']).map(toGoal);
      case 'actions':
        return (c as SectionContent['actions']).map(toAction);
      case 'agreements':
        return (c as SectionContent['agreements']).map(toAgreement);
      case 'crisis': {
        const r = c as SectionContent['crisis'];
        return (
          r && {
            earlySigns: r.earlySigns,
            whatHelps: r.whatHelps,
            whomToCall: r.whomToCall,
            version: r.version,
          }
        );
      }
      case 'background': {
        const r = c as SectionContent['background'];
        return (
          r && {
            situation: r.situation,
            health: r.health,
            diagnoses: r.diagnoses,
            justice: r.justice,
            finances: r.finances,
            version: r.version,
          }
        );
      }
      case 'meetings':
        return (c as SectionContent['meetings']).map(toMeeting);
      case 'evaluations':
        return (c as SectionContent['evaluations']).map(toEvaluation);
      case 'closure': {
        const r = c as SectionContent['closure'];
        return r && { closedOn: r.closedOn, reason: r.reason, handover: r.handover, version: r.version };
      }
    }
  })();
  return mapped as SectionResponse[S];
}

/** Reads one section for a user who may read it, in its response shape. */
export async function readSectionResponse<S extends Section>(
  db: Executor,
  ability: AppAbility,
  planId: string,
  section: S,
): Promise<SectionResponse[S]> {
  return toSectionResponse(section, await readSection(db, ability, planId, section));
}

/**
 * The plan as this user may see it: every section either with its content or `{ withheld: true }`.
 * The same code answers the user's own request and "see what they see" for a member. One statement
 * reads the summary, the user's own member row and every readable section.
 */
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
        ? [section, { withheld: false, content: toSectionResponse(section, rows) }]
        : [section, { withheld: true }];
    }),
  ) as PlanOverview['sections'];
  return {
    overview: {
      ...toPlanSummary(content.summary, permittedPlanFields(ability, facts.planId), role),
      membership: content.membership ? toMember(content.membership) : null,
      sections,
    },
    sectionsRead,
  };
}
