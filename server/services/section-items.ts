import { permittedFieldsOf } from '@casl/ability/extra';
import type { z } from 'zod';
import type { ActionFromDecisionSchema } from '../../domain/schemas/sections.ts';
import type { Executor, Transaction } from '../../db/client.ts';
import { countContributions } from '../../db/queries/evaluation-contributions.ts';
import {
  countActionEntries,
  countActionsFromMeeting,
  countGoalDependents,
  countMeetingNotes,
  deleteEvaluationGoals,
  deleteMeetingParticipants,
  deleteSectionItem,
  findAction,
  findAgreement,
  findEvaluation,
  findGoal,
  findGoalIds,
  findMeeting,
  findMemberIds,
  insertAction,
  insertActionEntry,
  insertAgreement,
  insertEvaluation,
  insertGoal,
  insertMeeting,
  replaceEvaluationGoals,
  replaceMeetingParticipants,
  updateSectionItem,
  type DocumentSubject,
  type SectionChanges,
  type SectionRow,
  type VersionedSubject,
  type VersionedWrite,
} from '../../db/queries/section-writes.ts';
import {
  asSubject,
  readableSections,
  SECTION_SUBJECTS,
  type AppAbility,
  type Section,
  type SubjectRecord,
} from '../../policies/index.ts';
import { Conflict, NotFound, PreconditionFailed, Unprocessable } from '../errors.ts';
import { recordFromRow } from '../../db/queries/section-registry.ts';
import { SECTION_SCHEMAS, type SectionRecord } from '../../domain/schemas/sections.ts';
import { SECTION_PATHS } from '../../domain/sections.ts';
import { writeAudited } from './audited-write.ts';
import type { PlanContext } from './context.ts';
import { auditRead } from './audit.ts';
import { notifyMeetingDecisions } from './notifications.ts';
import { refuse } from './refusals.ts';
import { requireVersion } from './versioning.ts';

// The items of a plan's sections (goals, actions, agreements, meetings, evaluations): each
// collection says how its references are checked and its parts written; the operations below
// hold what every item shares — the item read through the ability (404), the policies asked
// about the action and every field sent (403, logged), If-Match (428/412), then the change and
// its audit event in one transaction.

type ActionRow = NonNullable<Awaited<ReturnType<typeof findAction>>>;
type MeetingRow = NonNullable<Awaited<ReturnType<typeof findMeeting>>>;
type EvaluationRow = NonNullable<Awaited<ReturnType<typeof findEvaluation>>>;

/** What a write needs to know about who writes where. */
interface WriteContext {
  planId: string;
  userId: string;
  ability: AppAbility;
}

export interface ItemCollection<Row extends { id: string; version: number }, Out, Create, Update> {
  section: Section;
  /** The path under /api/plans/:planId. */
  path: string;
  subject: Exclude<VersionedSubject, DocumentSubject>;
  noun: string;
  schema: z.ZodType<Out>;
  createSchema: z.ZodType<Create>;
  updateSchema: z.ZodType<Update>;
  find: (db: Executor, ability: AppAbility, planId: string, id: string) => Promise<Row | null>;
  /** Whether the row an update returns is the whole item (no parts): then it is not read again. */
  updateReturnsItem: boolean;
  toResponse: (row: Row) => Out;
  /** Checks the references of a new item and inserts it with its parts; returns its id. */
  insert: (tx: Transaction, ctx: WriteContext, body: Create) => Promise<string>;
  /** Checks the references of a change and writes it at the expected version, with its parts. */
  update: (
    tx: Transaction,
    ctx: WriteContext,
    params: { id: string; expectedVersion: number },
    body: Update,
    row: Row,
  ) => Promise<VersionedWrite<unknown>>;
  /** Deletes the item's own parts, or refuses (409) when something else still refers to it. */
  beforeDelete?: (tx: Transaction, ctx: WriteContext, row: Row) => Promise<void>;
}

/** The sections whose records are items of a list, each with its own routes. */
type ItemSection = 'goals' | 'actions' | 'agreements' | 'meetings' | 'evaluations';
type Schemas<S extends ItemSection> = (typeof SECTION_SCHEMAS)[S];
type CollectionOf<S extends ItemSection, Row extends { id: string; version: number }> = ItemCollection<
  Row,
  SectionRecord<S>,
  z.infer<Schemas<S>['create']>,
  z.infer<Schemas<S>['update']>
>;

