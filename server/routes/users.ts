import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { appendAuditEvent } from '../../db/queries/audit.ts';
import {
  emailTaken,
  findOrganizationUser,
  insertOrganizationUser,
  listOrganizationUsers,
  updateOrganizationUser,
  type ManagedUserRow,
} from '../../db/queries/managed-users.ts';
import { asSubject, defineAbilityFor } from '../../policies/index.ts';
import { Conflict, Forbidden, NotFound, PreconditionFailed, Unprocessable } from '../errors.ts';
import { ProblemSchema } from '../schemas/common.ts';
import {
  CreateUserSchema,
  ManagedUserListSchema,
  ManagedUserSchema,
  UpdateUserSchema,
  UserListQuerySchema,
  UserParamsSchema,
} from '../schemas/users.ts';
import { hashPassword } from '../../db/passwords.ts';
import { requireIfMatch, setEtag } from '../services/versioning.ts';

const errors = { 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

function toManagedUser(row: ManagedUserRow) {
  if (row.kind === 'client') throw new Error('clients belong to no organisation');
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    kind: row.kind,
    locale: row.locale,
    secrecyBound: row.secrecyBound,
    disabled: row.disabled,
    version: row.version,
  };
}

/**
 * An organisation admin manages the organisation's users: creates accounts, sets who is bound
 * by professional secrecy, disables accounts (refused from the next request on).
 */
const userRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);

  /** The admin's organisation, or 403 for anyone who may not manage users. */
  function managedOrganization(
    user: Parameters<typeof defineAbilityFor>[0],
    action: 'read' | 'create' | 'update',
  ) {
    const organizationId = user.organizationId;
    const ability = defineAbilityFor(user);
    if (!organizationId || !ability.can(action, asSubject('User', { organizationId }))) {
      throw new Forbidden("Only your organisation's admin manages its users.");
    }
    return organizationId;
  }

  app.get(
    '/users',
    {
      schema: {
        tags: ['admin'],
        summary: "The organisation's users (admins only)",
        querystring: UserListQuerySchema,
        response: { 200: ManagedUserListSchema, 400: ProblemSchema, ...errors },
      },
    },
    async (request) => {
      const organizationId = managedOrganization(request.user, 'read');
      const { rows, hasMore } = await listOrganizationUsers(app.db, organizationId, {
        limit: request.query.limit,
        after: request.query.cursor,
      });
      return { items: rows.map(toManagedUser), nextCursor: hasMore ? (rows.at(-1)?.id ?? null) : null };
    },
  );

  app.post(
    '/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create an account in the organisation',
        body: CreateUserSchema,
        response: { 201: ManagedUserSchema, 400: ProblemSchema, 409: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const organizationId = managedOrganization(request.user, 'create');
      const body = request.body;
      if (await emailTaken(app.db, body.email))
        throw new Conflict('An account with this e-mail address exists.');
      const passwordHash = await hashPassword(body.password);
      const created = await app.db.transaction(async (tx) => {
        const row = await insertOrganizationUser(tx, {
          organizationId,
          email: body.email,
          name: body.name,
          kind: body.kind,
          locale: body.locale,
          secrecyBound: body.secrecyBound,
          passwordHash,
        });
        await appendAuditEvent(tx, {
          planId: null,
          actorUserId: request.user.id,
          action: 'create',
          sections: [],
          subjectType: 'User',
          subjectId: row.id,
          details: { kind: body.kind, secrecyBound: body.secrecyBound },
        });
        return row;
      });
      setEtag(reply, created.version);
      reply.code(201);
      return toManagedUser(created);
    },
  );

  app.patch(
    '/users/:userId',
    {
      schema: {
        tags: ['admin'],
        summary: 'Change, disable or set the secrecy flag of an account',
        params: UserParamsSchema,
        body: UpdateUserSchema,
        response: {
          200: ManagedUserSchema,
          400: ProblemSchema,
          412: ProblemSchema,
          422: ProblemSchema,
          428: ProblemSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const organizationId = managedOrganization(request.user, 'update');
      const existing = await findOrganizationUser(app.db, organizationId, request.params.userId);
      if (!existing) throw new NotFound();
      const expected = requireIfMatch(request);
      if (existing.id === request.user.id && request.body.disabled === true) {
        throw new Unprocessable(
          'self-disable',
          'You cannot disable yourself',
          'Ask another admin of your organisation.',
        );
      }
      const updated = await app.db.transaction(async (tx) => {
        const row = await updateOrganizationUser(tx, organizationId, existing.id, expected, request.body);
        if (!row) throw new PreconditionFailed();
        await appendAuditEvent(tx, {
          planId: null,
          actorUserId: request.user.id,
          action: 'update',
          sections: [],
          subjectType: 'User',
          subjectId: row.id,
          details: { fields: Object.keys(request.body) },
        });
        return row;
      });
      setEtag(reply, updated.version);
      return toManagedUser(updated);
    },
  );
};

export default userRoutes;
