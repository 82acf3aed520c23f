import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SECTION_PATHS, SECTIONS } from '../../domain/sections.ts';
import { ProblemSchema } from '../../domain/schemas/common.ts';
import {
  AccessLogAnswerSchema,
  AccessLogQuerySchema,
  PlanListQuerySchema,
  PlanListSchema,
  PlanOverviewSchema,
  PlanParamsSchema,
  PreviewQuerySchema,
  PreviewSchema,
} from '../../domain/schemas/plans.ts';
import { SECTION_CONTENT_SCHEMAS } from '../../domain/schemas/sections.ts';
import { listVisiblePlans } from '../services/plan-list.ts';
import { previewForMember, readAccessLog, readOverview, readPlanSection } from '../services/plan-reads.ts';
import { setEtag } from '../services/versioning.ts';

const errors = { 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

/** Reading plans: the list, one plan, one section, "see what they see" and the access log. */
const planRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/plans',
    {
      schema: {
        tags: ['plans'],
        summary: 'The plans I lead or co-lead, the plans shared with me, or my own plan',
        querystring: PlanListQuerySchema,
        response: { 200: PlanListSchema, 400: ProblemSchema, 401: ProblemSchema },
      },
    },
    async (request) => listVisiblePlans(app.db, request.user, request.query),
  );

  app.get(
    '/plans/:planId',
    {
      schema: {
        tags: ['plans'],
        summary: 'A plan: every section with its content, or withheld',
        params: PlanParamsSchema,
        response: { 200: PlanOverviewSchema, ...errors },
      },
    },
    async (request) => readOverview(request.plan),
  );

  for (const section of SECTIONS) {
    app.get(
      `/plans/:planId/${SECTION_PATHS[section]}`,
      {
        schema: {
          tags: ['plans'],
          summary: `The ${section} section of a plan`,
          params: PlanParamsSchema,
          response: { 200: SECTION_CONTENT_SCHEMAS[section], ...errors },
        },
      },
      async (request, reply) => {
        const content = await readPlanSection(request.plan, section);
        // One-document sections (request, crisis, background, closure) carry their version as ETag.
        if (content && !Array.isArray(content)) setEtag(reply, content.version);
        return content;
      },
    );
  }

  app.get(
    '/plans/:planId/preview',
    {
      schema: {
        tags: ['consent'],
        summary: 'See what they see: exactly what one member gets now',
        params: PlanParamsSchema,
        querystring: PreviewQuerySchema,
        response: { 200: PreviewSchema, 400: ProblemSchema, ...errors },
      },
    },
    async (request) => previewForMember(request.plan, request.query.memberId),
  );

  app.get(
    '/plans/:planId/access-log',
    {
      schema: {
        tags: ['consent'],
        summary: 'Who looked at the plan and what they did, newest first',
        params: PlanParamsSchema,
        querystring: AccessLogQuerySchema,
        response: { 200: AccessLogAnswerSchema, 400: ProblemSchema, ...errors },
      },
    },
    async (request) => readAccessLog(request.plan, request.query),
  );
};

export default planRoutes;