/**
 * A section's collection: its path, subject, schemas and answers come from the section registry
 * (domain/schemas/sections.ts, db/queries/section-registry.ts); what is its own is how it is read,
 * how its references are checked and its parts written.
 */
function collection<S extends ItemSection, Row extends { id: string; version: number }>(
  section: S,
  own: Pick<
    CollectionOf<S, Row>,
    'noun' | 'find' | 'updateReturnsItem' | 'insert' | 'update' | 'beforeDelete'
  >,
): CollectionOf<S, Row> {
  // The registry's schemas are the section's by construction; TypeScript cannot follow the
  // generic index through zod's types, so they are named once here.
  const schemas = SECTION_SCHEMAS[section];
  return {
    section,
    path: SECTION_PATHS[section],
    subject: SECTION_SUBJECTS[section],
    schema: schemas.record as unknown as z.ZodType<SectionRecord<S>>,
    createSchema: schemas.create as unknown as z.ZodType<z.infer<Schemas<S>['create']>>,
    updateSchema: schemas.update as unknown as z.ZodType<z.infer<Schemas<S>['update']>>,
    toResponse: (row) => recordFromRow(section, row),
    ...own,
  };
}

// ------------------------------------------------------------------ references

const list = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;

/**
 * 422 unless every id is a member of this plan still in the network: a current one for a new
 * owner or agreement; past members stay valid participants of the meetings they took part in.
 */
async function assertMembers(
  tx: Executor,
  planId: string,
  ids: ReadonlyArray<string | null | undefined>,
  what: string,
  { currentOnly }: { currentOnly: boolean },
): Promise<void> {
  const wanted = ids.filter((id): id is string => typeof id === 'string');
  const found = await findMemberIds(tx, planId, wanted, { currentOnly });
  if (wanted.some((id) => !found.has(id)))
    throw new Unprocessable(
      'unknown-member',
      'Unknown member',
      `${what} must be ${currentOnly ? 'a current member' : 'a member'} of this plan.`,
    );
}

/** A reference sent in a change that differs from the stored one (an unchanged one stays valid). */
const changed = <T>(sent: T | undefined, stored: T): T | undefined => (sent === stored ? undefined : sent);

async function assertGoals(
  tx: Executor,
  planId: string,
  ids: ReadonlyArray<string | null | undefined>,
): Promise<void> {
  const wanted = ids.filter((id): id is string => typeof id === 'string');
  const found = await findGoalIds(tx, planId, wanted);
  if (wanted.some((id) => !found.has(id)))
    throw new Unprocessable('unknown-goal', 'Unknown goal', 'Every goal must be a goal of this plan.');
}

// ------------------------------------------------------------------ the collections

export const goalsCollection = collection<'goals', SectionRow<'Goal'>>('goals', {
  noun: 'goal',
  find: findGoal,
  updateReturnsItem: true,
  insert: async (tx, ctx, body) => (await insertGoal(tx, ctx, body)).id,
  update: (tx, ctx, params, body) => updateSectionItem(tx, 'Goal', { ...ctx, ...params }, body),
  beforeDelete: async (tx, ctx, row) => {
    const uses = await countGoalDependents(tx, ctx.planId, row.id);
    if (uses.actions === 0 && uses.evaluations === 0) return;
    const parts = [
      ...(uses.actions > 0 ? [`${uses.actions} action${uses.actions === 1 ? '' : 's'}`] : []),
      ...(uses.evaluations > 0
        ? [`ratings in ${uses.evaluations} evaluation${uses.evaluations === 1 ? '' : 's'}`]
        : []),
    ];
    throw new Conflict(
      `This goal still has ${list(parts)}. Set its status to "dropped" to keep its history, or move or delete its actions first.`,
    );
  },
});

