import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAuditEvent } from '../../db/queries/audit.ts';
import {
  findMemberForWrite,
  findUserForMember,
  insertMember,
  lockAndFindMemberOfUser,
  organizationExists,
  removeMember,
  updateMember,
  type MemberChanges,
  type MemberForWrite,
} from '../../db/queries/member-writes.ts';
import { auditEndedGrants, endGrants } from '../../db/queries/plan-writes.ts';
import { asSubject, roleInPlan, type AppAbility, type PlanFacts } from '../../policies/index.ts';
import { Conflict, Forbidden, NotFound, PreconditionFailed, Unprocessable } from '../errors.ts';
import { ProblemSchema } from '../schemas/common.ts';
import {
  CreateMemberSchema,
  MEMBER_UPDATE_FIELDS,
  MemberParamsSchema,
  UpdateMemberSchema,
} from '../schemas/members.ts';
import { MemberSchema, PlanParamsSchema } from '../schemas/plans.ts';
import { auditRefusal } from '../services/audit.ts';
import { openPlan } from '../services/plan-access.ts';
import { readSectionResponse } from '../services/plan-view.ts';
import { assertVersion, requireIfMatch, setEtag } from '../services/versioning.ts';

const PAST_REASON = "member's part in the plan ended";
const REMOVED_REASON = 'member removed';

