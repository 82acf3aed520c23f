import { and, asc, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { SECTION_SUBJECTS, type AppAbility, type Section, type Subject } from '../../policies/index.ts';
import { abilityCondition } from '../ability-condition.ts';
import type { Executor } from '../client.ts';
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

// Every reader takes the plan id (always in the WHERE) and the request's ability, whose
// condition is added to the same WHERE: a row the ability does not allow never leaves the database.

type PlanScopedTable = PgTable & { planId: PgColumn };

function visibleIn(
  ability: AppAbility,
  subject: Subject,
  table: PlanScopedTable,
  planId: string,
): SQL | undefined {
  return and(eq(table.planId, planId), abilityCondition(ability, 'read', subject, table));
}

/** `network`: the members the ability lets this user see (removed ones are gone for everyone). */
export async function readNetwork(db: Executor, ability: AppAbility, planId: string) {
  return db
    .select({
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
    })
    .from(members)
    .leftJoin(users, eq(users.id, members.userId))
    .leftJoin(organizations, eq(organizations.id, members.organizationId))
    .where(and(visibleIn(ability, 'Member', members, planId), isNull(members.removedAt)))
    .orderBy(asc(members.closeness), asc(members.createdAt));
}

export async function readRequest(db: Executor, ability: AppAbility, planId: string) {
  const [row] = await db
    .select()
    .from(planRequests)
    .where(visibleIn(ability, 'PlanRequest', planRequests, planId));
  return row ?? null;
}

export async function readGoals(db: Executor, ability: AppAbility, planId: string) {
  return db
    .select()
    .from(goals)
    .where(visibleIn(ability, 'Goal', goals, planId))
    .orderBy(asc(goals.position), asc(goals.createdAt));
}

export async function readActions(db: Executor, ability: AppAbility, planId: string) {
  return db
    .select()
    .from(actions)
    .where(visibleIn(ability, 'Action', actions, planId))
    .orderBy(asc(actions.dueOn), asc(actions.createdAt));
}

export async function readAgreements(db: Executor, ability: AppAbility, planId: string) {
  return db
    .select()
    .from(agreements)
    .where(visibleIn(ability, 'Agreement', agreements, planId))
    .orderBy(asc(agreements.createdAt));
}

export async function readCrisis(db: Executor, ability: AppAbility, planId: string) {
  const [row] = await db
    .select()
    .from(crisisPlans)
    .where(visibleIn(ability, 'CrisisPlan', crisisPlans, planId));
  return row ?? null;
}

export async function readBackground(db: Executor, ability: AppAbility, planId: string) {
  const [row] = await db
    .select()
    .from(backgrounds)
    .where(visibleIn(ability, 'Background', backgrounds, planId));
  return row ?? null;
}

/** `meetings`, each with the participants this user may see in the network, and added notes. */
export async function readMeetings(db: Executor, ability: AppAbility, planId: string) {
  const rows = await db
    .select()
    .from(meetings)
    .where(visibleIn(ability, 'Meeting', meetings, planId))
    .orderBy(asc(meetings.heldAt));
  if (rows.length === 0) return [];
  const meetingIds = rows.map((row) => row.id);
  const [participants, notes] = await Promise.all([
    db
      .select({
        meetingId: meetingParticipants.meetingId,
        memberId: members.id,
        name: members.name,
        userName: users.name,
      })
      .from(meetingParticipants)
      .innerJoin(members, eq(members.id, meetingParticipants.memberId))
      .leftJoin(users, eq(users.id, members.userId))
      .where(
        and(
          eq(meetingParticipants.planId, planId),
          inArray(meetingParticipants.meetingId, meetingIds),
          abilityCondition(ability, 'read', 'Member', members),
        ),
      ),
    db
      .select({
        id: meetingNotes.id,
        meetingId: meetingNotes.meetingId,
        body: meetingNotes.body,
        createdAt: meetingNotes.createdAt,
        authorName: users.name,
      })
      .from(meetingNotes)
      .innerJoin(users, eq(users.id, meetingNotes.authorUserId))
      .where(
        and(
          visibleIn(ability, 'MeetingNote', meetingNotes, planId),
          inArray(meetingNotes.meetingId, meetingIds),
        ),
      )
      .orderBy(asc(meetingNotes.createdAt)),
  ]);
  return rows.map((row) => ({
    ...row,
    participants: participants
      .filter((p) => p.meetingId === row.id)
      .map((p) => ({ memberId: p.memberId, name: p.userName ?? p.name ?? '' })),
    addedNotes: notes.filter((n) => n.meetingId === row.id),
  }));
}

/** `evaluations`, each with its goal ratings. */
export async function readEvaluations(db: Executor, ability: AppAbility, planId: string) {
  const rows = await db
    .select()
    .from(evaluations)
    .where(visibleIn(ability, 'Evaluation', evaluations, planId))
    .orderBy(asc(evaluations.evaluatedOn));
  if (rows.length === 0) return [];
  const ratings = await db
    .select()
    .from(evaluationGoals)
    .where(
      and(
        eq(evaluationGoals.planId, planId),
        inArray(
          evaluationGoals.evaluationId,
          rows.map((row) => row.id),
        ),
      ),
    );
  return rows.map((row) => ({
    ...row,
    goals: ratings
      .filter((r) => r.evaluationId === row.id)
      .map((r) => ({ goalId: r.goalId, rating: r.rating, notes: r.notes })),
  }));
}

export async function readClosure(db: Executor, ability: AppAbility, planId: string) {
  const [row] = await db
    .select()
    .from(closures)
    .where(visibleIn(ability, 'Closure', closures, planId));
  return row ?? null;
}

/** One reader per section, so that a caller can read exactly the sections a user may see. */
export const SECTION_READERS = {
  network: readNetwork,
  request: readRequest,
  goals: readGoals,
  actions: readActions,
  agreements: readAgreements,
  crisis: readCrisis,
  background: readBackground,
  meetings: readMeetings,
  evaluations: readEvaluations,
  closure: readClosure,
} as const satisfies Record<Section, (db: Executor, ability: AppAbility, planId: string) => Promise<unknown>>;

export type SectionContent = { [S in Section]: Awaited<ReturnType<(typeof SECTION_READERS)[S]>> };

/** Reads one section through the ability. */
export function readSection<S extends Section>(
  db: Executor,
  ability: AppAbility,
  planId: string,
  section: S,
): Promise<SectionContent[S]> {
  return SECTION_READERS[section](db, ability, planId) as Promise<SectionContent[S]>;
}

export { SECTION_SUBJECTS };
