import type { z } from 'zod';
import type { Transaction } from '../../db/client.ts';
import {
  findMemberForWrite,
  findUserForMember,
  insertMember,
  insertVisibilityDecision,
  listVisibilityDecisions,
  lockAndFindMemberOfUser,
  organizationExists,
  removeMember as removeMemberRow,
  updateMember as updateMemberRow,
  type MemberChanges,
  type MemberForWrite,
} from '../../db/queries/member-writes.ts';
import { auditEndedGrants, endGrants } from '../../db/queries/plan-writes.ts';
import {
  asSubject,
  isLeadMember,
  mayCoLead,
  roleInPlan,
  visibilityChangeRefusal,
  type NetworkCandidate,
} from '../../policies/index.ts';
import type { ConsentMethod, MemberStatus } from '../../domain/vocabularies.ts';
import { Conflict, NotFound, PreconditionFailed, Unprocessable } from '../errors.ts';
import {
  MEMBER_UPDATE_FIELDS,
  type CreateMemberSchema,
  type UpdateMember,
  type VisibilityDecisionListSchema,
} from '../../domain/schemas/members.ts';
import { writeAudited } from './audited-write.ts';
import type { PlanContext } from './context.ts';
import { notifyAccessEnded } from './notifications.ts';
import { readSectionResponse } from './plan-view.ts';
import { authorize, refuse } from './refusals.ts';
import { requireVersion } from './versioning.ts';

const PAST_REASON = "member's part in the plan ended";
const REMOVED_REASON = 'member removed';
const NETWORK_CLOSED = 'This plan is closed: its network can no longer be changed.';

/** Today in Brussels, as a calendar date: when a member's part ends if no date is given. */
function todayInBrussels(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(new Date());
}

function assertMayCoLead(ctx: PlanContext, member: NetworkCandidate): void {
  if (!mayCoLead(ctx.facts, member))
    throw new Unprocessable(
      'co-lead',
      'Cannot be a co-lead',
      "Only a professional with a Liaison account in the lead's organisation can co-lead this plan.",
    );
}

function assertNotLead(ctx: PlanContext, member: MemberForWrite): void {
  if (isLeadMember(ctx.facts, member))
    throw new Unprocessable(
      'lead-member',
      'The lead stays in the network',
      'The lead of the plan stays a current member of its network as long as they lead it.',
    );
}

const ensureStillCurrent = (status: MemberStatus, endedOn: string | null | undefined) => {
  if (status === 'current' && endedOn)
    throw new Unprocessable('ended-on-current', 'Still current', 'Only a past member has an end date.');
};

/** One member as the user may read it, in the network section's shape. */
async function readMember(ctx: PlanContext, memberId: string) {
  const network = await readSectionResponse(ctx.db, ctx.ability, ctx.planId, 'network');
  const member = network.find((m) => m.id === memberId);
  if (!member) throw new NotFound('This member is not in this plan.');
  return member;
}

/** A member of this plan the user may see; anything else answers 404, like a missing one. */
async function findVisibleMember(ctx: PlanContext, memberId: string): Promise<MemberForWrite> {
  const member = await findMemberForWrite(ctx.db, ctx.planId, memberId);
  if (!member || !ctx.ability.can('read', asSubject('Member', member)))
    throw new NotFound('This member is not in this plan.');
  return member;
}

/** The account and organisation a new professional member is linked to, checked (422). */
async function linkProfessional(
  ctx: PlanContext,
  body: { userId?: string; organizationId?: string },
): Promise<{ userId: string | null; organizationId: string | null }> {
  let userId: string | null = null;
  let organizationId = body.organizationId ?? null;
  if (body.userId) {
    const linked = await findUserForMember(ctx.db, body.userId);
    if (!linked || linked.disabled)
      throw new Unprocessable(
        'unknown-user',
        'Unknown user',
        'There is no active Liaison user with this id.',
      );
    if (linked.kind !== 'professional')
      throw new Unprocessable(
        'not-a-professional',
        'Not a professional',
        'Only a professional can be linked to a member of the network.',
      );
    if (body.organizationId && body.organizationId !== linked.organizationId)
      throw new Unprocessable(
        'organization-mismatch',
        'Another organisation',
        'This professional works for another organisation than the one given.',
      );
    userId = linked.id;
    organizationId = linked.organizationId;
  }
  if (organizationId && !(await organizationExists(ctx.db, organizationId)))
    throw new Unprocessable(
      'unknown-organization',
      'Unknown organisation',
      'This organisation is not in the directory.',
    );
  return { userId, organizationId };
}

