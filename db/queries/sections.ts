import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Section } from '../../domain/sections.ts';
import type { AppAbility, Subject } from '../../policies/index.ts';
import { abilityCondition } from '../ability-condition.ts';
import type { Executor } from '../client.ts';
import { frozen, jsonList, jsonObject, jsonOne } from './json.ts';
import { planSummaryJson, toPlanSummaryRow, type PlanSummaryRow } from './plans.ts';
import {
  actions,
  agreements,
  backgrounds,
  closures,
  crisisPlans,
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

// Every section is read by one SQL expression that builds its JSON in the database: a plan's
// overview, with every section the user may read, is then one statement. Each expression takes the
// plan id (always in the WHERE) and the request's ability, whose condition joins the same WHERE: a
// row the ability does not allow never leaves the database. Fields are named one by one: a column
// added to a table never reaches an answer by accident.

type PlanScopedTable = PgTable & { planId: PgColumn };

function visibleIn(ability: AppAbility, subject: Subject, table: PlanScopedTable, planId: string): SQL {
  return and(eq(table.planId, planId), abilityCondition(ability, 'read', subject, table)) ?? sql`false`;
}

type Row<T extends PgTable, K extends keyof T['$inferSelect']> = Pick<T['$inferSelect'], K>;

export type NetworkRow = Row<
  typeof members,
  | 'id'
  | 'kind'
  | 'name'
  | 'userId'
  | 'organizationId'
  | 'relation'
  | 'lifeDomains'
  | 'status'
  | 'hidden'
  | 'closeness'
  | 'coLead'
  | 'endedOn'
  | 'version'
> & { userName: string | null; userSecrecyBound: boolean | null; organizationName: string | null };

const MEMBER = jsonObject({
  id: members.id,
  kind: members.kind,
  name: members.name,
  userName: users.name,
  userSecrecyBound: users.secrecyBound,
  userId: members.userId,
  organizationId: members.organizationId,
  organizationName: organizations.name,
  relation: members.relation,
  lifeDomains: members.lifeDomains,
  status: members.status,
  hidden: members.hidden,
  closeness: members.closeness,
  coLead: members.coLead,
  endedOn: members.endedOn,
  version: members.version,
});

const membersWithNames = frozen(sql`
  from ${members}
  left join ${users} on ${users.id} = ${members.userId}
  left join ${organizations} on ${organizations.id} = ${members.organizationId}
  where ${isNull(members.removedAt)}`);
const networkOrder = frozen(sql`${members.closeness}, ${members.createdAt}`);

/** The members the ability lets this user see (removed ones are gone for everyone). */
const visibleMembers = (ability: AppAbility, planId: string) =>
  sql`${membersWithNames} and ${visibleIn(ability, 'Member', members, planId)}`;

const networkJson = (ability: AppAbility, planId: string) =>
  jsonList(MEMBER, visibleMembers(ability, planId), networkOrder);

/** The user's own member row, as the network shows it to them (null when they cannot see it). */
const ownMemberJson = (ability: AppAbility, planId: string, memberId: string) =>
  jsonOne(MEMBER, sql`${visibleMembers(ability, planId)} and ${eq(members.id, memberId)}`);

const REQUEST = jsonObject({
  id: planRequests.id,
  clientWords: planRequests.clientWords,
  clarifiedQuestion: planRequests.clarifiedQuestion,
  version: planRequests.version,
});
const requestJson = (ability: AppAbility, planId: string) =>
  jsonOne(
    REQUEST,
    sql`from ${planRequests} where ${visibleIn(ability, 'PlanRequest', planRequests, planId)}`,
  );

const GOAL = jsonObject({
  id: goals.id,
  lifeDomain: goals.lifeDomain,
  title: goals.title,
  clientWords: goals.clientWords,
  status: goals.status,
  targetDate: goals.targetDate,
  version: goals.version,
});
const goalsOrder = frozen(sql`${goals.position}, ${goals.createdAt}`);
const goalsJson = (ability: AppAbility, planId: string) =>
  jsonList(GOAL, sql`from ${goals} where ${visibleIn(ability, 'Goal', goals, planId)}`, goalsOrder);

const ACTION = jsonObject({
  id: actions.id,
  goalId: actions.goalId,
  ownerMemberId: actions.ownerMemberId,
  title: actions.title,
  description: actions.description,
  dueOn: actions.dueOn,
  status: actions.status,
  notes: actions.notes,
  version: actions.version,
});
const actionsOrder = frozen(sql`${actions.dueOn}, ${actions.createdAt}`);
const actionsJson = (ability: AppAbility, planId: string) =>
  jsonList(ACTION, sql`from ${actions} where ${visibleIn(ability, 'Action', actions, planId)}`, actionsOrder);

const AGREEMENT = jsonObject({
  id: agreements.id,
  memberId: agreements.memberId,
  role: agreements.role,
  agreement: agreements.agreement,
  referencePerson: agreements.referencePerson,
  callWhen: agreements.callWhen,
  version: agreements.version,
});
const agreementsOrder = frozen(sql`${agreements.createdAt}`);
const agreementsJson = (ability: AppAbility, planId: string) =>
  jsonList(
    AGREEMENT,
    sql`from ${agreements} where ${visibleIn(ability, 'Agreement', agreements, planId)}`,
    agreementsOrder,
  );

const CRISIS = jsonObject({
  id: crisisPlans.id,
  earlySigns: crisisPlans.earlySigns,
  whatHelps: crisisPlans.whatHelps,
  whomToCall: crisisPlans.whomToCall,
  version: crisisPlans.version,
});
const crisisJson = (ability: AppAbility, planId: string) =>
  jsonOne(CRISIS, sql`from ${crisisPlans} where ${visibleIn(ability, 'CrisisPlan', crisisPlans, planId)}`);

const BACKGROUND = jsonObject({
  id: backgrounds.id,
  situation: backgrounds.situation,
  health: backgrounds.health,
  diagnoses: backgrounds.diagnoses,
  justice: backgrounds.justice,
  finances: backgrounds.finances,
  version: backgrounds.version,
});
const backgroundJson = (ability: AppAbility, planId: string) =>
  jsonOne(
    BACKGROUND,
    sql`from ${backgrounds} where ${visibleIn(ability, 'Background', backgrounds, planId)}`,
  );

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
  createdAt: meetingNotes.createdAt,
  authorName: users.name,
});
const notesOfMeeting = frozen(sql`
  from ${meetingNotes}
  join ${users} on ${users.id} = ${meetingNotes.authorUserId}
  where ${meetingNotes.meetingId} = ${meetings.id}`);