export const actionsCollection = collection<'actions', ActionRow>('actions', {
  noun: 'action',
  find: findAction,
  // The thread is read again with the action, an entry appended or not.
  updateReturnsItem: false,
  insert: async (tx, ctx, { note, ...values }) => {
    await assertGoals(tx, ctx.planId, [values.goalId]);
    await assertMembers(tx, ctx.planId, [values.ownerMemberId], 'The owner of an action', {
      currentOnly: true,
    });
    const row = await insertAction(tx, ctx, values);
    if (note !== undefined)
      await insertActionEntry(
        tx,
        { planId: ctx.planId, actionId: row.id, authorUserId: ctx.userId },
        { note },
      );
    return row.id;
  },
  update: async (tx, ctx, params, { note, ...values }, row) => {
    await assertGoals(tx, ctx.planId, [values.goalId]);
    await assertMembers(
      tx,
      ctx.planId,
      [changed(values.ownerMemberId, row.ownerMemberId)],
      'The owner of an action',
      { currentOnly: true },
    );
    const result = await updateSectionItem(tx, 'Action', { ...ctx, ...params }, values);
    // A note, or a status that changed, is a new entry of the thread: earlier ones stay.
    const status = changed(values.status, row.status);
    if (result.outcome === 'written' && (note !== undefined || status !== undefined))
      await insertActionEntry(
        tx,
        { planId: ctx.planId, actionId: params.id, authorUserId: ctx.userId },
        { status, note },
      );
    return result;
  },
  // Counted in the delete's transaction: an entry appended since the read counts too.
  beforeDelete: async (tx, ctx, row) => {
    const entries = await countActionEntries(tx, ctx.planId, row.id);
    if (entries > 0)
      throw new Conflict(
        `This action has ${entries} note${entries === 1 ? '' : 's'} or status change${entries === 1 ? '' : 's'} in its history, which stays. Set its status to "cancelled" instead.`,
      );
  },
});

export const agreementsCollection = collection<'agreements', SectionRow<'Agreement'>>('agreements', {
  noun: 'agreement',
  find: findAgreement,
  updateReturnsItem: true,
  insert: async (tx, ctx, body) => {
    await assertMembers(tx, ctx.planId, [body.memberId], 'The member of an agreement', { currentOnly: true });
    return (await insertAgreement(tx, ctx, body)).id;
  },
  update: async (tx, ctx, params, body, row) => {
    await assertMembers(
      tx,
      ctx.planId,
      [changed(body.memberId, row.memberId)],
      'The member of an agreement',
      { currentOnly: true },
    );
    return updateSectionItem(tx, 'Agreement', { ...ctx, ...params }, body);
  },
});

export const meetingsCollection = collection<'meetings', MeetingRow>('meetings', {
  noun: 'meeting',
  find: findMeeting,
  updateReturnsItem: false,
  insert: async (tx, ctx, { participantMemberIds = [], heldAt, ...values }) => {
    await assertMembers(tx, ctx.planId, participantMemberIds, 'Every participant', { currentOnly: false });
    const row = await insertMeeting(tx, ctx, { ...values, heldAt: new Date(heldAt) });
    await replaceMeetingParticipants(tx, { planId: ctx.planId, meetingId: row.id }, participantMemberIds);
    await notifyMeetingDecisions(tx, ctx.planId, row.id, ctx.userId);
    return row.id;
  },
  update: async (tx, ctx, params, { participantMemberIds, heldAt, ...values }) => {
    if (participantMemberIds)
      await assertMembers(tx, ctx.planId, participantMemberIds, 'Every participant', { currentOnly: false });
    const changes: SectionChanges<'Meeting'> = { ...values, ...(heldAt ? { heldAt: new Date(heldAt) } : {}) };
    const result = await updateSectionItem(tx, 'Meeting', { ...ctx, ...params }, changes);
    if (result.outcome === 'written' && participantMemberIds)
      await replaceMeetingParticipants(
        tx,
        { planId: ctx.planId, meetingId: params.id },
        participantMemberIds,
      );
    // Decisions written or participants changed: who takes part is told (once per decisions' text).
    if (result.outcome === 'written') await notifyMeetingDecisions(tx, ctx.planId, params.id, ctx.userId);
    return result;
  },
  beforeDelete: async (tx, ctx, row) => {
    const made = await countActionsFromMeeting(tx, ctx.planId, row.id);
    if (made > 0)
      throw new Conflict(
        `${made} action${made === 1 ? ' was' : 's were'} made from the decisions of this meeting; it is part of the plan's history and cannot be deleted.`,
      );
    const notes = await countMeetingNotes(tx, ctx.planId, row.id);
    if (notes > 0)
      throw new Conflict(
        `${notes} note${notes === 1 ? ' was' : 's were'} added to this meeting by the people who took part; it is part of the plan's history and cannot be deleted.`,
      );
    await deleteMeetingParticipants(tx, { planId: ctx.planId, meetingId: row.id });
  },
});

