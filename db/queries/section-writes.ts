import { and, asc, count, eq, getTableColumns, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { asSubject, type AppAbility, type Subject } from '../../policies/index.ts';
import { abilityCondition } from '../ability-condition.ts';
import type { Executor, Transaction } from '../client.ts';
import {
  actionEntries,
  actions,
  agreements,
  backgrounds,
  crisisPlans,
  evaluationGoals,
  evaluations,
  goals,
  meetingNotes,
  meetingParticipants,
  meetings,
  members,
  planRequests,
  users,
} from '../schema/index.ts';
import type { ActionEntry } from '../../domain/schemas/sections.ts';
import { contributionsJson, fromMeetingOf, ownerOfAction, threadOfAction } from './section-registry.ts';

// Single items of a plan's sections and every write to them. Readers take the plan id (always in
// the WHERE) and the request's ability, whose SQL condition joins the same WHERE, as in
// ./sections.ts. Writers take the transaction of the change and its audit event; an update or a
// delete only happens at the version the caller read (optimistic concurrency, DESIGN.md "Data").

/** The table of each mutable section row, by its policy subject: each has `plan_id`, `id`, `version`. */
const SECTION_TABLES = {
  PlanRequest: planRequests,
  CrisisPlan: crisisPlans,
  Background: backgrounds,
  Goal: goals,
  Action: actions,
  Agreement: agreements,
  Meeting: meetings,
  Evaluation: evaluations,
} as const;

export type VersionedSubject = keyof typeof SECTION_TABLES;
type VersionedTable = (typeof SECTION_TABLES)[VersionedSubject];
/** A stored row of a section item, as `RETURNING *` gives it. */
export type SectionRow<S extends VersionedSubject> = (typeof SECTION_TABLES)[S]['$inferSelect'];
/** The columns a write may set on a section item. */
export type SectionChanges<S extends VersionedSubject> = Partial<
  Omit<(typeof SECTION_TABLES)[S]['$inferInsert'], 'id' | 'planId' | 'version' | 'updatedBy' | 'updatedAt'>
>;

/** What came of a write at an expected version. */
export type VersionedWrite<Row> =
  { outcome: 'written'; row: Row } | { outcome: 'stale' } | { outcome: 'missing' };

function readable(
  ability: AppAbility,
  subject: Subject,
  table: VersionedTable,
  planId: string,
  id: string,
): SQL | undefined {
  return and(eq(table.planId, planId), eq(table.id, id), abilityCondition(ability, 'read', subject, table));
}

// ------------------------------------------------------------------ single items, through the ability

/** One goal of this plan, if the ability lets the user read it. */
export async function findGoal(db: Executor, ability: AppAbility, planId: string, goalId: string) {
  const [row] = await db
    .select()
    .from(goals)
    .where(readable(ability, 'Goal', goals, planId, goalId));
  return row ?? null;
}

/**
 * One action of this plan, if the ability lets the user read it, with its owner and its thread as
 * readers see them (./section-registry.ts).
 */
export async function findAction(db: Executor, ability: AppAbility, planId: string, actionId: string) {
  const [row] = await db
    .select({
      ...getTableColumns(actions),
      owner: ownerOfAction,
      thread: threadOfAction(ability, planId).mapWith((json: unknown) => json as ActionEntry[]),
      fromMeeting: fromMeetingOf(ability, planId).mapWith(
        (json: unknown) => json as { meetingId: string; decision: string } | null,
      ),
    })
    .from(actions)
    .where(readable(ability, 'Action', actions, planId, actionId));
  return row ?? null;
}

/** One agreement of this plan, if the ability lets the user read it. */
export async function findAgreement(db: Executor, ability: AppAbility, planId: string, agreementId: string) {
  const [row] = await db
    .select()
    .from(agreements)
    .where(readable(ability, 'Agreement', agreements, planId, agreementId));
  return row ?? null;
}

/**
 * One meeting of this plan, if the ability lets the user read it, with the participants the user
 * may see in the network, every participant's member id (for the note policy), and added notes.
 */
export async function findMeeting(db: Executor, ability: AppAbility, planId: string, meetingId: string) {
  const [row] = await db
    .select()
    .from(meetings)
    .where(readable(ability, 'Meeting', meetings, planId, meetingId));
  if (!row) return null;
  const [participants, notes] = await Promise.all([
    db
      .select({
        memberId: meetingParticipants.memberId,
        name: members.name,
        userName: users.name,
        visible: abilityCondition(ability, 'read', 'Member', members).mapWith(Boolean),
      })
      .from(meetingParticipants)
      .innerJoin(members, eq(members.id, meetingParticipants.memberId))
      .leftJoin(users, eq(users.id, members.userId))
      .where(and(eq(meetingParticipants.planId, planId), eq(meetingParticipants.meetingId, meetingId))),
    db
      .select({
        id: meetingNotes.id,
        body: meetingNotes.body,
        createdAt: meetingNotes.createdAt,
        authorName: users.name,
      })
      .from(meetingNotes)
      .innerJoin(users, eq(users.id, meetingNotes.authorUserId))
      .where(
        and(
          eq(meetingNotes.planId, planId),
          eq(meetingNotes.meetingId, meetingId),
          abilityCondition(ability, 'read', 'MeetingNote', meetingNotes),
        ),
      )
      .orderBy(asc(meetingNotes.createdAt)),
  ]);
  return {
    ...row,
    // The discussion notes only for readers bound by professional secrecy (DESIGN.md, "Sections").
    notes: ability.can('read', asSubject('Meeting', row), 'notes') ? row.notes : null,
    participantMemberIds: participants.map((p) => p.memberId),
    participants: participants
      .filter((p) => p.visible)
      .map((p) => ({ memberId: p.memberId, name: p.userName ?? p.name ?? '' })),
    addedNotes: notes,
  };
}

/** One evaluation of this plan, if the ability lets the user read it, with its goal ratings. */
export async function findEvaluation(
  db: Executor,
  ability: AppAbility,
  planId: string,
  evaluationId: string,
) {
  const [row] = await db
    .select({ ...getTableColumns(evaluations), contributions: contributionsJson(ability) })
    .from(evaluations)
    .where(readable(ability, 'Evaluation', evaluations, planId, evaluationId));
  if (!row) return null;
  const ratings = await db
    .select({ goalId: evaluationGoals.goalId, rating: evaluationGoals.rating, notes: evaluationGoals.notes })
    .from(evaluationGoals)
    .where(and(eq(evaluationGoals.planId, planId), eq(evaluationGoals.evaluationId, evaluationId)));
  return { ...row, goals: ratings };
}

// ------------------------------------------------------------------ references

/**
 * Which of these ids are members of this plan who are still in the network (not removed): with
 * `currentOnly`, only current ones (not past).
 */
export async function findMemberIds(
  db: Executor,
  planId: string,
  memberIds: readonly string[],
  { currentOnly }: { currentOnly: boolean },
): Promise<Set<string>> {
  if (memberIds.length === 0) return new Set();
  const rows = await db
    .select({ id: members.id })
    .from(members)
    .where(
      and(
        eq(members.planId, planId),
        inArray(members.id, [...memberIds]),
        isNull(members.removedAt),
        currentOnly ? eq(members.status, 'current') : undefined,
      ),
    );
  return new Set(rows.map((row) => row.id));
}

/** Which of these ids are goals of this plan. */
export async function findGoalIds(
  db: Executor,
  planId: string,
  goalIds: readonly string[],
): Promise<Set<string>> {
  if (goalIds.length === 0) return new Set();
  const rows = await db
    .select({ id: goals.id })
    .from(goals)
    .where(and(eq(goals.planId, planId), inArray(goals.id, [...goalIds])));
  return new Set(rows.map((row) => row.id));
}

/** What refers to a goal from elsewhere in the plan: its actions and its ratings in evaluations. */
export async function countGoalDependents(db: Executor, planId: string, goalId: string) {
  const [[actionCount], [ratingCount]] = await Promise.all([
    db
      .select({ n: count() })
      .from(actions)
      .where(and(eq(actions.planId, planId), eq(actions.goalId, goalId))),
    db
      .select({ n: count() })
      .from(evaluationGoals)
      .where(and(eq(evaluationGoals.planId, planId), eq(evaluationGoals.goalId, goalId))),
  ]);
  return { actions: actionCount?.n ?? 0, evaluations: ratingCount?.n ?? 0 };
}

/** How many entries an action's thread has (notes and status changes). */
export async function countActionEntries(db: Executor, planId: string, actionId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(actionEntries)
    .where(and(eq(actionEntries.planId, planId), eq(actionEntries.actionId, actionId)));
  return row?.n ?? 0;
}

/** How many actions were made from a meeting's decisions. */
export async function countActionsFromMeeting(
  db: Executor,
  planId: string,
  meetingId: string,
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(actions)
    .where(and(eq(actions.planId, planId), eq(actions.meetingId, meetingId)));
  return row?.n ?? 0;
}

/** How many notes partners and leads added to a meeting. */
export async function countMeetingNotes(db: Executor, planId: string, meetingId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(meetingNotes)
    .where(and(eq(meetingNotes.planId, planId), eq(meetingNotes.meetingId, meetingId)));
  return row?.n ?? 0;
}

// ------------------------------------------------------------------ versioned writes

/**
 * `UPDATE … SET …, version = version + 1, updated_at = now(), updated_by = $user WHERE plan_id =
 * $plan AND id = $id AND version = $expected RETURNING *`. No row back: `stale` when the row is
 * still there (someone else changed it), `missing` when it is gone. Nothing is written then.
 */
export async function updateSectionItem<S extends VersionedSubject>(
  tx: Transaction,
  subject: S,
  params: { planId: string; id: string; expectedVersion: number; userId: string },
  changes: SectionChanges<S>,
): Promise<VersionedWrite<SectionRow<S>>> {
  const table: VersionedTable = SECTION_TABLES[subject];
  const set = {
    ...changes,
    version: sql`${table.version} + 1`,
    updatedAt: sql`now()`,
    updatedBy: params.userId,
  } as PgUpdateSetSource<VersionedTable>;
  const rows = (await tx
    .update(table)
    .set(set)
    .where(
      and(
        eq(table.planId, params.planId),
        eq(table.id, params.id),
        eq(table.version, params.expectedVersion),
      ),
    )
    .returning(getTableColumns(table))) as Array<SectionRow<S>>;
  const row = rows[0];
  if (row) return { outcome: 'written', row };
  return { outcome: (await rowExists(tx, table, params.planId, params.id)) ? 'stale' : 'missing' };
}

/**
 * Deletes a row at the version the caller read; see {@link updateSectionItem} for the outcomes.
 * Its parts (a meeting's participants, an evaluation's ratings) are the caller's to delete first.
 */
export async function deleteSectionItem(
  tx: Transaction,
  subject: VersionedSubject,
  params: { planId: string; id: string; expectedVersion: number },
): Promise<VersionedWrite<{ id: string }>> {
  const table: VersionedTable = SECTION_TABLES[subject];
  const rows = await tx
    .delete(table)
    .where(
      and(
        eq(table.planId, params.planId),
        eq(table.id, params.id),
        eq(table.version, params.expectedVersion),
      ),
    )
    .returning({ id: table.id });
  const row = rows[0];
  if (row) return { outcome: 'written', row };
  return { outcome: (await rowExists(tx, table, params.planId, params.id)) ? 'stale' : 'missing' };
}

async function rowExists(db: Executor, table: VersionedTable, planId: string, id: string): Promise<boolean> {
  const rows = await db
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.planId, planId), eq(table.id, id)));
  return rows.length > 0;
}

