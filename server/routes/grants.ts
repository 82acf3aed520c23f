import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProblemSchema } from '../../domain/schemas/common.ts';
import {
  CreateGrantSchema,
  GrantListSchema,
  GrantParamsSchema,
  GrantSchema,
  PlanParamsSchema,
  RevokeGrantSchema,
} from '../../domain/schemas/plans.ts';
import { listPlanGrants, recordGrants, revokeGrant } from '../services/grants.ts';

const errors = { 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

/** Consent: recorded per member and section, never edited or deleted; withdrawn by a revocation. */
const grantRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/plans/:planId/grants',
    {
      schema: {
        tags: ['consent'],
        summary: 'Consent given in this plan, current and past, with who recorded it, how and when',
        params: PlanParamsSchema,
        response: { 200: GrantListSchema, ...errors },
      },
    },
    async (request) => ({ items: await listPlanGrants(request.plan) }),
  );

  app.post(
    '/plans/:planId/grants',
    {
      schema: {
        tags: ['consent'],
        summary: 'Record consent: one member may see these sections',
        params: PlanParamsSchema,
        body: CreateGrantSchema,
        response: {
          201: GrantListSchema,
          400: ProblemSchema,
          409: ProblemSchema,
          422: ProblemSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const items = await recordGrants(request.plan, request.body);
      return reply.code(201).send({ items });
    },
  );

  app.post(
    '/plans/:planId/grants/:grantId/revoke',
    {
      schema: {
        tags: ['consent'],
        summary: 'Withdraw consent: takes effect on the very next request',
        params: GrantParamsSchema,
        body: RevokeGrantSchema,
        response: { 200: GrantSchema, 400: ProblemSchema, 409: ProblemSchema, ...errors },
      },
    },
    async (request) => revokeGrant(request.plan, request.params.grantId, request.body?.reason ?? null),
  );
};

export default grantRoutes;
