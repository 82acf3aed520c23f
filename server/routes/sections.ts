import { permittedFieldsOf } from '@casl/ability/extra';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Executor, Transaction } from '../../db/client.ts';
import { appendAuditEvent } from '../../db/queries/audit.ts';
import {
  countGoalDependents,
  countMeetingNotes,
  deleteEvaluationGoals,
  deleteMeetingParticipants,
  deleteSectionItem,
  findAction,
  findAgreement,
  findDocument,
  findEvaluation,
  findGoal,
  findGoalIds,
  findMeeting,
  findMemberIds,
  insertAction,
  insertAgreement,
  insertDocument,
  insertEvaluation,
  insertGoal,
  insertMeeting,
  insertMeetingNote,
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
  type AppAbility,
  type PlanFacts,
  type PolicyUser,
  type Section,
  type SubjectRecord,
} from '../../policies/index.ts';
import { Conflict, Forbidden, NotFound, PreconditionFailed, Unprocessable } from '../errors.ts';
import { ProblemSchema } from '../schemas/common.ts';
import {
  ActionSchema,
  AgreementSchema,
  BackgroundSchema,
  CrisisPlanSchema,
  EvaluationSchema,
  GoalSchema,
  MeetingSchema,
  PlanParamsSchema,
  PlanRequestSchema,
} from '../schemas/plans.ts';
import {
  AddMeetingNoteSchema,
  CreateActionSchema,
  CreateAgreementSchema,
  CreateEvaluationSchema,
  CreateGoalSchema,
  CreateMeetingSchema,
  ItemParamsSchema,
  MeetingNoteSchema,
  PutBackgroundSchema,
  PutCrisisPlanSchema,
  PutRequestSchema,
  UpdateActionSchema,
  UpdateAgreementSchema,
  UpdateEvaluationSchema,
  UpdateGoalSchema,
  UpdateMeetingSchema,
} from '../schemas/sections.ts';
import { auditRead, auditRefusal } from '../services/audit.ts';
import { toAction, toAgreement, toEvaluation, toGoal, toMeeting } from '../services/plan-view.ts';
import { openPlan } from '../services/plan-access.ts';
import { assertVersion, requireIfMatch, setEtag } from '../services/versioning.ts';

// Writes to the sections of a plan, and the GET of one item. Every write: the plan opened for this
// user (404 as if missing), the item read through the ability (404), the policies asked about the
// action and every field sent (403, logged), If-Match required (428) and equal to the version read
// (412), then the change and its audit event in one transaction, answered with the new ETag.

/** The app as route plugins receive it, with zod as type provider. */
type App = Parameters<FastifyPluginAsyncZod>[0];

const CLOSED = 'This plan is closed: it can be read, no longer changed.';

const readErrors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const writeErrors = {
  ...readErrors,
  409: ProblemSchema,
  412: ProblemSchema,
  422: ProblemSchema,
  428: ProblemSchema,
};

/** What a write needs to know about who writes where. */
interface WriteContext {
  planId: string;
  userId: string;
  ability: AppAbility;
}

/**
 * A response schema as a generic route declares it: the type provider cannot resolve a schema's
 * type parameter, so the handler's answer is checked by the typed `toResponse` of each section.
 */
const responseOf = (schema: z.ZodType): z.ZodType<unknown> => schema;

const iso = (value: Date) => value.toISOString();
const list = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;

// ------------------------------------------------------------------ authorization

/** Logs a refused write on something the user can see, and refuses it (403). */
async function refuse(
  db: Executor,
  user: PolicyUser,
  facts: PlanFacts,
  action: string,
  section: Section,
  detail: string,
): Promise<never> {
  await auditRefusal(db, user, facts.planId, action, [section]);
  throw new Forbidden(facts.closed ? CLOSED : detail);
}

/**
 * An item the user may read, or 404 — for an item of a section not shared with them too, exactly
 * like a missing item; that refused attempt is logged like a refused section read.
 */
async function findReadableItem<Row>(
  db: Executor,
  user: PolicyUser,
  facts: PlanFacts,
  section: Section,
  action: string,
  find: () => Promise<Row | null>,
): Promise<Row> {
  if (!readableSections(user, facts).includes(section)) {
    await auditRefusal(db, user, facts.planId, action, [section]);
    throw new NotFound();
  }
  const row = await find();
  if (!row) throw new NotFound();
  return row;
}

/**
 * Asks the policies about an update of this record and of every field sent: a partner may change
 * only `status` and `notes` of actions they own, the client only their own words.
 */
