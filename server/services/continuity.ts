import { asSystem } from '../../db/scope.ts';
import type { z } from 'zod';
import {
  endMembersOfCycle,
  findCurrentMember,
  findHandoverTarget,
  insertColleagueMember,
  insertLeadHandover,
  reopenPlan as reopenPlanRow,
  setMemberRole,
  setPlanLead,
} from '../../db/queries/continuity.ts';
import { appendAuditEvent } from '../../db/queries/audit.ts';
import {
  auditEndedGrants,
  endGrants,
  findPlanClient,
  findPlanState,
  insertPlanForClient,
} from '../../db/queries/plan-writes.ts';
import type {
  HandoverRecordSchema,
  HandoverSchema,
  RegisterAgainSchema,
  ReopenPlanSchema,
} from '../../domain/schemas/continuity.ts';
import { asSubject, roleInPlan } from '../../policies/index.ts';
import { Conflict, NotFound, PreconditionFailed, Unprocessable } from '../errors.ts';
import { writeAudited } from './audited-write.ts';
import type { PlanContext } from './context.ts';
import { DEFAULT_LEAD_RELATION, overviewOfNewPlan, planSummary } from './plans.ts';
import { authorize } from './refusals.ts';
import { requireVersion } from './versioning.ts';

// Continuity of a plan (issue 14, part 8; DESIGN.md, "Continuity"): the lead role handed over to a
// colleague with the client's consent, and a closed plan opened again for a new cycle. Each is one
// transaction with its audit event, which the client reads in their log.

const HANDED_OVER_REASON = 'lead role handed over';
const NEW_CYCLE_REASON = 'plan reopened for a new cycle';

/**
 * Passes the lead role to a colleague of the plan's organisation (a co-lead, or someone of the
 * organisation), with the client's consent recorded; the lead stays as co-lead or becomes past
 * (their grants, if any, end with it). Only the lead of an open plan.
 */
export async function handOverPlan(
  ctx: PlanContext,
  body: z.infer<typeof HandoverSchema>,
  ifMatch: string | undefined,
): Promise<z.infer<typeof HandoverRecordSchema>> {
  const { planId, user } = ctx;
  await authorize(ctx, 'handover', asSubject('Plan', { id: planId }), {
    detail: 'Only the lead hands the plan over to a colleague.',
    whenClosed: 'This plan is closed: open it again before handing it over.',
  });
  const plan = await findPlanState(ctx.db, planId);
  if (!plan) throw new NotFound();
  const expectedVersion = requireVersion(ifMatch, plan.version);
  if (body.consent.method === 'in_app')
    throw new Unprocessable(
      'handover-consent-method',
      'How did the client agree?',
      'The lead records the consent the client gave "verbal" or "written"; "in_app" is for the client.',
    );
  const givenAt = body.consent.givenAt ? new Date(body.consent.givenAt) : new Date();
  if (givenAt.getTime() > Date.now())
    throw new Unprocessable(
      'handover-consent-date',
      'Consent in the future',
      'The client agreed before the handover: the date of their consent cannot be in the future.',
    );
  const target =
    body.toUserId === user.id
      ? null
      : await findHandoverTarget(ctx.db, ctx.facts.organizationId, body.toUserId);
  if (!target)
    throw new Unprocessable(
      'handover-target',
      'Not a colleague who can take over',
      'The new lead is a colleague of your organisation with a Liaison account (a co-lead of this plan, or someone of your organisation), not yourself.',
    );

  // Written for nobody in particular once the ability allowed it: the lead gives up the plan in
  // this very change, and row-level security would refuse them the network's rows after its first
  // statement.
  const result = await asSystem(() =>
    writeAudited(
      ctx,
      async (tx) => {
        const moved = await setPlanLead(tx, { planId, expectedVersion, toUserId: target.id });
        if (!moved) throw (await findPlanState(tx, planId)) ? new PreconditionFailed() : new NotFound();
        // The new lead in the network: their row, no longer a co-lead (the lead role is more), or a new one.
        const targetRow = await findCurrentMember(tx, planId, target.id);
        const newLeadMemberId = targetRow
          ? (await setMemberRole(tx, { planId, memberId: targetRow.id }, 'lead'), targetRow.id)
          : await insertColleagueMember(tx, {
              planId,
              userId: target.id,
              organizationId: ctx.facts.organizationId,
              relation: DEFAULT_LEAD_RELATION[target.locale],
              coLead: false,
            });
        const ownRow = await findCurrentMember(tx, planId, user.id);
        if (ownRow) await setMemberRole(tx, { planId, memberId: ownRow.id }, body.previousLead);
        else if (body.previousLead === 'co_lead')
          await insertColleagueMember(tx, {
            planId,
            userId: user.id,
            organizationId: ctx.facts.organizationId,
            relation: DEFAULT_LEAD_RELATION[user.locale],
            coLead: true,
          });
        // Consent follows the role: a lead who leaves keeps no grant of this plan.
        const ended =
          ownRow && body.previousLead === 'past'
            ? await endGrants(tx, {
                planId,
                memberId: ownRow.id,
                revokedBy: user.id,
                reason: HANDED_OVER_REASON,
                includeExpired: false,
              })
            : [];
        const record = await insertLeadHandover(tx, {
          planId,
          fromUserId: user.id,
          toUserId: target.id,
          previousLeadBecomes: body.previousLead,
          method: body.consent.method,
          note: body.consent.note ?? null,
          consentGivenAt: givenAt,
          recordedBy: user.id,
        });
        return { record, newLeadMemberId, ended };
      },
      ({ record, newLeadMemberId }) => ({
        action: 'handover',
        sections: [],
        // The new lead's member row: the client's log names them ("handed the plan over to …").
        subjectType: 'Member',
        subjectId: newLeadMemberId,
        details: {
          handoverId: record.id,
          toUserId: target.id,
          previousLead: body.previousLead,
          method: body.consent.method,
        },
      }),
      (tx, { ended }) => auditEndedGrants(tx, user.id, planId, ended, HANDED_OVER_REASON),
    ),
  );
  const { record } = result;
  return {
    id: record.id,
    planId,
    from: { userId: user.id, name: user.name },
    to: { userId: target.id, name: target.name },
    previousLead: body.previousLead,
    consent: {
      method: record.method,
      givenAt: record.consentGivenAt.toISOString(),
      note: record.note,
    },
    recordedAt: record.recordedAt.toISOString(),
  };
}