const notesOrder = frozen(sql`${meetingNotes.createdAt}`);
const meetingsOrder = frozen(sql`${meetings.heldAt}`);

/** Meetings, each with the participants this user may see in the network, and the added notes. */
const meetingsJson = (ability: AppAbility, planId: string) =>
  jsonList(
    jsonObject({
      id: meetings.id,
      heldAt: meetings.heldAt,
      title: meetings.title,
      notes: meetings.notes,
      decisions: meetings.decisions,
      version: meetings.version,
      participants: jsonList(
        PARTICIPANT,
        sql`${participantsOfMeeting} and ${abilityCondition(ability, 'read', 'Member', members)}`,
        networkOrder,
      ),
      addedNotes: jsonList(
        NOTE,
        sql`${notesOfMeeting} and ${visibleIn(ability, 'MeetingNote', meetingNotes, planId)}`,
        notesOrder,
      ),
    }),
    sql`from ${meetings} where ${visibleIn(ability, 'Meeting', meetings, planId)}`,
    meetingsOrder,
  );

/** Evaluations, each with its goal ratings. */
const EVALUATION = jsonObject({
  id: evaluations.id,
  evaluatedOn: evaluations.evaluatedOn,
  collaborationRating: evaluations.collaborationRating,
  collaborationNotes: evaluations.collaborationNotes,
  version: evaluations.version,
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
});
const evaluationsOrder = frozen(sql`${evaluations.evaluatedOn}`);
const evaluationsJson = (ability: AppAbility, planId: string) =>
  jsonList(
    EVALUATION,
    sql`from ${evaluations} where ${visibleIn(ability, 'Evaluation', evaluations, planId)}`,
    evaluationsOrder,
  );

const CLOSURE = jsonObject({
  id: closures.id,
  closedOn: closures.closedOn,
  reason: closures.reason,
  handover: closures.handover,
  version: closures.version,
});
const closureJson = (ability: AppAbility, planId: string) =>
  jsonOne(CLOSURE, sql`from ${closures} where ${visibleIn(ability, 'Closure', closures, planId)}`);

