import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProblemSchema } from '../../domain/schemas/common.ts';
import {
  ClosePlanSchema,
  CreatePlanSchema,
  UpdateClientSchema,
  UpdatePlanSchema,
} from '../../domain/schemas/plan-lifecycle.ts';
import { PlanOverviewSchema, PlanParamsSchema, PlanSummarySchema } from '../../domain/schemas/plans.ts';
import {
  HandoverRecordSchema,
  HandoverSchema,
  RegisterAgainSchema,
  ReopenPlanSchema,
} from '../../domain/schemas/continuity.ts';
import { handOverPlan, registerAgain, reopenPlan } from '../services/continuity.ts';
import { changeClientDetails, closePlan, movePlan, openNewPlan } from '../services/plans.ts';
import { setEtag } from '../services/versioning.ts';

const errors = { 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const writeErrors = { ...errors, 400: ProblemSchema, 412: ProblemSchema, 428: ProblemSchema };

/** A plan's life along the method: registration, phase steps, the end of the collaboration. */
const planLifecycleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/plans',
    {
      schema: {
        tags: ['plans'],
        summary: 'Register a client and open their plan (phase "registration")',
        body: CreatePlanSchema,
        response: { 201: PlanOverviewSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { overview, version } = await openNewPlan(request.context, request.body);
      setEtag(reply, version);
      return reply.code(201).send(overview);
    },
  );

  app.patch(
    '/plans/:planId',
    {
      schema: {
        tags: ['plans'],
        summary: 'Move the plan along the method (one step forward, or one back), set the next evaluation',
        params: PlanParamsSchema,
        body: UpdatePlanSchema,
        response: { 200: PlanSummarySchema, ...writeErrors, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const summary = await movePlan(request.plan, request.body, request.headers['if-match']);
      if (summary.version !== undefined) setEtag(reply, summary.version);
      return summary;
    },
  );

  app.patch(
    '/plans/:planId/client',
    {
      schema: {
        tags: ['plans'],
        summary:
          'Correct the client’s registration details (lead and co-leads); If-Match: the client’s version',
        params: PlanParamsSchema,
        body: UpdateClientSchema,
        response: { 200: PlanSummarySchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const summary = await changeClientDetails(request.plan, request.body, request.headers['if-match']);
      if (summary.client.version !== undefined) setEtag(reply, summary.client.version);
      return summary;
    },
  );

  app.post(
    '/plans/:planId/close',
    {
      schema: {
        tags: ['plans'],
        summary: 'End the collaboration: the plan becomes read-only and every consent ends',
        params: PlanParamsSchema,
        body: ClosePlanSchema,
        response: { 200: PlanSummarySchema, ...writeErrors, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const summary = await closePlan(request.plan, request.body, request.headers['if-match']);
      if (summary.version !== undefined) setEtag(reply, summary.version);
      return summary;
    },
  );

  app.post(
    '/plans/:planId/handover',
    {
      schema: {
        tags: ['plans'],
        summary:
          'Hand the lead role over to a colleague of your organisation, with the client’s consent (If-Match: the plan’s version)',
        params: PlanParamsSchema,
        body: HandoverSchema,
        response: { 200: HandoverRecordSchema, ...writeErrors, 422: ProblemSchema },
      },
    },
    (request) => handOverPlan(request.plan, request.body, request.headers['if-match']),
  );

  app.post(
    '/plans/:planId/reopen',
    {
      schema: {
        tags: ['plans'],
        summary:
          'Open a closed plan again for a new cycle: back to registration, earlier consent stays ended (If-Match)',
        params: PlanParamsSchema,
        body: ReopenPlanSchema,
        response: { 200: PlanSummarySchema, ...writeErrors, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const summary = await reopenPlan(request.plan, request.body, request.headers['if-match']);
      if (summary.version !== undefined) setEtag(reply, summary.version);
      return summary;
    },
  );

  app.post(
    '/plans/:planId/register-again',
    {
      schema: {
        tags: ['plans'],
        summary:
          'Register the client of a closed plan again: a new plan for the same client, linked to the earlier one, which stays closed',
        params: PlanParamsSchema,
        body: RegisterAgainSchema,
        response: { 201: PlanOverviewSchema, ...writeErrors, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { overview, version } = await registerAgain(request.plan, request.body);
      setEtag(reply, version);
      return reply.code(201).header('location', `/api/plans/${overview.id}`).send(overview);
    },
  );
};

export default planLifecycleRoutes;
