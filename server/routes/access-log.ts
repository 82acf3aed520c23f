import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listAccessLog } from '../../db/queries/audit.ts';
import { asSubject } from '../../policies/index.ts';
import { Forbidden } from '../errors.ts';
import { ProblemSchema } from '../schemas/common.ts';
import { AccessLogQuerySchema, AccessLogSchema, PlanParamsSchema } from '../schemas/plans.ts';
import { auditRefusal } from '../services/audit.ts';
import { openPlan } from '../services/plan-access.ts';

const accessLogRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/plans/:planId/access-log',
    {
      schema: {
        tags: ['consent'],
        summary: 'Who looked at the plan and what they did, newest first',
        params: PlanParamsSchema,
        querystring: AccessLogQuerySchema,
        response: {
          200: AccessLogSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const { facts, ability } = await openPlan(app.db, request.user, request.params.planId);
      if (!ability.can('read', asSubject('AccessLog', { planId: facts.planId }))) {
        await auditRefusal(app.db, request.user, facts.planId, 'read');
        throw new Forbidden('Only the client and the lead see who looked at this plan.');
      }
      const page = await listAccessLog(app.db, facts.planId, {
        limit: request.query.limit,
        before: request.query.cursor ?? null,
      });
      reply.header('cache-control', 'no-store');
      return {
        items: page.items.map((item) => ({ ...item, at: item.at.toISOString() })),
        nextCursor: page.nextCursor,
      };
    },
  );
};

export default accessLogRoutes;