async function authorizeUpdate(
  db: Executor,
  user: PolicyUser,
  facts: PlanFacts,
  ability: AppAbility,
  target: { section: Section; noun: string; subject: SubjectRecord },
  fields: readonly string[],
): Promise<void> {
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
  await refuse(db, user, facts, 'update', target.section, detail);
}

/** An update or delete at the version read: 412 when someone else wrote first, 404 when it is gone. */
function written<Row>(result: VersionedWrite<Row>): Row {
  switch (result.outcome) {
    case 'written':
      return result.row;
    case 'stale':
      throw new PreconditionFailed();
    case 'missing':
      throw new NotFound();
  }
}

/** A reference that disappeared between our check and the write (a foreign key) is a conflict. */
async function inTransaction<T>(app: App, work: (tx: Transaction) => Promise<T>): Promise<T> {
  try {
    return await app.db.transaction(work);
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause ?? error;
    if ((cause as { code?: unknown }).code === '23503')
      throw new Conflict('Something this refers to was changed in the meantime. Reload and try again.');
    throw error;
  }
}

// ------------------------------------------------------------------ references

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

// ------------------------------------------------------------------ responses, field by field

type Goal = z.infer<typeof GoalSchema>;
type Action = z.infer<typeof ActionSchema>;
type Agreement = z.infer<typeof AgreementSchema>;
type Meeting = z.infer<typeof MeetingSchema>;
type Evaluation = z.infer<typeof EvaluationSchema>;
type MeetingRow = NonNullable<Awaited<ReturnType<typeof findMeeting>>>;
type EvaluationRow = NonNullable<Awaited<ReturnType<typeof findEvaluation>>>;

// ------------------------------------------------------------------ the items of a section

interface ItemCollection<Row extends { id: string; version: number }, Out, Create, Update> {
  section: Section;
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
  beforeDelete: (tx: Transaction, ctx: WriteContext, row: Row) => Promise<void>;
}

const goalsCollection: ItemCollection<
  SectionRow<'Goal'>,
  Goal,
  z.infer<typeof CreateGoalSchema>,
  z.infer<typeof UpdateGoalSchema>
> = {
  section: 'goals',
  path: 'goals',
  subject: 'Goal',
  noun: 'goal',
  schema: GoalSchema,
  createSchema: CreateGoalSchema,
  updateSchema: UpdateGoalSchema,
  find: findGoal,
  updateReturnsItem: true,
  toResponse: toGoal,
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
};

const actionsCollection: ItemCollection<
  SectionRow<'Action'>,
  Action,
  z.infer<typeof CreateActionSchema>,
  z.infer<typeof UpdateActionSchema>
> = {
  section: 'actions',
  path: 'actions',
  subject: 'Action',
  noun: 'action',
  schema: ActionSchema,
  createSchema: CreateActionSchema,
  updateSchema: UpdateActionSchema,
  find: findAction,
  updateReturnsItem: true,
  toResponse: toAction,
  insert: async (tx, ctx, body) => {
    await assertGoals(tx, ctx.planId, [body.goalId]);
    await assertMembers(tx, ctx.planId, [body.ownerMemberId], 'The owner of an action', {
      currentOnly: true,
    });
    return (await insertAction(tx, ctx, body)).id;
  },
  update: async (tx, ctx, params, body, row) => {
    await assertGoals(tx, ctx.planId, [body.goalId]);
    await assertMembers(
      tx,
      ctx.planId,
      [changed(body.ownerMemberId, row.ownerMemberId)],
      'The owner of an action',
      { currentOnly: true },
    );
    return updateSectionItem(tx, 'Action', { ...ctx, ...params }, body);
  },
  beforeDelete: async () => {},
};

const agreementsCollection: ItemCollection<
  SectionRow<'Agreement'>,
  Agreement,
  z.infer<typeof CreateAgreementSchema>,
  z.infer<typeof UpdateAgreementSchema>
> = {
  section: 'agreements',
  path: 'agreements',
  subject: 'Agreement',
  noun: 'agreement',
  schema: AgreementSchema,
  createSchema: CreateAgreementSchema,
  updateSchema: UpdateAgreementSchema,
  find: findAgreement,
  updateReturnsItem: true,
  toResponse: toAgreement,
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
  beforeDelete: async () => {},
};

const meetingsCollection: ItemCollection<
  MeetingRow,
  Meeting,
  z.infer<typeof CreateMeetingSchema>,
  z.infer<typeof UpdateMeetingSchema>
