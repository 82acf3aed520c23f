import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DocumentSubject, SectionChanges } from '../../db/queries/section-writes.ts';
import { ProblemSchema } from '../../domain/schemas/common.ts';
import { PlanParamsSchema } from '../../domain/schemas/plans.ts';
import {
  ActionFromDecisionSchema,
  ActionSchema,
  AddMeetingNoteSchema,
  ContributionParamsSchema,
  CreateEvaluationContributionSchema,
  EvaluationContributionSchema,
  ItemParamsSchema,
  MeetingNoteSchema,
  UpdateEvaluationContributionSchema,
} from '../../domain/schemas/sections.ts';
import { addContribution, changeContribution } from '../services/evaluation-contributions.ts';
import {
  addMeetingNote,
  backgroundDocument,
  crisisDocument,
  putDocument,
  requestDocument,
  type PlanDocument,
} from '../services/section-documents.ts';
import {
  actionsCollection,
  agreementsCollection,
  createActionFromDecision,
  createItem,
  deleteItem,
  evaluationsCollection,
  goalsCollection,
  meetingsCollection,
  readItem,
  updateItem,
  type ItemCollection,
} from '../services/section-items.ts';
import { setEtag } from '../services/versioning.ts';

// Writes to the sections of a plan, and the GET of one item: each route is its schema and a call
// into the section services (server/services/section-items.ts, section-documents.ts).

/** The app as route plugins receive it, with zod as type provider. */
type App = Parameters<FastifyPluginAsyncZod>[0];

const readErrors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const writeErrors = {
  ...readErrors,
  409: ProblemSchema,
  412: ProblemSchema,
  422: ProblemSchema,
  428: ProblemSchema,
};

/**
 * A response schema as a generic route declares it: the type provider cannot resolve a schema's
 * type parameter, so the handler's answer is checked by the typed `toResponse` of each section.
 */
const responseOf = (schema: z.ZodType): z.ZodType<unknown> => schema;

function registerCollection<Row extends { id: string; version: number }, Out, Create, Update>(
  app: App,
  c: ItemCollection<Row, Out, Create, Update>,
): void {
  const itemPath = `/plans/:planId/${c.path}/:itemId`;
  const item = { tags: ['plans'], params: ItemParamsSchema };

  app.get(
    itemPath,
    {
      schema: {
        ...item,
        summary: `One ${c.noun} of a plan`,
        response: { 200: responseOf(c.schema), ...readErrors },
      },
    },
    async (request, reply) => {
      const row = await readItem(request.plan, c, request.params.itemId);
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
      const row = await createItem(request.plan, c, request.body as Create);
      reply.code(201).header('location', `/api/plans/${request.plan.planId}/${c.path}/${row.id}`);
      setEtag(reply, row.version);
      return c.toResponse(row);
    },
  );

  app.patch(
    itemPath,
    {
      schema: {
        ...item,
        summary: `Change a ${c.noun} (If-Match required)`,
        body: c.updateSchema,
        response: { 200: responseOf(c.schema), ...writeErrors },
      },
    },
    async (request, reply) => {
      const { itemId } = request.params;
      const row = await updateItem(
        request.plan,
        c,
        itemId,
        request.body as Update,
        request.headers['if-match'],
      );
      setEtag(reply, row.version);
      return c.toResponse(row);
    },
  );

  app.delete(
    itemPath,
    {
      schema: {
        ...item,
        summary: `Delete a ${c.noun} (If-Match required)`,
        response: { 204: z.null(), ...writeErrors },
      },
    },
    async (request, reply) => {
      await deleteItem(request.plan, c, request.params.itemId, request.headers['if-match']);
      return reply.code(204).send(null);
    },
  );
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
      const { created, row } = await putDocument(
        request.plan,
        d,
        request.body as Put,
        request.headers['if-match'],
      );
      if (created) reply.code(201);
      setEtag(reply, row.version);
      return d.toResponse(row);
    },
  );
}

const sectionRoutes: FastifyPluginAsyncZod = async (app) => {
  registerDocument(app, requestDocument);
  registerDocument(app, crisisDocument);
  registerDocument(app, backgroundDocument);

  registerCollection(app, goalsCollection);
  registerCollection(app, actionsCollection);
  registerCollection(app, agreementsCollection);
  registerCollection(app, meetingsCollection);
  registerCollection(app, evaluationsCollection);

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
      const note = await addMeetingNote(request.plan, request.params.itemId, request.body);
      return reply.code(201).send(note);
    },
  );

  app.post(
    '/plans/:planId/evaluations/:itemId/contributions',
    {
      schema: {
        tags: ['plans'],
        summary: 'Add your own rating and words to an evaluation (partners who may contribute, the client)',
        params: ItemParamsSchema,
        body: CreateEvaluationContributionSchema,
        response: { 201: EvaluationContributionSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const contribution = await addContribution(request.plan, request.params.itemId, request.body);
      setEtag(reply, contribution.version);
      return reply.code(201).send(contribution);
    },
  );

  app.patch(
    '/plans/:planId/evaluations/:itemId/contributions/:contributionId',
    {
      schema: {
        tags: ['plans'],
        summary: 'Change your own rating and words in an evaluation (If-Match required)',
        params: ContributionParamsSchema,
        body: UpdateEvaluationContributionSchema,
        response: { 200: EvaluationContributionSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const { itemId, contributionId } = request.params;
      const contribution = await changeContribution(
        request.plan,
        { evaluationId: itemId, contributionId },
        request.body,
        request.headers['if-match'],
      );
      setEtag(reply, contribution.version);
      return contribution;
    },
  );

  app.post(
    '/plans/:planId/meetings/:itemId/actions',
    {
      schema: {
        tags: ['plans'],
        summary: 'Make an action with an owner from a decision of a meeting (lead and co-leads)',
        params: ItemParamsSchema,
        body: ActionFromDecisionSchema,
        response: { 201: ActionSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const row = await createActionFromDecision(request.plan, request.params.itemId, request.body);
      reply.code(201).header('location', `/api/plans/${request.plan.planId}/actions/${row.id}`);
      setEtag(reply, row.version);
      return actionsCollection.toResponse(row);
    },
  );
};

export default sectionRoutes;
