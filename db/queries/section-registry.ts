import { and, eq, isNull, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import {
  SECTION_SCHEMAS,
  type SectionContent,
  type SectionRecord,
  type SectionRecordSchema,
} from '../../domain/schemas/sections.ts';
import { isSecrecyBoundSection, SECTIONS, type Section } from '../../domain/sections.ts';
import { asSubject, SECTION_SUBJECTS, type AppAbility, type Subject } from '../../policies/index.ts';
import { abilityCondition } from '../ability-condition.ts';
import {
  actionEntries,
  actions,
  agreements,
  backgrounds,
  closures,
  crisisPlans,
  evaluationContributions,
  evaluationGoals,
  evaluations,
  goals,
  meetingNotes,
  meetingParticipants,
  meetings,
  members,
  organizations,
  planRequests,
  users,
} from '../schema/index.ts';
import { frozen, isoTimestamp, jsonList, jsonObject, jsonOne } from './json.ts';

// The section registry: one descriptor per section of a plan (DESIGN.md, "Sections") — its table,
// its CASL subject, whether it is secrecy-bound, its read schema (domain/schemas/sections.ts) and
// one SQL expression per field of that schema. Every read of a section's content is built from it:
// PostgreSQL builds the JSON of the answer itself (one statement for a whole plan), with the
// ability's SQL condition and the plan id in the WHERE of every section. Fields are named one by
// one, and typed as the read schema's keys: a column added to a table never reaches an answer by
// accident, and a field of the schema without its SQL does not compile.

type PlanScopedTable = PgTable & { planId: PgColumn; id: PgColumn };

/** One SQL expression per field of a record: exactly the keys of its read schema. */
export type JsonFields<S extends Section> = { [K in keyof SectionRecord<S>]-?: SQLWrapper };

/** A section as the database reads it. */
export interface SectionDescriptor<S extends Section> {
  section: S;
  /** The policies' subject of the section's records (policies/ability.ts, SECTION_SUBJECTS). */
  subject: (typeof SECTION_SUBJECTS)[S];
  table: PlanScopedTable;
  /** Shown only to users bound by professional secrecy (domain/sections.ts). */
  secrecyBound: boolean;
  /** One record as answers carry it. */
  schema: SectionRecordSchema<S>;
  /** A list of records, or one document per plan. */
  many: boolean;
  /** `from …` with its joins and `where` with what holds for everyone, ready for the ability's condition. */
  scope: SQL;
  /** The order of a list. */
  order: SQL | null;
  /** The field expressions; a function when a field depends on the reader (their own parts). */
  fields: JsonFields<S> | ((ability: AppAbility, planId: string) => JsonFields<S>);
}

interface Definition<S extends Section> {
  table: PlanScopedTable;
  /** Joins after `from <table>`, when a field needs another table. */
  joins?: SQL;
  /** A condition that holds for every reader (a removed member is gone for everyone). */
  where?: SQL;
  order?: SQL;
  fields: SectionDescriptor<S>['fields'];
}

function describe<S extends Section>(section: S, d: Definition<S>): SectionDescriptor<S> {
  const from = sql`from ${d.table}${d.joins ? sql` ${d.joins}` : sql``} where`;
  return {
    section,
    subject: SECTION_SUBJECTS[section],
    table: d.table,
    secrecyBound: isSecrecyBoundSection(section),
    schema: SECTION_SCHEMAS[section].record,
    many: SECTION_SCHEMAS[section].many,
    scope: frozen(d.where ? sql`${from} ${d.where} and` : from),
    order: d.order ? frozen(d.order) : null,
    fields: d.fields,
  };
}

/** What a section's rows need to reach a reader: the plan id and the ability's condition. */
export function visibleIn(
  ability: AppAbility,
  subject: Subject,
  table: PlanScopedTable,
  planId: string,
): SQL {
  return and(eq(table.planId, planId), abilityCondition(ability, 'read', subject, table)) ?? sql`false`;
}

// ------------------------------------------------------------------ the sections

const network = describe('network', {
  table: members,
  joins: sql`left join ${users} on ${users.id} = ${members.userId}
    left join ${organizations} on ${organizations.id} = ${members.organizationId}`,
  where: isNull(members.removedAt),
  order: sql`${members.closeness}, ${members.createdAt}`,
  fields: {
    id: members.id,
    kind: members.kind,
    name: sql`coalesce(${users.name}, ${members.name}, '')`,
    userId: members.userId,
    // Null without an account: the left join finds no user.
    secrecyBound: users.secrecyBound,
    organization: sql`case when ${members.organizationId} is null then null else ${jsonObject({
      id: members.organizationId,
      name: sql`coalesce(${organizations.name}, '')`,
    })} end`,
    relation: members.relation,
    lifeDomains: members.lifeDomains,
    status: members.status,
    hidden: members.hidden,
    hiddenByClient: members.hiddenByClient,
    closeness: members.closeness,
    coLead: members.coLead,
    endedOn: members.endedOn,
    version: members.version,
  },
});

const request = describe('request', {
  table: planRequests,
  fields: {
    clientWords: planRequests.clientWords,
    clarifiedQuestion: planRequests.clarifiedQuestion,
    version: planRequests.version,
  },
});

const goalsSection = describe('goals', {
  table: goals,
  order: sql`${goals.position}, ${goals.createdAt}`,
  fields: {
    id: goals.id,
    lifeDomain: goals.lifeDomain,
    title: goals.title,
    clientWords: goals.clientWords,
    status: goals.status,
    targetDate: goals.targetDate,
    version: goals.version,
  },
});

/**
 * Who does an action, for whoever reads it, network or not (DESIGN.md, "Who owns an action"): the
 * owner's name, their part in the network and their organisation. A removed member owns nothing.
 * Read through a function of the row-level security migration: row-level security keeps the member row itself from a
 * reader without the network.
 */
export const ownerOfAction = frozen(sql`liaison_action_owner(${actions.id}, liaison_is_system())`);

const ACTION_ENTRY = jsonObject({
  id: actionEntries.id,
  authorName: sql`coalesce(${users.name}, '')`,
  createdAt: isoTimestamp(actionEntries.createdAt),
  status: actionEntries.status,
  note: actionEntries.note,
});
const entriesOfAction = frozen(sql`
  from ${actionEntries}
  left join ${users} on ${users.id} = ${actionEntries.authorUserId}
  where ${actionEntries.actionId} = ${actions.id}`);
const entriesOrder = frozen(sql`${actionEntries.createdAt}, ${actionEntries.id}`);

/**
 * An action's thread, oldest first: its entries as rows the reader's ability lets them read (the
 * same readers as the action's, DESIGN.md "Policies"), in the plan of the action.
 */
export const threadOfAction = (ability: AppAbility, planId: string): SQL =>
  jsonList(
    ACTION_ENTRY,
    sql`${entriesOfAction} and ${visibleIn(ability, 'ActionEntry', actionEntries, planId)}`,
    entriesOrder,
  );

/**
 * The decision an action carries out, for a reader of the meetings only (the decision's words are
 * the meeting's): null for anyone else, and for an action not made from a decision.
 */
export const fromMeetingOf = (ability: AppAbility, planId: string): SQL =>
  ability.can('read', asSubject('Meeting', { planId }))
    ? sql`case when ${actions.meetingId} is null then null else ${jsonObject({
        meetingId: actions.meetingId,
        decision: sql`coalesce(${actions.decision}, '')`,
      })} end`
    : sql`null::json`;

const actionsSection = describe('actions', {
  table: actions,
  order: sql`${actions.dueOn}, ${actions.createdAt}`,
  fields: (ability, planId): JsonFields<'actions'> => ({
    id: actions.id,
    goalId: actions.goalId,
    ownerMemberId: actions.ownerMemberId,
    owner: ownerOfAction,
    title: actions.title,
    description: actions.description,
    dueOn: actions.dueOn,
    status: actions.status,
    thread: threadOfAction(ability, planId),
    fromMeeting: fromMeetingOf(ability, planId),
    version: actions.version,
  }),
});

const agreementsSection = describe('agreements', {
  table: agreements,
  order: sql`${agreements.createdAt}`,
  fields: {
    id: agreements.id,
    memberId: agreements.memberId,
    role: agreements.role,
    agreement: agreements.agreement,
    referencePerson: agreements.referencePerson,
    callWhen: agreements.callWhen,
    version: agreements.version,
  },
});

const crisis = describe('crisis', {
  table: crisisPlans,
  fields: {
    earlySigns: crisisPlans.earlySigns,
    whatHelps: crisisPlans.whatHelps,
    whomToCall: crisisPlans.whomToCall,
    version: crisisPlans.version,
  },
});

const background = describe('background', {
  table: backgrounds,
  fields: {
    situation: backgrounds.situation,
    health: backgrounds.health,
    diagnoses: backgrounds.diagnoses,
    justice: backgrounds.justice,
    finances: backgrounds.finances,
    version: backgrounds.version,
  },
});

const PARTICIPANT = jsonObject({
  memberId: members.id,
  name: sql`coalesce(${users.name}, ${members.name}, '')`,
});
const participantsOfMeeting = frozen(sql`
  from ${meetingParticipants}
  join ${members} on ${members.id} = ${meetingParticipants.memberId}
  left join ${users} on ${users.id} = ${members.userId}
  where ${meetingParticipants.meetingId} = ${meetings.id} and ${meetingParticipants.planId} = ${meetings.planId}`);
const NOTE = jsonObject({
  id: meetingNotes.id,
  body: meetingNotes.body,
  authorName: users.name,
  createdAt: isoTimestamp(meetingNotes.createdAt),
});
const notesOfMeeting = frozen(sql`
  from ${meetingNotes}
  join ${users} on ${users.id} = ${meetingNotes.authorUserId}
  where ${meetingNotes.meetingId} = ${meetings.id}`);
const notesOrder = frozen(sql`${meetingNotes.createdAt}`);

/**
 * Meetings, each with the participants this user may see in the network, and the added notes. The
 * discussion notes — the meeting's own and those added — only for readers bound by professional
 * secrecy (DESIGN.md, "Sections"): `notes` is null for the others, and the added notes are rows the
 * ability does not let them read.
 */
const meetingsSection = describe('meetings', {
  table: meetings,
  order: sql`${meetings.heldAt}`,
  fields: (ability, planId): JsonFields<'meetings'> => ({
    id: meetings.id,
    heldAt: isoTimestamp(meetings.heldAt),
    title: meetings.title,
    notes: ability.can('read', asSubject('Meeting', { planId }), 'notes') ? meetings.notes : sql`null`,
    decisions: meetings.decisions,
    participants: jsonList(
      PARTICIPANT,
      sql`${participantsOfMeeting} and ${abilityCondition(ability, 'read', 'Member', members)}`,
      network.order ?? sql`true`,
    ),
    clientTookPart: meetings.clientTookPart,
    addedNotes: jsonList(
      NOTE,
      sql`${notesOfMeeting} and ${visibleIn(ability, 'MeetingNote', meetingNotes, planId)}`,
      notesOrder,
    ),
    version: meetings.version,
  }),
});

const contributionsOfEvaluation = frozen(sql`
  from ${evaluationContributions}
  join ${users} on ${users.id} = ${evaluationContributions.authorUserId}
  left join ${members} on ${members.id} = ${evaluationContributions.authorMemberId}
  where ${evaluationContributions.evaluationId} = ${evaluations.id}
    and ${evaluationContributions.planId} = ${evaluations.planId}`);
const contributionsOrder = frozen(sql`${evaluationContributions.createdAt}`);

/**
 * The ratings and words partners and the client added to an evaluation, read with it (whoever reads
 * the evaluation reads them). A partner's name only for a reader who may see their member row
 * (DESIGN.md, "Network visibility"); `editable` is the ability's own update condition, in SQL.
 */
export const contributionsJson = (ability: AppAbility): SQL =>
  jsonList(
    jsonObject({
      id: evaluationContributions.id,
      evaluationId: evaluationContributions.evaluationId,
      author: jsonObject({
        kind: sql`case when ${evaluationContributions.authorMemberId} is null then 'client' else 'partner' end`,
        memberId: evaluationContributions.authorMemberId,
        // The member row as row-level security lets the reader see it (null when hidden from them),
        // and the ability's condition on it: the name comes from the account, which has no wall.
        name: sql`case when ${evaluationContributions.authorMemberId} is null
          or (${members.id} is not null and ${abilityCondition(ability, 'read', 'Member', members)})
          then ${users.name} end`,
      }),
      goalsRating: evaluationContributions.goalsRating,
      goalsWords: evaluationContributions.goalsWords,
      collaborationRating: evaluationContributions.collaborationRating,
      collaborationWords: evaluationContributions.collaborationWords,
      editable: sql`coalesce(${abilityCondition(ability, 'update', 'EvaluationContribution', evaluationContributions)}, false)`,
      updatedAt: isoTimestamp(evaluationContributions.updatedAt),
      version: evaluationContributions.version,
    }),
    contributionsOfEvaluation,
    contributionsOrder,
  );

/** Evaluations, each with its goal ratings and the contributions of partners and the client. */
const evaluationsSection = describe('evaluations', {
  table: evaluations,
  order: sql`${evaluations.evaluatedOn}`,
  fields: (ability): JsonFields<'evaluations'> => ({
    id: evaluations.id,
    evaluatedOn: evaluations.evaluatedOn,
    collaborationRating: evaluations.collaborationRating,
    collaborationNotes: evaluations.collaborationNotes,
    goals: jsonList(
      jsonObject({
        goalId: evaluationGoals.goalId,
        rating: evaluationGoals.rating,
        notes: evaluationGoals.notes,
      }),
      sql`from ${evaluationGoals}
           where ${evaluationGoals.evaluationId} = ${evaluations.id} and ${evaluationGoals.planId} = ${evaluations.planId}`,
      sql`${evaluationGoals.goalId}`,
    ),
    contributions: contributionsJson(ability),
    version: evaluations.version,
  }),
});

const closure = describe('closure', {
  table: closures,
  fields: {
    closedOn: closures.closedOn,
    reason: closures.reason,
    reasonKind: closures.reasonKind,
    handover: closures.handover,
    version: closures.version,
  },
});

/** Every section, described once. */
export const SECTION_REGISTRY: { [S in Section]: SectionDescriptor<S> } = {
  network,
  request,
  goals: goalsSection,
  actions: actionsSection,
  agreements: agreementsSection,
  crisis,
  background,
  meetings: meetingsSection,
  evaluations: evaluationsSection,
  closure,
};

// ------------------------------------------------------------------ the JSON built from it

/** The JSON object of one record: built once at load when no field depends on the reader. */
function recordJson<S extends Section>(
  d: SectionDescriptor<S>,
  withId: boolean,
): (ability: AppAbility, planId: string) => SQL {
  const object = (fields: JsonFields<S>) =>
    jsonObject(withId ? { id: d.table.id, ...fields } : (fields as Record<string, SQLWrapper>));
  if (typeof d.fields === 'function') {
    const fields = d.fields;
    return (ability, planId) => object(fields(ability, planId));
  }
  const built = object(d.fields);
  return () => built;
}

/**
 * The SQL expression of a section's content for this reader: a JSON array of its records (never
 * null), or its one document (null when there is none). With `withId`, every record carries its
 * row id, also where the answer has none (one-document sections), for checks that name rows.
 */
function contentJson<S extends Section>(d: SectionDescriptor<S>, withId: boolean) {
  const record = recordJson(d, withId);
  return (ability: AppAbility, planId: string, also?: SQL): SQL => {
    const from = sql`${d.scope} ${visibleIn(ability, d.subject, d.table, planId)}${also ? sql` and ${also}` : sql``}`;
    return d.many
      ? jsonList(record(ability, planId), from, d.order ?? sql`true`)
      : jsonOne(record(ability, planId), from);
  };
}

type ContentJson = (ability: AppAbility, planId: string, also?: SQL) => SQL;

const byName = <T>(build: (section: Section) => T) =>
  Object.fromEntries(SECTIONS.map((section) => [section, build(section)])) as Record<Section, T>;

/** Each section's content as the answers carry it. */
export const SECTION_JSON: Record<Section, ContentJson> = byName((s) =>
  contentJson(SECTION_REGISTRY[s], false),
);
/** Each section's content with every record's row id (the consent matrix names the rows it gets). */
export const SECTION_JSON_WITH_IDS: Record<Section, ContentJson> = byName((s) =>
  contentJson(SECTION_REGISTRY[s], true),
);

/** The user's own member row as the network shows it to them (null when they cannot see it). */
const networkRecord = recordJson(network, false);
export const ownMemberJson = (ability: AppAbility, planId: string, memberId: string): SQL =>
  jsonOne(
    networkRecord(ability, planId),
    sql`${network.scope} ${visibleIn(ability, 'Member', members, planId)} and ${eq(members.id, memberId)}`,
  );

// ------------------------------------------------------------------ the boundary, checked

/**
 * Whether JSON from PostgreSQL is checked against the read schemas. Not in production, where it
 * would cost every read; in tests and development a field whose SQL disagrees with its schema
 * (a type, a null, a missing or an unexpected key) fails the request at once.
 */
export const CHECK_SECTION_JSON = process.env.NODE_ENV !== 'production';

const strictContent = (record: z.ZodObject, many: boolean) =>
  many ? z.array(record.strict()) : record.strict().nullable();

const CONTENT_CHECKS = byName((s) => strictContent(SECTION_SCHEMAS[s].record, SECTION_SCHEMAS[s].many));
const CONTENT_WITH_IDS_CHECKS = byName((s) =>
  strictContent(SECTION_SCHEMAS[s].record.extend({ id: z.uuid() }), SECTION_SCHEMAS[s].many),
);

/**
 * A section's content from PostgreSQL's JSON, typed by its read schema; checked (not in production)
 * against that schema: no key more, none fewer, every value of its type.
 */
export function sectionContentFromJson<S extends Section>(
  section: S,
  json: unknown,
  { withIds = false }: { withIds?: boolean } = {},
): SectionContent<S> {
  if (CHECK_SECTION_JSON) {
    const check = (withIds ? CONTENT_WITH_IDS_CHECKS : CONTENT_CHECKS)[section];
    const result = check.safeParse(json);
    if (!result.success)
      throw new Error(
        `The SQL JSON of section ${section} does not match its read schema: ${result.error.message}`,
      );
  }
  return json as SectionContent<S>;
}

/** A record of a section from a row that has at least its fields (dates become ISO text): only the read schema's fields. */
export function recordFromRow<S extends Section>(section: S, row: object): SectionRecord<S> {
  return pick(SECTION_SCHEMAS[section].record, row) as SectionRecord<S>;
}

function pick(schema: z.ZodType, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (value instanceof Date) return value.toISOString();
  const inner = schema instanceof z.ZodNullable || schema instanceof z.ZodOptional ? schema.unwrap() : schema;
  if (inner instanceof z.ZodObject) {
    const source = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(inner.shape as Record<string, z.ZodType>).map(([key, field]) => [
        key,
        pick(field, source[key]),
      ]),
    );
  }
  if (inner instanceof z.ZodArray && Array.isArray(value))
    return value.map((item) => pick(inner.element as z.ZodType, item));
  return value;
}