const SECTION_JSON = {
  network: networkJson,
  request: requestJson,
  goals: goalsJson,
  actions: actionsJson,
  agreements: agreementsJson,
  crisis: crisisJson,
  background: backgroundJson,
  meetings: meetingsJson,
  evaluations: evaluationsJson,
  closure: closureJson,
} as const satisfies Record<Section, (ability: AppAbility, planId: string) => SQL>;

interface MeetingRow extends Row<
  typeof meetings,
  'id' | 'heldAt' | 'title' | 'notes' | 'decisions' | 'version'
> {
  participants: Array<{ memberId: string; name: string }>;
  addedNotes: Array<{ id: string; body: string; createdAt: Date; authorName: string }>;
}

interface EvaluationRow extends Row<
  typeof evaluations,
  'id' | 'evaluatedOn' | 'collaborationRating' | 'collaborationNotes' | 'version'
> {
  goals: Array<Row<typeof evaluationGoals, 'goalId' | 'rating' | 'notes'>>;
}

/** What each section's reader returns: rows named as the answers name them. */
export interface SectionContent {
  network: NetworkRow[];
  request: Row<typeof planRequests, 'id' | 'clientWords' | 'clarifiedQuestion' | 'version'> | null;
  goals: Array<
    Row<typeof goals, 'id' | 'lifeDomain' | 'title' | 'clientWords' | 'status' | 'targetDate' | 'version'>
  >;
  actions: Array<
    Row<
      typeof actions,
      'id' | 'goalId' | 'ownerMemberId' | 'title' | 'description' | 'dueOn' | 'status' | 'notes' | 'version'
    >
  >;
  agreements: Array<
    Row<
      typeof agreements,
      'id' | 'memberId' | 'role' | 'agreement' | 'referencePerson' | 'callWhen' | 'version'
    >
  >;
  crisis: Row<typeof crisisPlans, 'id' | 'earlySigns' | 'whatHelps' | 'whomToCall' | 'version'> | null;
  background: Row<
    typeof backgrounds,
    'id' | 'situation' | 'health' | 'diagnoses' | 'justice' | 'finances' | 'version'
  > | null;
  meetings: MeetingRow[];
  evaluations: EvaluationRow[];
  closure: Row<typeof closures, 'id' | 'closedOn' | 'reason' | 'handover' | 'version'> | null;
}

/** JSON carries timestamps as text: the few timestamp fields become dates again. */
function fromJson<S extends Section>(section: S, json: unknown): SectionContent[S] {
  if (section !== 'meetings') return json as SectionContent[S];
  return (json as Array<MeetingRow & { heldAt: string }>).map((meeting) => ({
    ...meeting,
    heldAt: new Date(meeting.heldAt),
    addedNotes: meeting.addedNotes.map((note) => ({ ...note, createdAt: new Date(note.createdAt) })),
  })) as SectionContent[S];
}

/** Reads one section through the ability: one statement. */
export async function readSection<S extends Section>(
  db: Executor,
  ability: AppAbility,
  planId: string,
  section: S,
): Promise<SectionContent[S]> {
  const [row] = await db.execute<{ content: unknown }>(
    sql`select ${SECTION_JSON[section](ability, planId)} as content`,
  );
  return fromJson(section, row?.content ?? null);
}

/** One reader per section, so that a caller (and the consent matrix) can read any one section. */
export const SECTION_READERS = Object.fromEntries(
  Object.keys(SECTION_JSON).map((section) => [
    section,
    (db: Executor, ability: AppAbility, planId: string) =>
      readSection(db, ability, planId, section as Section),
  ]),
) as { [S in Section]: (db: Executor, ability: AppAbility, planId: string) => Promise<SectionContent[S]> };

export interface PlanContent {
  /** The plan's summary, all fields: the caller trims them to what the ability permits. */
  summary: PlanSummaryRow | null;
  /** The user's own member row as the network shows it to them. */
  membership: NetworkRow | null;
  sections: Partial<SectionContent>;
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
  return {
    summary: toPlanSummaryRow(row?.summary),
    membership: (row?.membership as NetworkRow | null) ?? null,
    sections: Object.fromEntries(
      sections.map((section) => [section, fromJson(section, row?.[section] ?? null)]),
    ),
  };
}