export const evaluationsCollection = collection<'evaluations', EvaluationRow>('evaluations', {
  noun: 'evaluation',
  find: findEvaluation,
  updateReturnsItem: false,
  insert: async (tx, ctx, { goals = [], ...values }) => {
    await assertGoals(
      tx,
      ctx.planId,
      goals.map((g) => g.goalId),
    );
    const row = await insertEvaluation(tx, ctx, values);
    await replaceEvaluationGoals(tx, { planId: ctx.planId, evaluationId: row.id }, goals);
    return row.id;
  },
  update: async (tx, ctx, params, { goals, ...values }) => {
    if (goals)
      await assertGoals(
        tx,
        ctx.planId,
        goals.map((g) => g.goalId),
      );
    const result = await updateSectionItem(tx, 'Evaluation', { ...ctx, ...params }, values);
    if (result.outcome === 'written' && goals)
      await replaceEvaluationGoals(tx, { planId: ctx.planId, evaluationId: params.id }, goals);
    return result;
  },
  beforeDelete: async (tx, ctx, row) => {
    const contributions = await countContributions(tx, ctx.planId, row.id);
    if (contributions > 0)
      throw new Conflict(
        `${contributions === 1 ? 'Someone' : `${contributions} people`} added their own rating to this evaluation; it is part of the plan's history and cannot be deleted.`,
      );
    await deleteEvaluationGoals(tx, { planId: ctx.planId, evaluationId: row.id });
  },
});

// ------------------------------------------------------------------ what every item shares

/** An update or delete at the version read: 412 when someone else wrote first, 404 when it is gone. */
export function written<Row>(result: VersionedWrite<Row>): Row {
  switch (result.outcome) {
    case 'written':
      return result.row;
    case 'stale':
      throw new PreconditionFailed();
    case 'missing':
      throw new NotFound();
  }
}

/**
 * An item the user may read, or 404 — for an item of a section not shared with them too, exactly
 * like a missing item; that refused attempt is logged like a refused section read.
 */
export async function findReadableItem<Row>(
  ctx: PlanContext,
  section: Section,
  action: string,
  find: () => Promise<Row | null>,
): Promise<Row> {
  if (!readableSections(ctx.user, ctx.facts).includes(section))
    await refuse(ctx, { action, sections: [section], detail: '', asNotFound: true });
  const row = await find();
  if (!row) throw new NotFound();
  return row;
}

/**
 * Asks the policies about an update of this record and of every field sent: a partner may change
 * only `status` and `note` of actions they own, the client only their own words.
 */
export async function authorizeFields(
  ctx: PlanContext,
  target: { section: Section; noun: string; subject: SubjectRecord },
  fields: readonly string[],
): Promise<void> {
  const { ability } = ctx;
  const refused = fields.filter((field) => !ability.can('update', target.subject, field));
  if (refused.length === 0) return;
  const allowed = permittedFieldsOf(ability, 'update', target.subject, {
    fieldsFrom: (rule) => rule.fields ?? [],
  });
  const detail =
    allowed.length > 0
      ? `You may change only ${list(allowed)} of this ${target.noun}, not ${list(refused)}.`
      : target.subject.__caslSubjectType__ === 'Action' && ability.can('update', 'Action')
        ? 'You may change only the actions you own.'
        : `Only the lead and co-leads change the ${target.noun}s of this plan.`;
  await refuse(ctx, { action: 'update', sections: [target.section], detail });
}

const writeContext = (ctx: PlanContext): WriteContext => ({
  planId: ctx.planId,
  userId: ctx.user.id,
  ability: ctx.ability,
});

/** One item as the user may read it (the read is logged). */
export async function readItem<Row extends { id: string; version: number }, Out, C, U>(
  ctx: PlanContext,
  c: ItemCollection<Row, Out, C, U>,
  itemId: string,
): Promise<Row> {
  const row = await findReadableItem(ctx, c.section, 'read', () =>
    c.find(ctx.db, ctx.ability, ctx.planId, itemId),
  );
  await auditRead(ctx, [c.section]);
  return row;
}

/** Adds an item (lead and co-leads), with its audit event. */
export async function createItem<Row extends { id: string; version: number }, Out, C, U>(
  ctx: PlanContext,
  c: ItemCollection<Row, Out, C, U>,
  body: C,
): Promise<Row> {
  if (!ctx.ability.can('create', asSubject(c.subject, { planId: ctx.planId })))
    await refuse(ctx, {
      action: 'create',
      sections: [c.section],
      detail: `Only the lead and co-leads add ${c.noun}s.`,
    });
  return writeAudited(
    ctx,
    async (tx) => {
      const id = await c.insert(tx, writeContext(ctx), body);
      const row = await c.find(tx, ctx.ability, ctx.planId, id);
      if (!row) throw new NotFound();
      return row;
    },
    (row) => ({ action: 'create', sections: [c.section], subjectType: c.subject, subjectId: row.id }),
  );
}