> = {
  section: 'meetings',
  path: 'meetings',
  subject: 'Meeting',
  noun: 'meeting',
  schema: MeetingSchema,
  createSchema: CreateMeetingSchema,
  updateSchema: UpdateMeetingSchema,
  find: findMeeting,
  updateReturnsItem: false,
  toResponse: toMeeting,
  insert: async (tx, ctx, { participantMemberIds = [], heldAt, ...values }) => {
    await assertMembers(tx, ctx.planId, participantMemberIds, 'Every participant', { currentOnly: false });
    const row = await insertMeeting(tx, ctx, { ...values, heldAt: new Date(heldAt) });
    await replaceMeetingParticipants(tx, { planId: ctx.planId, meetingId: row.id }, participantMemberIds);
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
    return result;
  },
  beforeDelete: async (tx, ctx, row) => {
    const notes = await countMeetingNotes(tx, ctx.planId, row.id);
    if (notes > 0)
      throw new Conflict(
        `${notes} note${notes === 1 ? ' was' : 's were'} added to this meeting by the people who took part; it is part of the plan's history and cannot be deleted.`,
      );
    await deleteMeetingParticipants(tx, { planId: ctx.planId, meetingId: row.id });
  },
};

const evaluationsCollection: ItemCollection<
  EvaluationRow,
  Evaluation,
  z.infer<typeof CreateEvaluationSchema>,
  z.infer<typeof UpdateEvaluationSchema>
> = {
  section: 'evaluations',
  path: 'evaluations',
  subject: 'Evaluation',
  noun: 'evaluation',
  schema: EvaluationSchema,
  createSchema: CreateEvaluationSchema,
  updateSchema: UpdateEvaluationSchema,
  find: findEvaluation,
  updateReturnsItem: false,
  toResponse: toEvaluation,
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
    await deleteEvaluationGoals(tx, { planId: ctx.planId, evaluationId: row.id });
  },
};

function registerCollection<Row extends { id: string; version: number }, Out, Create, Update>(
  app: App,
  c: ItemCollection<Row, Out, Create, Update>,
): void {
  const itemPath = `/plans/:planId/${c.path}/:itemId`;

  app.get(
    itemPath,
    {
      schema: {
        tags: ['plans'],
        summary: `One ${c.noun} of a plan`,
        params: ItemParamsSchema,
        response: { 200: responseOf(c.schema), ...readErrors },
      },
    },
    async (request, reply) => {
      const { planId, itemId } = request.params;
      const { facts, ability } = await openPlan(app.db, request.user, planId);
      const row = await findReadableItem(app.db, request.user, facts, c.section, 'read', () =>
        c.find(app.db, ability, facts.planId, itemId),
      );
      await auditRead(app.db, request.user, facts, [c.section]);
      setEtag(reply, row.version);
      return c.toResponse(row);
    },
  );

  app.post(
    `/plans/:planId/${c.path}`,
    {
      schema: {
        tags: ['plans'],
        summary: `Add a ${c.noun} to a plan`,
        params: PlanParamsSchema,
        body: c.createSchema,
        response: { 201: responseOf(c.schema), ...writeErrors },
      },
    },
    async (request, reply) => {
      const user = request.user;
      const { facts, ability } = await openPlan(app.db, user, request.params.planId);
      const planId = facts.planId;
      if (!ability.can('create', asSubject(c.subject, { planId }))) {
        await refuse(app.db, user, facts, 'create', c.section, `Only the lead and co-leads add ${c.noun}s.`);
      }
      const ctx = { planId, userId: user.id, ability };
      const created = await inTransaction(app, async (tx) => {
        const id = await c.insert(tx, ctx, request.body as Create);
        await appendAuditEvent(tx, {
          planId,
          actorUserId: user.id,
          action: 'create',
          sections: [c.section],
          subjectType: c.subject,
          subjectId: id,
        });
        const row = await c.find(tx, ability, planId, id);
        if (!row) throw new NotFound();
        return row;
      });
      reply.code(201).header('location', `/api/plans/${planId}/${c.path}/${created.id}`);
      setEtag(reply, created.version);
      return c.toResponse(created);
    },
  );

  app.patch(
    itemPath,
    {
      schema: {
        tags: ['plans'],
        summary: `Change a ${c.noun} (If-Match required)`,
        params: ItemParamsSchema,
        body: c.updateSchema,
        response: { 200: responseOf(c.schema), ...writeErrors },
      },
    },
    async (request, reply) => {
      const user = request.user;
      const body = request.body as Update;
      const { facts, ability } = await openPlan(app.db, user, request.params.planId);
      const planId = facts.planId;
      const id = request.params.itemId;
      const row = await findReadableItem(app.db, user, facts, c.section, 'update', () =>
        c.find(app.db, ability, planId, id),
      );
      const fields = Object.keys(body as object);
      await authorizeUpdate(
        app.db,
        user,
        facts,
        ability,
        { section: c.section, noun: c.noun, subject: asSubject(c.subject, row) },
        fields,
      );
      const expectedVersion = requireIfMatch(request);
      // The policies judged the version read: only that version may be written.
      assertVersion(expectedVersion, row.version);
      const ctx = { planId, userId: user.id, ability };
      const updated = await inTransaction(app, async (tx) => {
        const returned = written(await c.update(tx, ctx, { id, expectedVersion }, body, row));
        await appendAuditEvent(tx, {
          planId,
          actorUserId: user.id,
          action: 'update',
          sections: [c.section],
          subjectType: c.subject,
          subjectId: id,
          details: { fields },
        });
        if (c.updateReturnsItem) return returned as Row;
        const fresh = await c.find(tx, ability, planId, id);
        if (!fresh) throw new NotFound();
        return fresh;
      });
      setEtag(reply, updated.version);
      return c.toResponse(updated);
    },
  );

  app.delete(
    itemPath,
    {
      schema: {
        tags: ['plans'],
        summary: `Delete a ${c.noun} (If-Match required)`,
        params: ItemParamsSchema,
        response: { 204: z.null(), ...writeErrors },
      },
    },
    async (request, reply) => {
      const user = request.user;
      const { facts, ability } = await openPlan(app.db, user, request.params.planId);
      const planId = facts.planId;
      const id = request.params.itemId;
      const row = await findReadableItem(app.db, user, facts, c.section, 'delete', () =>
        c.find(app.db, ability, planId, id),
      );
      if (!ability.can('delete', asSubject(c.subject, row))) {
        await refuse(
          app.db,
          user,
          facts,
          'delete',
          c.section,
          `Only the lead and co-leads delete ${c.noun}s.`,
        );
      }
      const expectedVersion = requireIfMatch(request);
      assertVersion(expectedVersion, row.version);
      const ctx = { planId, userId: user.id, ability };
      await inTransaction(app, async (tx) => {
        await c.beforeDelete(tx, ctx, row);
        written(await deleteSectionItem(tx, c.subject, { planId, id, expectedVersion }));
        await appendAuditEvent(tx, {
          planId,
          actorUserId: user.id,
          action: 'delete',
          sections: [c.section],
          subjectType: c.subject,
          subjectId: id,
        });
      });
      return reply.code(204).send(null);
    },
  );
}

