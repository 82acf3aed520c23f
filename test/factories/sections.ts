import { randomUUID } from 'node:crypto';
import type { Executor } from '../../db/client.ts';
import {
  actionEntries,
  actions,
  agreements,
  backgrounds,
  closures,
  crisisPlans,
  evaluationGoals,
  evaluations,
  meetingNotes,
  meetingParticipants,
  meetings,
} from '../../db/schema/index.ts';
import type { PlanRef } from './plans.ts';

// Builders for the content of a plan's sections (goals are in plans.ts): one row each, written by
// the plan's lead unless told otherwise, with the inserted row returned.

type Row<T extends { $inferInsert: unknown }> = T['$inferInsert'] & { id: string };

/** The plan's crisis plan (one per plan). */
export async function addCrisisPlan(
  db: Executor,
  { plan, lead }: PlanRef,
  overrides: Partial<Row<typeof crisisPlans>> = {},
): Promise<Row<typeof crisisPlans>> {
  const row: Row<typeof crisisPlans> = {
    id: randomUUID(),
    planId: plan.id,
    updatedBy: lead.id,
    ...overrides,
  };
  await db.insert(crisisPlans).values(row);
  return row;
}

/** The plan's background (one per plan). */
export async function addBackground(
  db: Executor,
  { plan, lead }: PlanRef,
  overrides: Partial<Row<typeof backgrounds>> = {},
): Promise<Row<typeof backgrounds>> {
  const row: Row<typeof backgrounds> = {
    id: randomUUID(),
    planId: plan.id,
    updatedBy: lead.id,
    ...overrides,
  };
  await db.insert(backgrounds).values(row);
  return row;
}

/**
 * An action (link it with `goalId`, give it to a member with `ownerMemberId`); `notes` are the
 * first entries of its thread, written by the lead, oldest first.
 */
export async function addAction(
  db: Executor,
  { plan, lead }: PlanRef,
  { notes = [], ...overrides }: Partial<Row<typeof actions>> & { notes?: readonly string[] } = {},
): Promise<Row<typeof actions>> {
  const row: Row<typeof actions> = {
    id: randomUUID(),
    planId: plan.id,
    title: `Action ${randomUUID().slice(0, 8)}`,
    updatedBy: lead.id,
    ...overrides,
  };
  await db.insert(actions).values(row);
  const start = Date.now() - notes.length * 60_000;
  if (notes.length > 0)
    await db.insert(actionEntries).values(
      notes.map((note, index) => ({
        planId: plan.id,
        actionId: row.id,
        authorUserId: lead.id,
        note,
        createdAt: new Date(start + index * 60_000),
      })),
    );
  return row;
}

/** An agreement (a role, optionally a member's). */
export async function addAgreement(
  db: Executor,
  { plan, lead }: PlanRef,
  overrides: Partial<Row<typeof agreements>> = {},
): Promise<Row<typeof agreements>> {
  const row: Row<typeof agreements> = {
    id: randomUUID(),
    planId: plan.id,
    role: `Role ${randomUUID().slice(0, 8)}`,
    updatedBy: lead.id,
    ...overrides,
  };
  await db.insert(agreements).values(row);
  return row;
}

/** A meeting a week ago, with its participants (members) and the notes people added to it. */
export async function addMeeting(
  db: Executor,
  ref: PlanRef,
  options: Partial<Row<typeof meetings>> & {
    participants?: ReadonlyArray<{ id: string }>;
    /** Notes people added after the meeting (`meeting_notes`), not the meeting's own `notes`. */
    addedNotes?: ReadonlyArray<{ author: { id: string }; body: string }>;
  } = {},
): Promise<Row<typeof meetings>> {
  const { participants = [], addedNotes = [], ...overrides } = options;
  const meeting: Row<typeof meetings> = {
    id: randomUUID(),
    planId: ref.plan.id,
    heldAt: new Date(Date.now() - 7 * 86_400_000),
    title: `Meeting ${randomUUID().slice(0, 8)}`,
    updatedBy: ref.lead.id,
    ...overrides,
  };
  await db.insert(meetings).values(meeting);
  if (participants.length > 0)
    await db
      .insert(meetingParticipants)
      .values(
        participants.map((member) => ({ planId: ref.plan.id, meetingId: meeting.id, memberId: member.id })),
      );
  if (addedNotes.length > 0)
    await db.insert(meetingNotes).values(
      addedNotes.map((note) => ({
        planId: ref.plan.id,
        meetingId: meeting.id,
        authorUserId: note.author.id,
        body: note.body,
      })),
    );
  return meeting;
}

/** An evaluation a month ago, rating goals of the plan. */
export async function addEvaluation(
  db: Executor,
  ref: PlanRef,
  options: Partial<Row<typeof evaluations>> & {
    goals?: ReadonlyArray<{ goal: { id: string }; rating: number; notes?: string }>;
  } = {},
): Promise<Row<typeof evaluations>> {
  const { goals = [], ...overrides } = options;
  const evaluation: Row<typeof evaluations> = {
    id: randomUUID(),
    planId: ref.plan.id,
    evaluatedOn: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10),
    updatedBy: ref.lead.id,
    ...overrides,
  };
  await db.insert(evaluations).values(evaluation);
  if (goals.length > 0)
    await db.insert(evaluationGoals).values(
      goals.map(({ goal, rating, notes }) => ({
        planId: ref.plan.id,
        evaluationId: evaluation.id,
        goalId: goal.id,
        rating,
        notes: notes ?? '',
      })),
    );
  return evaluation;
}

/**
 * The plan's closure row (one per plan), as closing writes it beside the plan's `closed` phase; the
 * kind of reason is always given, so that no test counts on the column's default. The plan's own
 * phase and `closed_at` are the caller's (`createPlan(…, { plan: { phase: 'closed', closedAt } })`).
 */
export async function addClosure(
  db: Executor,
  ref: PlanRef,
  options: Partial<Row<typeof closures>> & Pick<Row<typeof closures>, 'reasonKind'>,
): Promise<Row<typeof closures>> {
  const closure: Row<typeof closures> = {
    id: randomUUID(),
    planId: ref.plan.id,
    closedOn: new Date().toISOString().slice(0, 10),
    reason: 'The collaboration ended.',
    handover: '',
    updatedBy: ref.lead.id,
    ...options,
  };
  await db.insert(closures).values(closure);
  return closure;
}
