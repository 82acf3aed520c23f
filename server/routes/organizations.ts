import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  decodeDirectoryCursor,
  encodeDirectoryCursor,
  findOrganization,
  searchOrganizations,
  searchWords,
  updateOrganization,
  type OrganizationChanges,
} from '../../db/queries/organizations.ts';
import { asSubject, defineAbilityFor, type AppAbility } from '../../policies/index.ts';
import { BadRequest, Forbidden, NotFound, PreconditionFailed } from '../errors.ts';
import { ProblemSchema } from '../schemas/common.ts';
import {
  OrganizationListQuerySchema,
  OrganizationListSchema,
  OrganizationParamsSchema,
  OrganizationSchema,
  UpdateOrganizationSchema,
} from '../schemas/organizations.ts';
import { assertVersion, requireIfMatch, setEtag } from '../services/versioning.ts';

const errors = { 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

/**
 * Clients are refused the directory as a whole (403, not 404): that it exists is no secret, and
 * the answer does not depend on which organisation is asked for, so it reveals nothing.
 */
function assertMaySearch(ability: AppAbility): void {
  if (!ability.can('read', 'Organization'))
    throw new Forbidden('The partner directory is for professionals and organisation admins.');
}

const organizationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/organizations',
    {
      schema: {
        tags: ['directory'],
        summary:
          'Search the partner directory in Dutch or French, by sector, language, municipality or postcode',
        querystring: OrganizationListQuerySchema,
        response: { 200: OrganizationListSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request) => {
      const ability = defineAbilityFor(request.user);
      assertMaySearch(ability);
      const { cursor, ...filters } = request.query;
      const kind = searchWords(filters.q).length > 0 ? 'rank' : 'name';
      const after = cursor === undefined ? undefined : decodeDirectoryCursor(cursor, kind);
      if (after === null)
        throw new BadRequest('This cursor does not belong to this search: start again from the first page.');
      const { rows, next } = await searchOrganizations(app.db, ability, { ...filters, after });
      return { items: rows, nextCursor: next && encodeDirectoryCursor(next) };
    },
  );

  app.get(
    '/organizations/:organizationId',
    {
      schema: {
        tags: ['directory'],
        summary: "One organisation's directory entry, with its version as ETag",
        params: OrganizationParamsSchema,
        response: { 200: OrganizationSchema, 400: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const ability = defineAbilityFor(request.user);
      assertMaySearch(ability);
      const row = await findOrganization(app.db, ability, request.params.organizationId);
      if (!row) throw new NotFound('This organisation is not in the directory.');
      setEtag(reply, row.version);
      return row;
    },
  );

  app.patch(
    '/organizations/:organizationId',
    {
      schema: {
        tags: ['directory'],
        summary: "Change your organisation's directory entry (its admins only; If-Match required)",
        params: OrganizationParamsSchema,
        body: UpdateOrganizationSchema,
        response: {
          200: OrganizationSchema,
          400: ProblemSchema,
          412: ProblemSchema,
          428: ProblemSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const ability = defineAbilityFor(request.user);
      assertMaySearch(ability);
      const organizationId = request.params.organizationId;
      const current = await findOrganization(app.db, ability, organizationId);
      if (!current) throw new NotFound('This organisation is not in the directory.');
      if (!ability.can('update', asSubject('Organization', current)))
        throw new Forbidden("Only your organisation's admins change its directory entry.");
      const expected = requireIfMatch(request);
      assertVersion(expected, current.version);

      const body = request.body;
      const changes: OrganizationChanges = Object.fromEntries(
        Object.entries({
          ...body,
          sectors: body.sectors && [...new Set(body.sectors)],
          languages: body.languages && [...new Set(body.languages)],
          services: body.services && [...new Set(body.services)],
        }).filter(([, value]) => value !== undefined),
      );
      const updated = await updateOrganization(app.db, organizationId, expected, changes);
      if (!updated) {
        throw (await findOrganization(app.db, ability, organizationId))
          ? new PreconditionFailed()
          : new NotFound('This organisation is not in the directory.');
      }
      setEtag(reply, updated.version);
      return updated;
    },
  );
};

export default organizationRoutes;
