import type { z } from 'zod';
import type { Locale } from '../../domain/vocabularies.ts';
import {
  auditEndedGrants,
  closePlan as closePlanRow,
  endGrants,
  findPhaseRequirements,
  findPlanClient,
  findPlanState,
  insertPlanWithClient,
  updatePlanClient,
  updatePlanPhase,
} from '../../db/queries/plan-writes.ts';
import { appendAuditEvent } from '../../db/queries/audit.ts';
import { loadPlanFacts } from '../../db/queries/plan-access.ts';
import { findPlanSummary } from '../../db/queries/plans.ts';
import { asSubject, defineAbilityFor, roleInPlan, type Phase } from '../../policies/index.ts';
import { Conflict, Forbidden, NotFound, PreconditionFailed, Unprocessable } from '../errors.ts';
import {
  isPhaseMoveAllowed,
  METHOD_PHASES,
  type ClosePlanSchema,
  type CreatePlanSchema,
  type UpdateClientSchema,
  type UpdatePlanSchema,
} from '../../domain/schemas/plan-lifecycle.ts';
import { writeAudited } from './audited-write.ts';
import { notifyAccessEnded } from './notifications.ts';
import type { PlanContext, UserContext } from './context.ts';
import { buildPlanOverview, permittedPlanFields, toPlanSummary } from './plan-view.ts';
import { authorize } from './refusals.ts';
import { requireVersion } from './versioning.ts';

/**
 * How the lead appears on the network map when they say nothing else, in their own language: it
 * is stored as text, and every member of the network reads it (a Dutch map said "Lead support
 * worker").
 */
export const DEFAULT_LEAD_RELATION: Record<Locale, string> = {
  nl: 'Referentiebegeleider',
  fr: 'Accompagnateur de référence',
  en: 'Lead support worker',
};
const CLOSED_REASON = 'plan closed';

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

/** The plan's summary as the user may see it now. */
export async function planSummary(ctx: PlanContext) {
  const row = await findPlanSummary(ctx.db, ctx.planId);
  const role = roleInPlan(ctx.user, ctx.facts);
  if (!row || !role) throw new NotFound();
  return toPlanSummary(row, permittedPlanFields(ctx.ability, ctx.planId), role);
}

/** Registers a client and opens their plan, led by the user (support workers of an organisation). */
export async function openNewPlan(ctx: UserContext, body: z.infer<typeof CreatePlanSchema>) {
  const { user } = ctx;
  const organizationId = user.organizationId;
  if (!organizationId || !ctx.ability.can('create', asSubject('Plan', { organizationId }))) {
    await appendAuditEvent(ctx.db, {
      planId: null,
      actorUserId: user.id,
      action: 'create',
      outcome: 'refused',
      sections: [],
      subjectType: 'Plan',
    });
    throw new Forbidden('Only support workers of an organisation register clients and open plans.');
  }
  const { client, leadRelation, request } = body;
  const created = await writeAudited(
    ctx,
    (tx) =>
      insertPlanWithClient(tx, {
        organizationId,
        leadUserId: user.id,
        leadRelation: leadRelation ?? DEFAULT_LEAD_RELATION[user.locale],
        clientWords: request?.clientWords ?? '',
        client: {
          firstName: client.firstName,
          lastName: client.lastName,
          birthDate: client.birthDate ?? null,
          phone: client.phone ?? null,
          email: client.email ?? null,
          address: client.address ?? null,
          preferredLanguage: client.preferredLanguage ?? null,
          needsInterpreter: client.needsInterpreter ?? false,
        },
      }),
    (ids) => ({
      planId: ids.planId,
      action: 'create',
      sections: request ? ['network', 'request'] : ['network'],
      subjectType: 'Plan',
      subjectId: ids.planId,
      details: { clientId: ids.clientId, leadMemberId: ids.memberId },
    }),
  );
  return overviewOfNewPlan(ctx, created.planId);
}

/** A new plan's first answer, read the way every later one is: through the lead's facts. */
export async function overviewOfNewPlan(ctx: UserContext, planId: string) {
  const facts = await loadPlanFacts(ctx.db, ctx.user.id, planId);
  if (!facts) throw new NotFound();
  const { overview } = await buildPlanOverview(ctx.db, ctx.user, facts, defineAbilityFor(ctx.user, [facts]));
  if (overview.version === undefined) throw new Error('the lead of a new plan reads its version');
  return { overview, version: overview.version };
}