// ------------------------------------------------------------------ one document per plan

interface PlanDocument<S extends DocumentSubject, Out, Put> {
  section: Section;
  path: string;
  subject: S;
  noun: string;
  schema: z.ZodType<Out>;
  putSchema: z.ZodType<Put>;
  toResponse: (row: SectionRow<S>) => Out;
}

function registerDocument<S extends DocumentSubject, Out, Put extends SectionChanges<S>>(
  app: App,
  d: PlanDocument<S, Out, Put>,
): void {
  app.put(
    `/plans/:planId/${d.path}`,
    {
      schema: {
        tags: ['plans'],
        summary: `Create the ${d.noun}, or change the fields sent (If-Match required once it exists)`,
        params: PlanParamsSchema,
        body: d.putSchema,
        response: { 200: responseOf(d.schema), 201: responseOf(d.schema), ...writeErrors },
      },
    },
    async (request, reply) => {
      const user = request.user;
      const body = request.body as Put;
      const { facts, ability } = await openPlan(app.db, user, request.params.planId);
      const planId = facts.planId;
      const fields = Object.keys(body);
      if (!ability.can('create', d.subject) && !ability.can('update', d.subject)) {
        await refuse(
          app.db,
          user,
          facts,
          'update',
          d.section,
          `Only the lead and co-leads write the ${d.noun}.`,
        );
      }
      const existing = await findDocument(app.db, ability, planId, d.subject);
      const audit = (tx: Transaction, action: 'create' | 'update', subjectId: string) =>
        appendAuditEvent(tx, {
          planId,
          actorUserId: user.id,
          action,
          sections: [d.section],
          subjectType: d.subject,
          subjectId,
          details: { fields },
        });

      if (!existing) {
        if (!ability.can('create', asSubject(d.subject, { planId }))) {
          await refuse(
            app.db,
            user,
            facts,
            'create',
            d.section,
            `Only the lead and co-leads write the ${d.noun}.`,
          );
        }
        // A precondition on a document that does not exist cannot hold (RFC 9110, If-Match).
        if (request.headers['if-match'] !== undefined) throw new PreconditionFailed();
        const created = await inTransaction(app, async (tx) => {
          const row = await insertDocument(tx, d.subject, { planId, userId: user.id }, body);
          // Someone else created it in the meantime: their version must be read first.
          if (!row) throw new PreconditionFailed();
          await audit(tx, 'create', row.id);
          return row;
        });
        reply.code(201);
        setEtag(reply, created.version);
        return d.toResponse(created);
      }

      await authorizeUpdate(
        app.db,
        user,
        facts,
        ability,
        { section: d.section, noun: d.noun, subject: asSubject(d.subject, existing) },
        fields,
      );
      const expectedVersion = requireIfMatch(request);
      assertVersion(expectedVersion, existing.version);
      const updated = await inTransaction(app, async (tx) => {
        const row = written(
          await updateSectionItem(
            tx,
            d.subject,
            { planId, id: existing.id, expectedVersion, userId: user.id },
            body,
          ),
        );
        await audit(tx, 'update', existing.id);
        return row;
      });
      setEtag(reply, updated.version);
      return d.toResponse(updated);
    },
  );
}

