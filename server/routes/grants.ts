import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { appendAuditEvent } from '../../db/queries/audit.ts';
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
  isGrantActive,
  isSecrecyBoundSection,
  roleInPlan,
  type ConsentMethod,
} from '../../policies/index.ts';
import { Conflict, Forbidden, NotFound, Unprocessable } from '../errors.ts';
import { ProblemSchema } from '../schemas/common.ts';
import {
  CreateGrantSchema,
  GrantListSchema,
  GrantParamsSchema,
  GrantSchema,
  PlanParamsSchema,
  RevokeGrantSchema,
} from '../schemas/plans.ts';
import { auditRefusal } from '../services/audit.ts';
import { openPlan } from '../services/plan-access.ts';

const errors = { 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

function toGrant(row: GrantRow, planClosed: boolean, now: Date) {
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

const grantRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

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
    async (request) => {
      const { facts, ability } = await openPlan(app.db, request.user, request.params.planId);
      if (!ability.can('read', asSubject('Grant', { planId: facts.planId }))) {
        await auditRefusal(app.db, request.user, facts.planId, 'read');
        throw new Forbidden('Only the lead and the client see the consent given in this plan.');
      }
      const now = new Date();
      return {
        items: (await listGrants(app.db, facts.planId)).map((row) => toGrant(row, facts.closed, now)),
      };
    },
  );

  app.post(
    '/plans/:planId/grants',
    {
      schema: {
        tags: ['consent'],
        summary: 'Record consent: one member may see these sections',
        params: PlanParamsSchema,
        body: CreateGrantSchema,
        response: { 201: GrantListSchema, 400: ProblemSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const user = request.user;
      const body = request.body;
      const { facts, ability } = await openPlan(app.db, user, request.params.planId);
      const planId = facts.planId;
      if (!ability.can('create', asSubject('Grant', { planId }))) {
        await auditRefusal(app.db, user, planId, 'grant', body.sections);
        throw new Forbidden(
          facts.closed
            ? 'This plan is closed: consent can no longer be given.'
            : 'Only the lead and the client record consent.',
        );
      }
      const byClient = roleInPlan(user, facts) === 'client';
      if (byClient !== (body.method === 'in_app')) {
        throw new Unprocessable(
          'consent-method',
          'Wrong way of recording consent',
          byClient
            ? 'Consent you give yourself is recorded as "in_app".'
            : 'The lead records consent the client gave "verbal" or "written"; "in_app" is for the client.',
        );
      }
      const member = await findMemberForConsent(app.db, planId, body.memberId);
      if (!member || member.removedAt)
        throw new Unprocessable('unknown-member', 'Unknown member', 'This person is not in this plan.');
      if (!member.userId || member.userKind !== 'professional') {
        throw new Unprocessable(
          'member-without-account',
          'Cannot share with this member',
          'Only professionals with a Liaison account can be given access.',
        );
      }
      if (member.status !== 'current') {
        throw new Unprocessable(
          'past-member',
          'Cannot share with a past member',
          'This person no longer takes part in the plan.',
        );
      }
      if (member.userId === facts.leadUserId) {
        throw new Unprocessable('lead-member', 'No consent needed', 'The lead already sees the whole plan.');
      }
      const secrecyBound = body.sections.filter(isSecrecyBoundSection);
      if (secrecyBound.length > 0 && !member.secrecyBound) {
        throw new Unprocessable(
          'not-secrecy-bound',
          'This member may not receive these sections',
          `${secrecyBound.join(' and ')} can only be shared with professionals bound by professional secrecy, and ${member.name ?? 'this member'} is not.`,
        );
      }
      const validFrom = body.validFrom ? new Date(body.validFrom) : new Date();
      const validUntil = body.validUntil ? new Date(body.validUntil) : null;
      if (validUntil && validUntil <= validFrom) {
        throw new Unprocessable(
          'invalid-period',
          'Invalid period',
          'The end of the consent must come after its start.',
        );
      }
      const sections = [...new Set(body.sections)];
      const createdIds = await app.db.transaction(async (tx) => {
        const ids = await insertGrants(tx, {
          planId,
          memberId: member.id,
          sections,
          access: body.access,
          validFrom,
          validUntil,
          method: body.method,
          note: body.note ?? null,
          recordedBy: user.id,
        });
        await appendAuditEvent(tx, {
          planId,
          actorUserId: user.id,
          action: 'grant',
          sections,
          subjectType: 'Member',
          subjectId: member.id,
          details: { grantIds: ids, access: body.access, method: body.method },
        });
        return new Set(ids);
      });
      const now = new Date();
      const created = (await listGrants(app.db, planId)).filter((row) => createdIds.has(row.id));
      reply.code(201);
      return { items: created.map((row) => toGrant(row, facts.closed, now)) };
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
    async (request) => {
      const user = request.user;
      const { facts, ability } = await openPlan(app.db, user, request.params.planId);
      const planId = facts.planId;
      const grant = await findGrant(app.db, planId, request.params.grantId);
      if (!grant) throw new NotFound('This consent does not exist in this plan.');
      if (!ability.can('revoke', asSubject('Grant', { planId }))) {
        await auditRefusal(app.db, user, planId, 'revoke', [grant.section]);
        throw new Forbidden('Only the lead and the client withdraw consent.');
      }
      if (grant.revokedAt) throw new Conflict('This consent was already withdrawn.');
      const method: ConsentMethod = roleInPlan(user, facts) === 'client' ? 'in_app' : 'verbal';
      await app.db.transaction(async (tx) => {
        const revoked = await insertRevocation(tx, {
          planId,
          grantId: grant.id,
          revokedBy: user.id,
          method,
          reason: request.body?.reason ?? null,
        });
        if (!revoked) throw new Conflict('This consent was already withdrawn.');
        await appendAuditEvent(tx, {
          planId,
          actorUserId: user.id,
          action: 'revoke',
          sections: [grant.section],
          subjectType: 'Grant',
          subjectId: grant.id,
          details: { memberId: grant.memberId, method },
        });
      });
      const row = (await listGrants(app.db, planId)).find((g) => g.id === grant.id);
      if (!row) throw new NotFound();
      return toGrant(row, facts.closed, new Date());
    },
  );
};

export default grantRoutes;