/** Moves the plan one step along the method (or one back), and/or sets the next evaluation. */
export async function movePlan(
  ctx: PlanContext,
  body: z.infer<typeof UpdatePlanSchema>,
  ifMatch: string | undefined,
) {
  const { planId } = ctx;
  await authorize(ctx, 'update', asSubject('Plan', { id: planId }), {
    detail: 'Only the lead and co-leads move the plan along the method.',
    whenClosed: 'This plan is closed: it can no longer be changed.',
  });
  const plan = await findPlanState(ctx.db, planId);
  if (!plan) throw new NotFound();
  const expected = requireVersion(ifMatch, plan.version);
  if (body.phase === 'closed')
    throw new Unprocessable(
      'phase-close',
      'Close the plan instead',
      'A plan is closed by ending the collaboration, with a date, a reason and a handover (POST /api/plans/{planId}/close).',
    );
  if (!isPhaseMoveAllowed(plan.phase, body.phase))
    throw new Unprocessable(
      'phase-step',
      'Not the next step of the method',
      `The plan is in the "${plan.phase}" phase. It moves one step at a time along the method (${METHOD_PHASES.join(' → ')}), or one step back to correct a mistake.`,
    );
  await writeAudited(
    ctx,
    async (tx) => {
      if (isForward(plan.phase, body.phase)) {
        const refusal = stepRefusal(plan.phase, await findPhaseRequirements(tx, planId));
        if (refusal) throw refusal;
      }
      const row = await updatePlanPhase(tx, planId, expected, {
        phase: body.phase,
        nextEvaluationOn: body.nextEvaluationOn,
      });
      if (!row) throw (await findPlanState(tx, planId)) ? new PreconditionFailed() : new NotFound();
      return row;
    },
    (row) => ({
      action: 'update',
      sections: [],
      subjectType: 'Plan',
      subjectId: planId,
      details: {
        from: plan.phase,
        to: row.phase,
        ...(body.nextEvaluationOn !== undefined ? { nextEvaluationOn: body.nextEvaluationOn } : {}),
      },
    }),
  );
  return planSummary(ctx);
}

/**
 * The lead or a co-lead corrects the client's registration details (contact, birth date, language,
 * interpreter). The access log names which details changed, never their values.
 */
export async function changeClientDetails(
  ctx: PlanContext,
  body: z.infer<typeof UpdateClientSchema>,
  ifMatch: string | undefined,
) {
  const { planId } = ctx;
  await authorize(ctx, 'update', asSubject('Plan', { id: planId }), {
    detail: 'Only the lead and co-leads change the client’s registration details.',
    whenClosed: 'This plan is closed: it can no longer be changed.',
  });
  const client = await findPlanClient(ctx.db, planId);
  if (!client) throw new NotFound();
  const expected = requireVersion(ifMatch, client.version);
  await writeAudited(
    ctx,
    async (tx) => {
      const row = await updatePlanClient(tx, planId, expected, body);
      if (!row) throw new PreconditionFailed();
      return row;
    },
    (row) => ({
      action: 'update',
      sections: [],
      subjectType: 'Client',
      subjectId: row.id,
      details: { fields: Object.keys(body).sort() },
    }),
  );
  return planSummary(ctx);
}

/** Ends the collaboration: the plan becomes read-only and every consent ends, in one write. */
export async function closePlan(
  ctx: PlanContext,
  body: z.infer<typeof ClosePlanSchema>,
  ifMatch: string | undefined,
) {
  const { planId } = ctx;
  if (!ctx.ability.can('close', asSubject('Plan', { id: planId }))) {
    const role = roleInPlan(ctx.user, ctx.facts);
    if (ctx.facts.closed && (role === 'lead' || role === 'co_lead'))
      throw new Conflict('This plan is already closed.');
  }
  await authorize(ctx, 'close', asSubject('Plan', { id: planId }), {
    sections: ['closure'],
    detail: 'Only the lead and co-leads end the collaboration.',
    whenClosed: 'This plan is already closed.',
  });
  const plan = await findPlanState(ctx.db, planId);
  if (!plan) throw new NotFound();
  const expected = requireVersion(ifMatch, plan.version);
  const { date, reason, reasonKind, handover } = body;
  await writeAudited(
    ctx,
    async (tx) => {
      const closed = await closePlanRow(tx, {
        planId,
        expectedVersion: expected,
        closedOn: date,
        reason,
        reasonKind,
        handover,
        closedBy: ctx.user.id,
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
        revokedBy: ctx.user.id,
        reason: CLOSED_REASON,
        includeExpired: true,
      });
      return { closureId: closed.closureId, ended };
    },
    ({ closureId, ended }) => ({
      action: 'close',
      sections: ['closure'],
      subjectType: 'Plan',
      subjectId: planId,
      details: { closureId, closedOn: date, reasonKind, endedGrants: ended.length },
    }),
    async (tx, { ended }) => {
      await auditEndedGrants(tx, ctx.user.id, planId, ended, CLOSED_REASON);
      await notifyAccessEnded(
        tx,
        planId,
        ended.map((grant) => grant.grantId),
        'closed',
      );
    },
  );
  return planSummary(ctx);
}
