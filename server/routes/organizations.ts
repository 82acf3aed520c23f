import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProblemSchema } from '../../domain/schemas/common.ts';
import {
  OrganizationListQuerySchema,
  OrganizationListSchema,
  OrganizationParamsSchema,
  OrganizationPeopleSchema,
  OrganizationSchema,
  UpdateOrganizationSchema,
} from '../../domain/schemas/organizations.ts';
import {
  changeOrganization,
  listPeopleOfOrganization,
  readOrganization,
  searchDirectory,
} from '../services/organizations.ts';
import { setEtag } from '../services/versioning.ts';

const errors = { 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

/** The partner directory: the Brussels welfare field's organisations, in Dutch and French. */
const organizationRoutes: FastifyPluginAsyncZod = async (app) => {
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
    async (request) => searchDirectory(request.context, request.query),
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
      const row = await readOrganization(request.context, request.params.organizationId);
      setEtag(reply, row.version);
      return row;
    },
  );

  app.get(
    '/organizations/:organizationId/people',
    {
      schema: {
        tags: ['directory'],
        summary: 'The professionals of an organisation who have a Liaison account, to link into a network',
        params: OrganizationParamsSchema,
        response: { 200: OrganizationPeopleSchema, 400: ProblemSchema, ...errors },
      },
    },
    async (request) => listPeopleOfOrganization(request.context, request.params.organizationId),
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
      const updated = await changeOrganization(
        request.context,
        request.params.organizationId,
        request.body,
        request.headers['if-match'],
      );
      setEtag(reply, updated.version);
      return updated;
    },
  );
};

export default organizationRoutes;
