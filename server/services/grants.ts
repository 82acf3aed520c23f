import {
  findGrant,
  insertGrants,
  insertRevocation,
  listGrants,
  type GrantRow,
} from '../../db/queries/grants.ts';
import { findMemberForConsent } from '../../db/queries/members.ts';
import {
  asSubject,
  consentMethodsFor,
  grantRecipientRefusal,
  isGrantActive,
  isLeadMember,
  mayCoLead,
  revocationMethodFor,
  roleInPlan,
  sectionsRefusedFor,
  type GrantRecipientRefusal,
} from '../../policies/index.ts';
import type { z } from 'zod';
import { Conflict, NotFound, Unprocessable } from '../errors.ts';
import type { CreateGrantSchema, GrantSchema } from '../../domain/schemas/plans.ts';
import { writeAudited } from './audited-write.ts';
import type { PlanContext } from './context.ts';
import { notifyAccessEnded, notifyGrantsShared } from './notifications.ts';
import { authorize } from './refusals.ts';

type Grant = z.infer<typeof GrantSchema>;

/** A grant as the API answers it (also in the client's export). */
export function toGrant(row: GrantRow, planClosed: boolean, now: Date): Grant {
  return {
    id: row.id,
    memberId: row.memberId,
    section: row.section,
    access: row.access,
    validFrom: row.validFrom.toISOString(),
    validUntil: row.validUntil?.toISOString() ?? null,
    method: row.method,
    note: row.note,
    recordedAt: row.recordedAt.toISOString(),
    recordedBy: { id: row.recordedById, name: row.recordedByName },
    revocation:
      row.revokedAt && row.revokedById
        ? {
            revokedAt: row.revokedAt.toISOString(),
            revokedBy: { id: row.revokedById, name: row.revokedByName ?? '' },
            method: row.revokeMethod,
            reason: row.revokeReason,
          }
        : null,
    active: !planClosed && isGrantActive({ ...row, revokedAt: row.revokedAt }, now),
  };
}

/** The grants of this plan with these ids, as the API answers them. */
async function grantsWithIds(ctx: PlanContext, ids: ReadonlySet<string>): Promise<Grant[]> {
  const now = new Date();
  const rows = await listGrants(ctx.db, ctx.planId);
  return rows.filter((row) => ids.has(row.id)).map((row) => toGrant(row, ctx.facts.closed, now));
}

/** The API's answer to each reason a member cannot receive consent. */
const RECIPIENT_REFUSALS: Record<GrantRecipientRefusal, [title: string, detail: string]> = {
  'unknown-member': ['Unknown member', 'This person is not in this plan.'],
  'member-without-account': [
    'Cannot share with this member',
    'Only professionals with a Liaison account can be given access.',
  ],
  'past-member': ['Cannot share with a past member', 'This person no longer takes part in the plan.'],
  'lead-member': ['No consent needed', 'The lead already sees the whole plan.'],
  'co-lead-member': ['No consent needed', 'A co-lead already sees the whole plan.'],
};

/** Consent given in this plan, current and past: the lead, co-leads and the client only. */
export async function listPlanGrants(ctx: PlanContext): Promise<Grant[]> {
  await authorize(ctx, 'read', asSubject('Grant', { planId: ctx.planId }), {
    detail: 'Only the lead and the client see the consent given in this plan.',
    whenClosed: 'Only the lead and the client see the consent given in this plan.',
  });
  const now = new Date();
  return (await listGrants(ctx.db, ctx.planId)).map((row) => toGrant(row, ctx.facts.closed, now));
}

/**
 * Records consent: one member may see these sections. The recipient and the sections are judged
 * by the consent policies (policies/consent.ts); the grants and their audit event are one write.
 */