/** Adds a professional or an informal supporter to the network (lead and co-leads). */
export async function addMember(ctx: PlanContext, body: z.infer<typeof CreateMemberSchema>) {
  await authorize(ctx, 'create', asSubject('Member', { planId: ctx.planId }), {
    sections: ['network'],
    detail: 'Only the lead and co-leads add people to the network.',
    whenClosed: NETWORK_CLOSED,
  });
  const { userId, organizationId } =
    body.kind === 'professional' ? await linkProfessional(ctx, body) : { userId: null, organizationId: null };
  const coLead = body.kind === 'professional' && body.coLead === true;
  if (coLead) assertMayCoLead(ctx, { kind: body.kind, userId, accountOrganizationId: organizationId });
  const status = body.status ?? 'current';
  ensureStillCurrent(status, body.endedOn);
  const created = await writeAudited(
    ctx,
    async (tx) => {
      if (userId && (await lockAndFindMemberOfUser(tx, ctx.planId, userId)))
        throw new Conflict('This person is already in the network of this plan.');
      return insertMember(tx, {
        planId: ctx.planId,
        kind: body.kind,
        userId,
        organizationId,
        name: body.name ?? null,
        relation: body.relation,
        lifeDomains: [...new Set(body.lifeDomains ?? [])],
        status,
        hidden: body.hidden ?? false,
        closeness: body.closeness ?? 2,
        coLead,
        endedOn: body.endedOn ?? null,
      });
    },
    (row) => ({
      action: 'create',
      sections: ['network'],
      subjectType: 'Member',
      subjectId: row.id,
      details: { kind: body.kind, ...(userId ? { userId } : {}) },
    }),
  );
  return readMember(ctx, created.id);
}

/** The end date a change implies: today when a member becomes past, none when they come back. */
function impliedEndedOn(member: MemberForWrite, body: UpdateMember): string | null | undefined {
  if (body.endedOn !== undefined) return body.endedOn;
  const status = body.status ?? member.status;
  if (member.status === 'current' && status === 'past') return todayInBrussels();
  if (member.status === 'past' && status === 'current') return null;
  return undefined;
}

/** Ends the grants of a member whose part ended, with their audit events (consent follows the role). */
async function endMemberGrants(ctx: PlanContext, tx: Transaction, memberId: string, reason: string) {
  const ended = await endGrants(tx, {
    planId: ctx.planId,
    memberId,
    revokedBy: ctx.user.id,
    reason,
    includeExpired: false,
  });
  await auditEndedGrants(tx, ctx.user.id, ctx.planId, ended, reason);
  // Their part ended (past or removed): the partner is told their access ended with it.
  await notifyAccessEnded(
    tx,
    ctx.planId,
    ended.map((grant) => grant.grantId),
    'past',
  );
}

/** A write at the version read found nothing: someone else wrote first (412), or it is gone (404). */
async function staleOrMissing(tx: Transaction, ctx: PlanContext, memberId: string): Promise<never> {
  throw (await findMemberForWrite(tx, ctx.planId, memberId)) ? new PreconditionFailed() : new NotFound();
}

/** Changes a member; the client may only hide or show them. A past member's consent ends. */
export async function changeMember(
  ctx: PlanContext,
  memberId: string,
  body: UpdateMember,
  ifMatch: string | undefined,
) {
  const member = await findVisibleMember(ctx, memberId);
  const fields = MEMBER_UPDATE_FIELDS.filter((field) => body[field] !== undefined);
  if (fields.some((field) => !ctx.ability.can('update', asSubject('Member', member), field)))
    await refuse(ctx, {
      action: 'update',
      sections: ['network'],
      detail:
        roleInPlan(ctx.user, ctx.facts) === 'client'
          ? 'You can hide or show a person in your network; the lead changes the rest.'
          : 'Only the lead and co-leads change the network.',
      whenClosed: NETWORK_CLOSED,
    });
  const expected = requireVersion(ifMatch, member.version);
  const endedOn = impliedEndedOn(member, body);
  if (body.status !== undefined || body.endedOn !== undefined)
    ensureStillCurrent(body.status ?? member.status, endedOn !== undefined ? endedOn : member.endedOn);
  if (body.coLead === true)
    assertMayCoLead(ctx, {
      kind: member.kind,
      userId: member.userId,
      accountOrganizationId: member.userOrganizationId,
    });
  if (body.status === 'past') assertNotLead(ctx, member);
  const decision = await visibilityDecisionOf(ctx, member, body);
  const { visibilityDecision: _recorded, ...fieldChanges } = body;
  const changes: MemberChanges = Object.fromEntries(
    Object.entries({
      ...fieldChanges,
      lifeDomains: body.lifeDomains && [...new Set(body.lifeDomains)],
      endedOn,
      // Hiding decided by the client is theirs to undo; the lead's own hiding is not.
      hiddenByClient:
        body.hidden === undefined || body.hidden === member.hidden
          ? undefined
          : decision !== null && body.hidden,
    }).filter(([, value]) => value !== undefined),
  );
  await writeAudited(
    ctx,
    async (tx) => {
      const row = await updateMemberRow(tx, ctx.planId, member.id, expected, changes);
      if (!row) await staleOrMissing(tx, ctx, member.id);
      if (decision && body.hidden !== undefined && body.hidden !== member.hidden)
        await insertVisibilityDecision(tx, {
          planId: ctx.planId,
          memberId: member.id,
          hidden: body.hidden,
          method: decision.method,
          note: decision.note,
          recordedBy: ctx.user.id,
        });
    },
    () => ({
      action: 'update',
      sections: ['network'],
      subjectType: 'Member',
      subjectId: member.id,
      details: decision ? { fields, visibilityDecision: decision.method } : { fields },
    }),
    async (tx) => {
      if (body.status === 'past') await endMemberGrants(ctx, tx, member.id, PAST_REASON);
    },
  );
  return readMember(ctx, member.id);
}