// ------------------------------------------------------------------ inserts

/** The one-per-plan documents: request, crisis plan, background. */
export type DocumentSubject = 'PlanRequest' | 'CrisisPlan' | 'Background';

/** A plan's document (request, crisis plan, background), if the ability lets the user read it. */
export async function findDocument<S extends DocumentSubject>(
  db: Executor,
  ability: AppAbility,
  planId: string,
  subject: S,
): Promise<SectionRow<S> | null> {
  const table: (typeof SECTION_TABLES)[DocumentSubject] = SECTION_TABLES[subject];
  const rows = (await db
    .select()
    .from(table)
    .where(and(eq(table.planId, planId), abilityCondition(ability, 'read', subject, table)))) as Array<
    SectionRow<S>
  >;
  return rows[0] ?? null;
}

/**
 * Creates a plan's document (request, crisis plan, background). Null when one already exists:
 * created by someone else in the meantime, which the caller answers as a failed precondition.
 */
export async function insertDocument<S extends DocumentSubject>(
  tx: Transaction,
  subject: S,
  params: { planId: string; userId: string },
  values: SectionChanges<S>,
): Promise<SectionRow<S> | null> {
  const table: (typeof SECTION_TABLES)[DocumentSubject] = SECTION_TABLES[subject];
  const rows = (await tx
    .insert(table)
    .values({ ...values, planId: params.planId, updatedBy: params.userId })
    .onConflictDoNothing({ target: table.planId })
    .returning()) as Array<SectionRow<S>>;
  return rows[0] ?? null;
}

