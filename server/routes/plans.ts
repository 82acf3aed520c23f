import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { findMemberUser, loadPlanFacts, memberExists } from '../../db/queries/plan-access.ts';
import { asSubject, defineAbilityFor, readableSections, type Section } from '../../policies/index.ts';
import { Forbidden, NotFound } from '../errors.ts';
import { ProblemSchema } from '../schemas/common.ts';
import {
  PlanListQuerySchema,
  PlanListSchema,
  PlanOverviewSchema,
  PlanParamsSchema,
  PreviewQuerySchema,
  PreviewSchema,
  SECTION_CONTENT_SCHEMAS,
} from '../schemas/plans.ts';
import { auditRead, auditRefusal } from '../services/audit.ts';
import { setEtag } from '../services/versioning.ts';
import { openPlan } from '../services/plan-access.ts';
import { listVisiblePlans } from '../services/plan-list.ts';
import { buildPlanOverview, readSectionResponse } from '../services/plan-view.ts';

/** The path of each section's own GET route under /api/plans/:planId. */
export const SECTION_PATHS = {
  network: 'members',
  request: 'request',
  goals: 'goals',
  actions: 'actions',
  agreements: 'agreements',
  crisis: 'crisis',
  background: 'background',
  meetings: 'meetings',
  evaluations: 'evaluations',
  closure: 'closure',
} as const satisfies Record<Section, string>;

const errors = { 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

const planRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('onSend', async (_request, reply) => {
    // Plan content must never be kept by a browser or a proxy.
    reply.header('cache-control', 'no-store');
  });

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
    async (request) => {
      const { facts, ability } = await openPlan(app.db, request.user, request.params.planId);
      const { overview, sectionsRead } = await buildPlanOverview(app.db, request.user, facts, ability);
      await auditRead(app.db, request.user, facts, sectionsRead);
      return overview;
    },
  );

  for (const [section, path] of Object.entries(SECTION_PATHS) as Array<[Section, string]>) {
    app.get(
      `/plans/:planId/${path}`,
      {
        schema: {
          tags: ['plans'],
          summary: `The ${section} section of a plan`,
          params: PlanParamsSchema,
          response: { 200: SECTION_CONTENT_SCHEMAS[section], ...errors },
        },
      },
      async (request, reply) => {
        const { facts, ability } = await openPlan(app.db, request.user, request.params.planId);
        if (!readableSections(request.user, facts).includes(section)) {
          await auditRefusal(app.db, request.user, facts.planId, 'read', [section]);
          throw new Forbidden('This part of the plan is not shared with you.');
        }
        const content = await readSectionResponse(app.db, ability, facts.planId, section);
        await auditRead(app.db, request.user, facts, [section]);
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
    async (request) => {
      const { planId } = request.params;
      const { memberId } = request.query;
      const { facts, ability } = await openPlan(app.db, request.user, planId);
      if (!ability.can('preview', asSubject('Plan', { id: planId }))) {
        await auditRefusal(app.db, request.user, planId, 'preview');
        throw new Forbidden('Only the lead and the client can see what a member sees.');
      }
      if (!(await memberExists(app.db, planId, memberId)))
        throw new NotFound('This member is not in this plan.');
      const memberUser = await findMemberUser(app.db, planId, memberId);
      const memberFacts = memberUser && (await loadPlanFacts(app.db, memberUser.id, planId));
      // The member's own read path: their facts, their ability, the same overview code.
      const memberAbility = memberUser && memberFacts && defineAbilityFor(memberUser, [memberFacts]);
      if (!memberUser || !memberFacts || !memberAbility?.can('read', asSubject('Plan', { id: planId }))) {
        return { memberId, seesPlan: false, overview: null };
      }
      const { overview, sectionsRead } = await buildPlanOverview(
        app.db,
        memberUser,
        memberFacts,
        memberAbility,
      );
      await auditRead(app.db, request.user, facts, sectionsRead, 'preview');
      return { memberId, seesPlan: true, overview };
    },
  );
};

export default planRoutes;
