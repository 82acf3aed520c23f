import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { appendAuditEvent } from '../../db/queries/audit.ts';
import {
  closePlan,
  endGrants,
  findPhaseRequirements,
  findPlanState,
  auditEndedGrants,
  insertPlanWithClient,
  updatePlanPhase,
} from '../../db/queries/plan-writes.ts';
import { findPlanSummary } from '../../db/queries/plans.ts';
import {
  asSubject,
  defineAbilityFor,
  roleInPlan,
  type AppAbility,
  type Phase,
  type PlanFacts,
  type PolicyUser,
} from '../../policies/index.ts';
import { Conflict, Forbidden, NotFound, PreconditionFailed, Unprocessable } from '../errors.ts';
import { ProblemSchema } from '../schemas/common.ts';
import {
  ClosePlanSchema,
  CreatePlanSchema,
  isPhaseMoveAllowed,
  METHOD_PHASES,
  UpdatePlanSchema,
} from '../schemas/plan-lifecycle.ts';
import { PlanOverviewSchema, PlanParamsSchema, PlanSummarySchema } from '../schemas/plans.ts';
import { auditRefusal } from '../services/audit.ts';
import { openPlan } from '../services/plan-access.ts';
import { buildPlanOverview, permittedPlanFields, toPlanSummary } from '../services/plan-view.ts';
import { assertVersion, requireIfMatch, setEtag } from '../services/versioning.ts';

const DEFAULT_LEAD_RELATION = 'Lead support worker';
const CLOSED_REASON = 'plan closed';

