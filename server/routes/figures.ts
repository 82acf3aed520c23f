import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProblemSchema } from '../../domain/schemas/common.ts';
import { FiguresQuerySchema, FiguresSchema } from '../../domain/schemas/figures.ts';
import { OrganizationParamsSchema } from '../../domain/schemas/organizations.ts';
import { figuresCsv, figuresFileName, readFigures } from '../services/figures.ts';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

/** An organisation's anonymous registration figures, for its admin. */
const figureRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/organizations/:organizationId/figures',
    {
      schema: {
        tags: ['admin'],
        operationId: 'getOrganizationFigures',
        summary:
          "The organisation's registration figures per month, quarter or year (its admins only; counts from 1 to 4 suppressed)",
        params: OrganizationParamsSchema,
        querystring: FiguresQuerySchema,
        response: { 200: FiguresSchema, ...errors },
      },
    },
    async (request) => readFigures(request.context, request.params.organizationId, request.query),
  );

  app.get(
    '/organizations/:organizationId/figures.csv',
    {
      schema: {
        tags: ['admin'],
        operationId: 'getOrganizationFiguresCsv',
        summary: 'The same figures as a CSV file, in your language (counts from 1 to 4 written "< 5")',
        params: OrganizationParamsSchema,
        querystring: FiguresQuerySchema,
        response: {
          200: {
            description: 'A CSV file (RFC 4180, UTF-8 with a byte order mark)',
            content: { 'text/csv': { schema: z.string() } },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const figures = await readFigures(request.context, request.params.organizationId, request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${figuresFileName(figures)}"`)
        .send(figuresCsv(figures, request.context.user.locale));
    },
  );
};

export default figureRoutes;