/** Adds a goal at the end of the plan's goals. */
export async function insertGoal(
  tx: Transaction,
  params: { planId: string; userId: string },
  values: Omit<typeof goals.$inferInsert, 'id' | 'planId' | 'position' | 'version' | 'updatedBy'>,
) {
  const [row] = await tx
    .insert(goals)
    .values({
      ...values,
      planId: params.planId,
      updatedBy: params.userId,
      position: sql`(select coalesce(max(${goals.position}), 0) + 1 from ${goals} where ${goals.planId} = ${params.planId})`,
    })
    .returning();
  if (!row) throw new Error('insert into goals returned nothing');
  return row;
}

/** Adds an action to the plan of approach (its goal and owner checked by the caller). */
export async function insertAction(
  tx: Transaction,
  params: { planId: string; userId: string },
  values: Omit<typeof actions.$inferInsert, 'id' | 'planId' | 'version' | 'updatedBy'>,
) {
  const [row] = await tx
    .insert(actions)
    .values({ ...values, planId: params.planId, updatedBy: params.userId })
    .returning();
  if (!row) throw new Error('insert into actions returned nothing');
  return row;
}

/** Adds an agreement (its member checked by the caller). */
export async function insertAgreement(
  tx: Transaction,
  params: { planId: string; userId: string },
  values: Omit<typeof agreements.$inferInsert, 'id' | 'planId' | 'version' | 'updatedBy'>,
) {
  const [row] = await tx
    .insert(agreements)
    .values({ ...values, planId: params.planId, updatedBy: params.userId })
    .returning();
  if (!row) throw new Error('insert into agreements returned nothing');
  return row;
}