/**
 * The client's decision a change of `hidden` carries: made in the app by the client, or recorded
 * by the lead (method and note); null for the lead's own hiding. A member the client hid is shown
 * again only with the client's decision (policies/network.ts); the refused attempt is logged.
 */
async function visibilityDecisionOf(
  ctx: PlanContext,
  member: MemberForWrite,
  body: UpdateMember,
): Promise<{ method: ConsentMethod; note: string | null } | null> {
  // Sending the visibility the member has already is no decision (a form sends every field).
  if (body.hidden === undefined || body.hidden === member.hidden) return null;
  const role = roleInPlan(ctx.user, ctx.facts);
  if (role === 'client') {
    if (body.visibilityDecision)
      throw new Unprocessable(
        'consent-method',
        'Wrong way of recording a decision',
        'Your own choice is recorded as made in the app: send only `hidden`.',
      );
    return { method: 'in_app', note: null };
  }
  const refusal = visibilityChangeRefusal(role, member, body.hidden, body.visibilityDecision !== undefined);
  if (refusal)
    await refuse(ctx, {
      action: 'update',
      sections: ['network'],
      detail:
        'The client hid this person from the partners: only the client shows them again, or you record the client’s decision (how they told you) with the change.',
    });
  return body.visibilityDecision
    ? { method: body.visibilityDecision.method, note: body.visibilityDecision.note ?? null }
    : null;
}

/** The client's decisions to hide or show members: the lead, co-leads and the client. */
export async function listPlanVisibilityDecisions(
  ctx: PlanContext,
): Promise<z.infer<typeof VisibilityDecisionListSchema>> {
  await authorize(ctx, 'read', asSubject('Grant', { planId: ctx.planId }), {
    detail: 'Only the lead and the client see the decisions about who is shown.',
    whenClosed: 'Only the lead and the client see the decisions about who is shown.',
  });
  const rows = await listVisibilityDecisions(ctx.db, ctx.planId);
  return rows.map(toVisibilityDecision);
}

/** A decision about who is shown, as the API answers it (also in the client's export). */
export function toVisibilityDecision(
  row: Awaited<ReturnType<typeof listVisibilityDecisions>>[number],
): z.infer<typeof VisibilityDecisionListSchema>[number] {
  return {
    id: row.id,
    memberId: row.memberId,
    hidden: row.hidden,
    method: row.method,
    note: row.note,
    recordedAt: row.recordedAt.toISOString(),
    recordedBy: { id: row.recordedById, name: row.recordedByName },
  };
}

/** Removes a member from the network (the record stays for history); their consent ends. */
export async function removeMember(
  ctx: PlanContext,
  memberId: string,
  ifMatch: string | undefined,
): Promise<void> {
  const member = await findVisibleMember(ctx, memberId);
  await authorize(ctx, 'delete', asSubject('Member', member), {
    sections: ['network'],
    detail: 'Only the lead and co-leads remove people from the network.',
    whenClosed: NETWORK_CLOSED,
  });
  const expected = requireVersion(ifMatch, member.version);
  assertNotLead(ctx, member);
  await writeAudited(
    ctx,
    async (tx) => {
      const row = await removeMemberRow(tx, ctx.planId, member.id, expected);
      if (!row) await staleOrMissing(tx, ctx, member.id);
    },
    () => ({ action: 'delete', sections: ['network'], subjectType: 'Member', subjectId: member.id }),
    (tx) => endMemberGrants(ctx, tx, member.id, REMOVED_REASON),
  );
}