// ------------------------------------------------------------------ meeting notes

function registerMeetingNotes(app: App): void {
  app.post(
    '/plans/:planId/meetings/:itemId/notes',
    {
      schema: {
        tags: ['plans'],
        summary: 'Add a note to a meeting you took part in',
        params: ItemParamsSchema,
        body: AddMeetingNoteSchema,
        response: { 201: MeetingNoteSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const user = request.user;
      const { facts, ability } = await openPlan(app.db, user, request.params.planId);
      const planId = facts.planId;
      const meeting = await findMeeting(app.db, ability, planId, request.params.itemId);
      if (!meeting) throw new NotFound();
      const note = asSubject('MeetingNote', { planId, participantMemberIds: meeting.participantMemberIds });
      if (!ability.can('create', note)) {
        await refuse(
          app.db,
          user,
          facts,
          'create',
          'meetings',
          ability.can('create', 'MeetingNote')
            ? 'You can add notes only to meetings you took part in.'
            : 'Adding notes to meetings needs the client’s consent to contribute to meetings.',
        );
      }
      const created = await inTransaction(app, async (tx) => {
        const row = await insertMeetingNote(tx, {
          planId,
          meetingId: meeting.id,
          authorUserId: user.id,
          body: request.body.body,
        });
        await appendAuditEvent(tx, {
          planId,
          actorUserId: user.id,
          action: 'create',
          sections: ['meetings'],
          subjectType: 'MeetingNote',
          subjectId: row.id,
          details: { meetingId: meeting.id },
        });
        return row;
      });
      reply.code(201);
      return {
        id: created.id,
        body: created.body,
        authorName: created.authorName,
        createdAt: iso(created.createdAt),
      };
    },
  );
}

const sectionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('onSend', async (_request, reply) => {
    // Plan content must never be kept by a browser or a proxy.
    reply.header('cache-control', 'no-store');
  });

  registerDocument(app, {
    section: 'request',
    path: 'request',
    subject: 'PlanRequest',
    noun: 'request',
    schema: PlanRequestSchema,
    putSchema: PutRequestSchema,
    toResponse: (r) => ({
      clientWords: r.clientWords,
      clarifiedQuestion: r.clarifiedQuestion,
      version: r.version,
    }),
  });
  registerDocument(app, {
    section: 'crisis',
    path: 'crisis',
    subject: 'CrisisPlan',
    noun: 'crisis plan',
    schema: CrisisPlanSchema,
    putSchema: PutCrisisPlanSchema,
    toResponse: (r) => ({
      earlySigns: r.earlySigns,
      whatHelps: r.whatHelps,
      whomToCall: r.whomToCall,
      version: r.version,
    }),
  });
  registerDocument(app, {
    section: 'background',
    path: 'background',
    subject: 'Background',
    noun: 'background',
    schema: BackgroundSchema,
    putSchema: PutBackgroundSchema,
    toResponse: (r) => ({
      situation: r.situation,
      health: r.health,
      diagnoses: r.diagnoses,
      justice: r.justice,
      finances: r.finances,
      version: r.version,
    }),
  });

  registerCollection(app, goalsCollection);
  registerCollection(app, actionsCollection);
  registerCollection(app, agreementsCollection);
  registerCollection(app, meetingsCollection);
  registerCollection(app, evaluationsCollection);
  registerMeetingNotes(app);
};

export default sectionRoutes;