/** Adds a meeting; its participants are set with {@link replaceMeetingParticipants}. */
export async function insertMeeting(
  tx: Transaction,
  params: { planId: string; userId: string },
  values: Omit<typeof meetings.$inferInsert, 'id' | 'planId' | 'version' | 'updatedBy'>,
) {
  const [row] = await tx
    .insert(meetings)
    .values({ ...values, planId: params.planId, updatedBy: params.userId })
    .returning();
  if (!row) throw new Error('insert into meetings returned nothing');
  return row;
}

/** Adds an evaluation; its goal ratings are set with {@link replaceEvaluationGoals}. */
export async function insertEvaluation(
  tx: Transaction,
  params: { planId: string; userId: string },
  values: Omit<typeof evaluations.$inferInsert, 'id' | 'planId' | 'version' | 'updatedBy'>,
) {
  const [row] = await tx
    .insert(evaluations)
    .values({ ...values, planId: params.planId, updatedBy: params.userId })
    .returning();
  if (!row) throw new Error('insert into evaluations returned nothing');
  return row;
}

/** Appends a note to a meeting (notes are never edited). */
export async function insertMeetingNote(
  tx: Transaction,
  params: { planId: string; meetingId: string; authorUserId: string; body: string },
) {
  const [row] = await tx.insert(meetingNotes).values(params).returning();
  if (!row) throw new Error('insert into meeting_notes returned nothing');
  const [author] = await tx.select({ name: users.name }).from(users).where(eq(users.id, params.authorUserId));
  return { ...row, authorName: author?.name ?? '' };
}

/**
 * Appends an entry to an action's thread: a note, a new status, or both (the table refuses an
 * entry that says neither, and any change to one written).
 */
export async function insertActionEntry(
  tx: Transaction,
  params: { planId: string; actionId: string; authorUserId: string },
  entry: { status?: (typeof actionEntries.$inferInsert)['status']; note?: string },
): Promise<void> {
  await tx.insert(actionEntries).values({
    ...params,
    status: entry.status ?? null,
    note: entry.note ?? '',
  });
}

// ------------------------------------------------------------------ parts of an item

/** Sets who took part in a meeting: the given members, and no one else. */
export async function replaceMeetingParticipants(
  tx: Transaction,
  params: { planId: string; meetingId: string },
  memberIds: readonly string[],
): Promise<void> {
  await deleteMeetingParticipants(tx, params);
  if (memberIds.length === 0) return;
  await tx
    .insert(meetingParticipants)
    .values(memberIds.map((memberId) => ({ planId: params.planId, meetingId: params.meetingId, memberId })));
}

/** Removes everyone from a meeting: part of deleting it. */
export async function deleteMeetingParticipants(
  tx: Transaction,
  params: { planId: string; meetingId: string },
): Promise<void> {
  await tx
    .delete(meetingParticipants)
    .where(
      and(eq(meetingParticipants.planId, params.planId), eq(meetingParticipants.meetingId, params.meetingId)),
    );
}

/** Sets an evaluation's goal ratings: these, and no others. */
export async function replaceEvaluationGoals(
  tx: Transaction,
  params: { planId: string; evaluationId: string },
  ratings: ReadonlyArray<{ goalId: string; rating: number; notes?: string | undefined }>,
): Promise<void> {
  await deleteEvaluationGoals(tx, params);
  if (ratings.length === 0) return;
  await tx.insert(evaluationGoals).values(
    ratings.map((r) => ({
      planId: params.planId,
      evaluationId: params.evaluationId,
      goalId: r.goalId,
      rating: r.rating,
      notes: r.notes ?? '',
    })),
  );
}

/** Removes an evaluation's goal ratings: part of deleting it. */
export async function deleteEvaluationGoals(
  tx: Transaction,
  params: { planId: string; evaluationId: string },
): Promise<void> {
  await tx
    .delete(evaluationGoals)
    .where(
      and(eq(evaluationGoals.planId, params.planId), eq(evaluationGoals.evaluationId, params.evaluationId)),
    );
}