/** Changes the fields sent, at the version in `If-Match`, with its audit event. */
export async function updateItem<Row extends { id: string; version: number }, Out, C, U>(
  ctx: PlanContext,
  c: ItemCollection<Row, Out, C, U>,
  itemId: string,
  body: U,
  ifMatch: string | undefined,
): Promise<Row> {
  const row = await findReadableItem(ctx, c.section, 'update', () =>
    c.find(ctx.db, ctx.ability, ctx.planId, itemId),
  );
  const fields = Object.keys(body as object);
  await authorizeFields(
    ctx,
    { section: c.section, noun: c.noun, subject: asSubject(c.subject, row) },
    fields,
  );
  // The policies judged the version read: only that version may be written.
  const expectedVersion = requireVersion(ifMatch, row.version);
  return writeAudited(
    ctx,
    async (tx) => {
      const returned = written(
        await c.update(tx, writeContext(ctx), { id: itemId, expectedVersion }, body, row),
      );
      if (c.updateReturnsItem) return returned as Row;
      const fresh = await c.find(tx, ctx.ability, ctx.planId, itemId);
      if (!fresh) throw new NotFound();
      return fresh;
    },
    () => ({
      action: 'update',
      sections: [c.section],
      subjectType: c.subject,
      subjectId: itemId,
      details: { fields },
    }),
  );
}

/** Deletes an item (lead and co-leads) at the version in `If-Match`, with its audit event. */
export async function deleteItem<Row extends { id: string; version: number }, Out, C, U>(
  ctx: PlanContext,
  c: ItemCollection<Row, Out, C, U>,
  itemId: string,
  ifMatch: string | undefined,
): Promise<void> {
  const row = await findReadableItem(ctx, c.section, 'delete', () =>
    c.find(ctx.db, ctx.ability, ctx.planId, itemId),
  );
  if (!ctx.ability.can('delete', asSubject(c.subject, row)))
    await refuse(ctx, {
      action: 'delete',
      sections: [c.section],
      detail: `Only the lead and co-leads delete ${c.noun}s.`,
    });
  const expectedVersion = requireVersion(ifMatch, row.version);
  await writeAudited(
    ctx,
    async (tx) => {
      await c.beforeDelete?.(tx, writeContext(ctx), row);
      written(await deleteSectionItem(tx, c.subject, { planId: ctx.planId, id: itemId, expectedVersion }));
    },
    () => ({ action: 'delete', sections: [c.section], subjectType: c.subject, subjectId: itemId }),
  );
}

/**
 * One decision of a meeting becomes an action with an owner (issue 14, part 4): the lead or a
 * co-lead, in one transaction with its audit event; the action keeps the meeting and the
 * decision's words. The decision must be one the meeting holds (422 otherwise).
 */
export async function createActionFromDecision(
  ctx: PlanContext,
  meetingId: string,
  body: z.infer<typeof ActionFromDecisionSchema>,
): Promise<ActionRow> {
  const meeting = await findReadableItem(ctx, 'meetings', 'create', () =>
    findMeeting(ctx.db, ctx.ability, ctx.planId, meetingId),
  );
  if (!ctx.ability.can('create', asSubject('Action', { planId: ctx.planId })))
    await refuse(ctx, {
      action: 'create',
      sections: ['actions'],
      detail: 'Only the lead and co-leads make actions from the decisions of a meeting.',
    });
  if (!meeting.decisions.includes(body.decision))
    throw new Unprocessable(
      'unknown-decision',
      'Unknown decision',
      'The decision must be written in the decisions of this meeting.',
    );
  return writeAudited(
    ctx,
    async (tx) => {
      await assertGoals(tx, ctx.planId, [body.goalId]);
      await assertMembers(tx, ctx.planId, [body.ownerMemberId], 'The owner of an action', {
        currentOnly: true,
      });
      const row = await insertAction(tx, writeContext(ctx), {
        title: body.title,
        ownerMemberId: body.ownerMemberId,
        goalId: body.goalId ?? null,
        dueOn: body.dueOn ?? null,
        meetingId: meeting.id,
        decision: body.decision,
      });
      const action = await findAction(tx, ctx.ability, ctx.planId, row.id);
      if (!action) throw new NotFound();
      return action;
    },
    (action) => ({
      action: 'create',
      sections: ['actions'],
      subjectType: 'Action',
      subjectId: action.id,
      details: { meetingId: meeting.id },
    }),
  );
}