const errors = { 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const writeErrors = {
  ...errors,
  400: ProblemSchema,
  412: ProblemSchema,
  422: ProblemSchema,
  428: ProblemSchema,
};

/** Today in Brussels, as a calendar date: when a member's part ends if no date is given. */
function todayInBrussels(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(new Date());
}

/** Co-leads are professionals with an account in the lead's organisation (DESIGN.md, "Lead"). */
function assertCoLeadAllowed(
  facts: PlanFacts,
  member: { kind: string; userId: string | null; userOrganizationId: string | null },
): void {
  if (
    member.kind !== 'professional' ||
    !member.userId ||
    member.userOrganizationId !== facts.organizationId
  ) {
    throw new Unprocessable(
      'co-lead',
      'Cannot be a co-lead',
      "Only a professional with a Liaison account in the lead's organisation can co-lead this plan.",
    );
  }
}

function assertNotLead(facts: PlanFacts, member: MemberForWrite): void {
  if (member.userId === facts.leadUserId) {
    throw new Unprocessable(
      'lead-member',
      'The lead stays in the network',
      'The lead of the plan stays a current member of its network as long as they lead it.',
    );
  }
}

const memberRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('onSend', async (_request, reply) => {
    // Plan content must never be kept by a browser or a proxy.
    reply.header('cache-control', 'no-store');
  });

  /** One member as the user may read it, in the network section's shape. */
  async function readMember(ability: AppAbility, planId: string, memberId: string) {
    const member = (await readSectionResponse(app.db, ability, planId, 'network')).find(
      (m) => m.id === memberId,
    );
    if (!member) throw new NotFound('This member is not in this plan.');
    return member;
  }

  /** A member of this plan the user may see; anything else answers 404, like a missing one. */
  async function findVisibleMember(ability: AppAbility, planId: string, memberId: string) {
    const member = await findMemberForWrite(app.db, planId, memberId);
    if (!member || !ability.can('read', asSubject('Member', member)))
      throw new NotFound('This member is not in this plan.');
    return member;
  }

  app.post(
    '/plans/:planId/members',
    {
      schema: {
        tags: ['plans'],
        summary: 'Add a professional or an informal supporter to the network',
        params: PlanParamsSchema,
        body: CreateMemberSchema,
        response: {
          201: MemberSchema,
          400: ProblemSchema,
          409: ProblemSchema,
          422: ProblemSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const user = request.user;
      const body = request.body;
      const { facts, ability } = await openPlan(app.db, user, request.params.planId);
      const planId = facts.planId;
      if (!ability.can('create', asSubject('Member', { planId }))) {
        await auditRefusal(app.db, user, planId, 'create', ['network']);
        throw new Forbidden(
          facts.closed
            ? 'This plan is closed: its network can no longer be changed.'
            : 'Only the lead and co-leads add people to the network.',
        );
      }
      let userId: string | null = null;
      let organizationId: string | null = null;
      let coLead = false;
      if (body.kind === 'professional') {
        if (body.userId) {
          const linked = await findUserForMember(app.db, body.userId);
          if (!linked || linked.disabled)
            throw new Unprocessable(
              'unknown-user',
              'Unknown user',
              'There is no active Liaison user with this id.',
            );
          if (linked.kind !== 'professional') {
            throw new Unprocessable(
              'not-a-professional',
              'Not a professional',
              'Only a professional can be linked to a member of the network.',
            );
          }
          if (body.organizationId && body.organizationId !== linked.organizationId) {
            throw new Unprocessable(
              'organization-mismatch',
              'Another organisation',
              'This professional works for another organisation than the one given.',
            );
          }
          userId = linked.id;
          organizationId = linked.organizationId;
        } else if (body.organizationId) {
          organizationId = body.organizationId;
        }
        if (organizationId && !(await organizationExists(app.db, organizationId)))
          throw new Unprocessable(
            'unknown-organization',
            'Unknown organisation',
            'This organisation is not in the directory.',
          );
        if (body.coLead) {
          assertCoLeadAllowed(facts, { kind: body.kind, userId, userOrganizationId: organizationId });
          coLead = true;
        }
      }
      const status = body.status ?? 'current';
      if (status === 'current' && body.endedOn) {
        throw new Unprocessable('ended-on-current', 'Still current', 'Only a past member has an end date.');
      }
      const created = await app.db.transaction(async (tx) => {
        if (userId && (await lockAndFindMemberOfUser(tx, planId, userId)))
          throw new Conflict('This person is already in the network of this plan.');
        const row = await insertMember(tx, {
          planId,
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
        await appendAuditEvent(tx, {
          planId,
          actorUserId: user.id,
          action: 'create',
          sections: ['network'],
          subjectType: 'Member',
          subjectId: row.id,
          details: { kind: body.kind, ...(userId ? { userId } : {}) },
        });
        return row;
      });
      const member = await readMember(ability, planId, created.id);
      setEtag(reply, member.version);
      reply.code(201);
      return member;
    },
  );

  app.patch(
    '/plans/:planId/members/:memberId',
    {
      schema: {
        tags: ['plans'],
        summary: "Change a member; the client may only hide or show them. Consent follows the member's role.",
        params: MemberParamsSchema,
        body: UpdateMemberSchema,
        response: { 200: MemberSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const user = request.user;
      const body = request.body;
      const { facts, ability } = await openPlan(app.db, user, request.params.planId);
      const planId = facts.planId;
      const member = await findVisibleMember(ability, planId, request.params.memberId);
      const fields = MEMBER_UPDATE_FIELDS.filter((field) => body[field] !== undefined);
      const refused = fields.filter((field) => !ability.can('update', asSubject('Member', member), field));
      if (refused.length > 0) {
        await auditRefusal(app.db, user, planId, 'update', ['network']);
        throw new Forbidden(
          facts.closed
            ? 'This plan is closed: its network can no longer be changed.'
            : roleInPlan(user, facts) === 'client'
              ? 'You can hide or show a person in your network; the lead changes the rest.'
              : 'Only the lead and co-leads change the network.',
        );
      }
      const expected = requireIfMatch(request);
      assertVersion(expected, member.version);

      const status = body.status ?? member.status;
      const becomesPast = member.status === 'current' && status === 'past';
      const changes: MemberChanges = {
        relation: body.relation,
        lifeDomains: body.lifeDomains && [...new Set(body.lifeDomains)],
        status: body.status,
        hidden: body.hidden,
        closeness: body.closeness,
        coLead: body.coLead,
        endedOn:
          body.endedOn !== undefined
            ? body.endedOn
            : becomesPast
              ? todayInBrussels()
              : member.status === 'past' && status === 'current'
                ? null
                : undefined,
      };
      const endedOn = changes.endedOn !== undefined ? changes.endedOn : member.endedOn;
      if (
        (body.status !== undefined || body.endedOn !== undefined) &&
        status === 'current' &&
        endedOn !== null
      ) {
        throw new Unprocessable('ended-on-current', 'Still current', 'Only a past member has an end date.');
      }
      if (body.coLead === true) assertCoLeadAllowed(facts, member);
      if (body.status === 'past') assertNotLead(facts, member);

      const defined = Object.fromEntries(
        Object.entries(changes).filter(([, value]) => value !== undefined),
      ) as MemberChanges;
      await app.db.transaction(async (tx) => {
        const row = await updateMember(tx, planId, member.id, expected, defined);
        if (!row)
          throw (await findMemberForWrite(tx, planId, member.id)) ? new PreconditionFailed() : new NotFound();
        await appendAuditEvent(tx, {
          planId,
          actorUserId: user.id,
          action: 'update',
          sections: ['network'],
          subjectType: 'Member',
          subjectId: member.id,
          details: { fields },
        });
        // Consent follows the role: a past member's grants end with their part in the plan.
        if (body.status === 'past') {
          const ended = await endGrants(tx, {
            planId,
            memberId: member.id,
            revokedBy: user.id,
            reason: PAST_REASON,
            includeExpired: false,
          });
          await auditEndedGrants(tx, user.id, planId, ended, PAST_REASON);
        }
      });
      const updated = await readMember(ability, planId, member.id);
      setEtag(reply, updated.version);
      return updated;
    },
  );

  app.delete(
    '/plans/:planId/members/:memberId',
    {
      schema: {
        tags: ['plans'],
        summary: 'Remove a member from the network (the record stays for history); their consent ends',
        params: MemberParamsSchema,
        response: { 204: z.null().describe('Removed'), ...writeErrors },
      },
    },
    async (request, reply) => {
      const user = request.user;
      const { facts, ability } = await openPlan(app.db, user, request.params.planId);
      const planId = facts.planId;
      const member = await findVisibleMember(ability, planId, request.params.memberId);
      if (!ability.can('delete', asSubject('Member', member))) {
        await auditRefusal(app.db, user, planId, 'delete', ['network']);
        throw new Forbidden(
          facts.closed
            ? 'This plan is closed: its network can no longer be changed.'
            : 'Only the lead and co-leads remove people from the network.',
        );
      }
      const expected = requireIfMatch(request);
      assertVersion(expected, member.version);
      assertNotLead(facts, member);
      await app.db.transaction(async (tx) => {
        const row = await removeMember(tx, planId, member.id, expected);
        if (!row)
          throw (await findMemberForWrite(tx, planId, member.id)) ? new PreconditionFailed() : new NotFound();
        await appendAuditEvent(tx, {
          planId,
          actorUserId: user.id,
          action: 'delete',
          sections: ['network'],
          subjectType: 'Member',
          subjectId: member.id,
        });
        const ended = await endGrants(tx, {
          planId,
          memberId: member.id,
          revokedBy: user.id,
          reason: REMOVED_REASON,
          includeExpired: false,
        });
        await auditEndedGrants(tx, user.id, planId, ended, REMOVED_REASON);
      });
      return reply.code(204).send(null);
    },
  );
};

export default memberRoutes;