export async function recordGrants(
  ctx: PlanContext,
  body: z.infer<typeof CreateGrantSchema>,
): Promise<Grant[]> {
  const { facts } = ctx;
  await authorize(ctx, 'create', asSubject('Grant', { planId: ctx.planId }), {
    action: 'grant',
    sections: body.sections,
    detail: 'Only the lead and the client record consent.',
    whenClosed: 'This plan is closed: consent can no longer be given.',
  });
  const role = roleInPlan(ctx.user, facts);
  if (!consentMethodsFor(role).includes(body.method)) {
    throw new Unprocessable(
      'consent-method',
      'Wrong way of recording consent',
      role === 'client'
        ? 'Consent you give yourself is recorded as "in_app".'
        : 'The lead records consent the client gave "verbal" or "written"; "in_app" is for the client.',
    );
  }
  const member = await findMemberForConsent(ctx.db, ctx.planId, body.memberId);
  if (!member) throw new Unprocessable('unknown-member', ...RECIPIENT_REFUSALS['unknown-member']);
  const account = {
    kind: member.kind,
    userId: member.userId,
    accountOrganizationId: member.userOrganizationId,
  };
  const refusal = grantRecipientRefusal({
    kind: member.kind,
    accountKind: member.userKind,
    status: member.status,
    removed: member.removedAt !== null,
    isLead: isLeadMember(facts, account),
    isCoLead: member.coLead && member.status === 'current' && mayCoLead(facts, account),
    secrecyBound: member.secrecyBound,
  });
  if (refusal) throw new Unprocessable(refusal, ...RECIPIENT_REFUSALS[refusal]);
  const refusedSections = sectionsRefusedFor(member, body.sections);
  if (refusedSections.length > 0) {
    throw new Unprocessable(
      'not-secrecy-bound',
      'This member may not receive these sections',
      `${refusedSections.join(' and ')} can only be shared with professionals bound by professional secrecy, and ${member.name ?? 'this member'} is not.`,
    );
  }
  const validFrom = body.validFrom ? new Date(body.validFrom) : new Date();
  const validUntil = body.validUntil ? new Date(body.validUntil) : null;
  if (validUntil && validUntil <= validFrom)
    throw new Unprocessable(
      'invalid-period',
      'Invalid period',
      'The end of the consent must come after its start.',
    );
  const sections = [...new Set(body.sections)];
  const ids = await writeAudited(
    ctx,
    (tx) =>
      insertGrants(tx, {
        planId: ctx.planId,
        memberId: member.id,
        sections,
        access: body.access,
        validFrom,
        validUntil,
        method: body.method,
        note: body.note ?? null,
        recordedBy: ctx.user.id,
      }),
    (grantIds) => ({
      action: 'grant',
      sections,
      subjectType: 'Member',
      subjectId: member.id,
      details: { grantIds, access: body.access, method: body.method },
    }),
    (tx, grantIds) => notifyGrantsShared(tx, ctx.planId, grantIds).then(() => undefined),
  );
  return grantsWithIds(ctx, new Set(ids));
}

/** Withdraws consent: it takes effect on the very next request. */
export async function revokeGrant(ctx: PlanContext, grantId: string, reason: string | null): Promise<Grant> {
  const grant = await findGrant(ctx.db, ctx.planId, grantId);
  if (!grant) throw new NotFound('This consent does not exist in this plan.');
  const onlyLeadAndClient = 'Only the lead and the client withdraw consent.';
  await authorize(ctx, 'revoke', asSubject('Grant', { planId: ctx.planId }), {
    sections: [grant.section],
    detail: onlyLeadAndClient,
    whenClosed: onlyLeadAndClient,
  });
  if (grant.revokedAt) throw new Conflict('This consent was already withdrawn.');
  const method = revocationMethodFor(roleInPlan(ctx.user, ctx.facts));
  await writeAudited(
    ctx,
    async (tx) => {
      const revoked = await insertRevocation(tx, {
        planId: ctx.planId,
        grantId: grant.id,
        revokedBy: ctx.user.id,
        method,
        reason,
      });
      if (!revoked) throw new Conflict('This consent was already withdrawn.');
    },
    () => ({
      action: 'revoke',
      sections: [grant.section],
      subjectType: 'Grant',
      subjectId: grant.id,
      details: { memberId: grant.memberId, method },
    }),
    (tx) => notifyAccessEnded(tx, ctx.planId, [grant.id], 'withdrawn').then(() => undefined),
  );
  const [row] = await grantsWithIds(ctx, new Set([grant.id]));
  if (!row) throw new NotFound();
  return row;
}