/**
 * Opens a closed plan again for a new cycle (a client who comes back): phase back to registration,
 * the closure of the cycle before kept apart, everyone of the earlier network past but the lead
 * and the co-lead who reopens it, earlier grants not revived. The lead and co-leads.
 */
export async function reopenPlan(
  ctx: PlanContext,
  body: z.infer<typeof ReopenPlanSchema>,
  ifMatch: string | undefined,
) {
  const { planId, user } = ctx;
  const role = roleInPlan(user, ctx.facts);
  if (!ctx.facts.closed && (role === 'lead' || role === 'co_lead'))
    throw new Conflict('This plan is open: there is nothing to reopen.');
  await authorize(ctx, 'reopen', asSubject('Plan', { id: planId }), {
    sections: ['closure'],
    detail: 'Only the lead and co-leads open a closed plan again.',
    whenClosed: 'Only the lead and co-leads open a closed plan again.',
  });
  const plan = await findPlanState(ctx.db, planId);
  if (!plan) throw new NotFound();
  const expectedVersion = requireVersion(ifMatch, plan.version);
  await writeAudited(
    ctx,
    async (tx) => {
      const reopened = await reopenPlanRow(tx, {
        planId,
        expectedVersion,
        reopenedBy: user.id,
        note: body.note ?? null,
      });
      if (!reopened) {
        const state = await findPlanState(tx, planId);
        if (!state) throw new NotFound();
        if (state.phase !== 'closed') throw new Conflict('This plan is open: there is nothing to reopen.');
        throw new PreconditionFailed();
      }
      const endedMembers = await endMembersOfCycle(tx, planId, [ctx.facts.leadUserId, user.id]);
      // Closing ended every grant; this only makes sure none outlives the cycle it was given in.
      const ended = await endGrants(tx, {
        planId,
        revokedBy: user.id,
        reason: NEW_CYCLE_REASON,
        includeExpired: true,
      });
      return { ...reopened, endedMembers, ended };
    },
    ({ reopeningId, endedMembers }) => ({
      action: 'reopen',
      sections: ['closure'],
      subjectType: 'Plan',
      subjectId: planId,
      details: { reopeningId, pastMembers: endedMembers.length },
    }),
    (tx, { ended }) => auditEndedGrants(tx, user.id, planId, ended, NEW_CYCLE_REASON),
  );
  return planSummary(ctx);
}

/**
 * Registers the client of a closed plan again (a client who comes back): a new plan for the same
 * client, led by the user, linked to the earlier one, which stays closed with its history. The
 * lead and co-leads of the closed plan, as for reopening it. Both plans' logs say so.
 */
export async function registerAgain(ctx: PlanContext, body: z.infer<typeof RegisterAgainSchema>) {
  const { planId, user } = ctx;
  const role = roleInPlan(user, ctx.facts);
  if (!ctx.facts.closed && (role === 'lead' || role === 'co_lead'))
    throw new Conflict('This plan is open: work in it, or close it before registering the client again.');
  await authorize(ctx, 'reopen', asSubject('Plan', { id: planId }), {
    sections: ['closure'],
    detail: 'Only the lead and co-leads register the client of a closed plan again.',
    whenClosed: 'Only the lead and co-leads register the client of a closed plan again.',
  });
  const client = await findPlanClient(ctx.db, planId);
  if (!client) throw new NotFound();
  const opened = await writeAudited(
    ctx,
    (tx) =>
      insertPlanForClient(tx, {
        clientId: client.id,
        previousPlanId: planId,
        organizationId: ctx.facts.organizationId,
        leadUserId: user.id,
        leadRelation: DEFAULT_LEAD_RELATION[user.locale],
        clientWords: body.request?.clientWords ?? '',
      }),
    (created) => ({
      planId: created.planId,
      action: 'create',
      sections: body.request ? ['network', 'request'] : ['network'],
      subjectType: 'Plan',
      subjectId: created.planId,
      details: { previousPlanId: planId, leadMemberId: created.memberId },
    }),
    // The earlier plan's log says where the client went on.
    (tx, created) =>
      appendAuditEvent(tx, {
        planId,
        actorUserId: user.id,
        action: 'reopen',
        sections: ['closure'],
        subjectType: 'Plan',
        subjectId: created.planId,
        details: { nextPlanId: created.planId },
      }),
  );
  return overviewOfNewPlan(ctx, opened.planId);
}