const errors = { 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const writeErrors = { ...errors, 400: ProblemSchema, 412: ProblemSchema, 428: ProblemSchema };

/**
 * Why the method does not let a plan leave `from` yet, in plain words; null when it may.
 * Only forward steps are checked: going back one step corrects a mistake.
 */
function stepRefusal(
  from: Phase,
  has: { clarified: boolean; goals: number; actions: number },
): Unprocessable | null {
  switch (from) {
    case 'request':
      return has.clarified
        ? null
        : new Unprocessable(
            'phase-needs-clarified-question',
            'The request is not clarified yet',
            'Before setting goals, write down the clarified question in the request: what the client asks of the network.',
          );
    case 'goals':
      return has.goals > 0
        ? null
        : new Unprocessable(
            'phase-needs-goal',
            'There are no goals yet',
            'Before writing the plan of approach, set at least one goal with the client.',
          );
    case 'approach':
      return has.actions > 0
        ? null
        : new Unprocessable(
            'phase-needs-action',
            'The plan of approach is empty',
            'Before the plan becomes active, add at least one action to the plan of approach: who does what, by when.',
          );
    case 'registration':
    case 'active':
    case 'evaluation':
    case 'closed':
      return null;
  }
}

function isForward(from: Phase, to: Phase): boolean {
  const steps = METHOD_PHASES as readonly Phase[];
  return steps.indexOf(to) > steps.indexOf(from);
}

const planLifecycleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('onSend', async (_request, reply) => {
    // Plan content must never be kept by a browser or a proxy.
    reply.header('cache-control', 'no-store');
  });

  /** The plan's summary as the user may see it, with its version as ETag. */
  async function summaryOf(user: PolicyUser, facts: PlanFacts, ability: AppAbility) {
    const row = await findPlanSummary(app.db, facts.planId);
    const role = roleInPlan(user, facts);
    if (!row || !role) throw new NotFound();
    return { row, summary: toPlanSummary(row, permittedPlanFields(ability, facts.planId), role) };
  }

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
      const user = request.user;
      const organizationId = user.organizationId;
      if (!organizationId || !defineAbilityFor(user).can('create', asSubject('Plan', { organizationId }))) {
        await appendAuditEvent(app.db, {
          planId: null,
          actorUserId: user.id,
          action: 'create',
          outcome: 'refused',
          sections: [],
          subjectType: 'Plan',
        });
        throw new Forbidden('Only support workers of an organisation register clients and open plans.');
      }
      const { client, leadRelation } = request.body;
      const created = await app.db.transaction(async (tx) => {
        const ids = await insertPlanWithClient(tx, {
          organizationId,
          leadUserId: user.id,
          leadRelation: leadRelation ?? DEFAULT_LEAD_RELATION,
          client: {
            firstName: client.firstName,
            lastName: client.lastName,
            birthDate: client.birthDate ?? null,
            phone: client.phone ?? null,
            email: client.email ?? null,
            address: client.address ?? null,
            preferredLanguage: client.preferredLanguage ?? null,
          },
        });
        await appendAuditEvent(tx, {
          planId: ids.planId,
          actorUserId: user.id,
          action: 'create',
          sections: ['network'],
          subjectType: 'Plan',
          subjectId: ids.planId,
          details: { clientId: ids.clientId, leadMemberId: ids.memberId },
        });
        return ids;
      });
      const { facts, ability } = await openPlan(app.db, user, created.planId);
      const { overview } = await buildPlanOverview(app.db, user, facts, ability);
      setEtag(reply, overview.version ?? created.version);
      reply.code(201);
      return overview;
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
      const user = request.user;
      const body = request.body;
      const { facts, ability } = await openPlan(app.db, user, request.params.planId);
      const planId = facts.planId;
      if (!ability.can('update', asSubject('Plan', { id: planId }))) {
        await auditRefusal(app.db, user, planId, 'update');
        throw new Forbidden(
          facts.closed
            ? 'This plan is closed: it can no longer be changed.'
            : 'Only the lead and co-leads move the plan along the method.',
        );
      }
      const expected = requireIfMatch(request);
      const plan = await findPlanState(app.db, planId);
      if (!plan) throw new NotFound();
      assertVersion(expected, plan.version);
      if (body.phase === 'closed') {
        throw new Unprocessable(
          'phase-close',
          'Close the plan instead',
          'A plan is closed by ending the collaboration, with a date, a reason and a handover (POST /api/plans/{planId}/close).',
        );
      }
      if (!isPhaseMoveAllowed(plan.phase, body.phase)) {
        throw new Unprocessable(
          'phase-step',
          'Not the next step of the method',
          `The plan is in the "${plan.phase}" phase. It moves one step at a time along the method (${METHOD_PHASES.join(' → ')}), or one step back to correct a mistake.`,
        );
      }
      await app.db.transaction(async (tx) => {
        if (isForward(plan.phase, body.phase)) {
          const refusal = stepRefusal(plan.phase, await findPhaseRequirements(tx, planId));
          if (refusal) throw refusal;
        }
        const row = await updatePlanPhase(tx, planId, expected, {
          phase: body.phase,
          nextEvaluationOn: body.nextEvaluationOn,
        });
        if (!row) throw (await findPlanState(tx, planId)) ? new PreconditionFailed() : new NotFound();
        await appendAuditEvent(tx, {
          planId,
          actorUserId: user.id,
          action: 'update',
          sections: [],
          subjectType: 'Plan',
          subjectId: planId,
          details: {
            from: plan.phase,
            to: row.phase,
            ...(body.nextEvaluationOn !== undefined ? { nextEvaluationOn: body.nextEvaluationOn } : {}),
          },
        });
      });
      const { row, summary } = await summaryOf(user, facts, ability);
      setEtag(reply, row.version);
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
      const user = request.user;
      const { facts, ability } = await openPlan(app.db, user, request.params.planId);
      const planId = facts.planId;
      if (!ability.can('close', asSubject('Plan', { id: planId }))) {
        const role = roleInPlan(user, facts);
        if (facts.closed && (role === 'lead' || role === 'co_lead'))
          throw new Conflict('This plan is already closed.');
        await auditRefusal(app.db, user, planId, 'close', ['closure']);
        throw new Forbidden(
          facts.closed ? 'This plan is already closed.' : 'Only the lead and co-leads end the collaboration.',
        );
      }
      const expected = requireIfMatch(request);
      const plan = await findPlanState(app.db, planId);
      if (!plan) throw new NotFound();
      assertVersion(expected, plan.version);
      const { date, reason, handover } = request.body;
      await app.db.transaction(async (tx) => {
        const closed = await closePlan(tx, {
          planId,
          expectedVersion: expected,
          closedOn: date,
          reason,
          handover,
          closedBy: user.id,
        });
        if (!closed) {
          const state = await findPlanState(tx, planId);
          if (!state) throw new NotFound();
          if (state.phase === 'closed') throw new Conflict('This plan is already closed.');
          throw new PreconditionFailed();
        }
        // Closing a plan ends all grants (DESIGN.md, "Consent lifecycle"), in this transaction.
        const ended = await endGrants(tx, {
          planId,
          revokedBy: user.id,
          reason: CLOSED_REASON,
          includeExpired: true,
        });
        await appendAuditEvent(tx, {
          planId,
          actorUserId: user.id,
          action: 'close',
          sections: ['closure'],
          subjectType: 'Plan',
          subjectId: planId,
          details: { closureId: closed.closureId, closedOn: date, endedGrants: ended.length },
        });
        await auditEndedGrants(tx, user.id, planId, ended, CLOSED_REASON);
      });
      const { row, summary } = await summaryOf(user, facts, ability);
      setEtag(reply, row.version);
      return summary;
    },
  );
};

export default planLifecycleRoutes;
