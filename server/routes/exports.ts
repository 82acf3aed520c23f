import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProblemSchema } from '../../domain/schemas/common.ts';
import {
  PdfSchema,
  PlanExportSchema,
  PrintQuerySchema,
  type PlanExport,
} from '../../domain/schemas/exports.ts';
import { PlanParamsSchema } from '../../domain/schemas/plans.ts';
import { LOCALES, isLocale } from '../../domain/vocabularies.ts';
import { exportPlanJson, exportPlanPdf, printForMember } from '../exports/plan-export.ts';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

/** A PDF answer, as OpenAPI describes it (the Buffer is sent as it is, never serialized). */
const pdfAnswer = { description: 'A PDF document', content: { 'application/pdf': { schema: PdfSchema } } };

/** `liaison-plan-2026-12-02.json`: the day, never the client's name (a file name travels far). */
const fileName = (extension: string) => `liaison-plan-${new Date().toISOString().slice(0, 10)}.${extension}`;

const PrintQuery = PrintQuerySchema.extend({
  /** The language of the paper; by default the language of the one who prints. */
  lang: z.enum(LOCALES).optional(),
}).strict();

/** The client's data in their hands: the whole plan as JSON and as a PDF, and a printed plan for a member without an account. */
const exportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/plans/:planId/export',
    {
      schema: {
        tags: ['exports'],
        summary:
          'The whole plan as JSON, to take elsewhere (the client, the lead and co-leads): every section, the network, consent, visibility decisions and the access log',
        params: PlanParamsSchema,
        // Documentation of the 200 answer: it is a stream, which Fastify sends as it is without
        // running the serializer; the service puts every part through this schema itself.
        response: { 200: PlanExportSchema, ...errors },
      },
    },
    async (request, reply) => {
      const stream = await exportPlanJson(request.plan);
      return (
        reply
          .header('content-type', 'application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="${fileName('json')}"`)
          // The type provider types the answer as the schema's object; the stream writes that object.
          .send(stream as unknown as PlanExport)
      );
    },
  );

  app.get(
    '/plans/:planId/export.pdf',
    {
      schema: {
        tags: ['exports'],
        summary:
          "The whole plan as an easy-to-read PDF in the client's language: the plan, the network, who may read what, who looked",
        params: PlanParamsSchema,
        response: { 200: pdfAnswer, ...errors },
      },
    },
    async (request, reply) => {
      const pdf = await exportPlanPdf(request.plan);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${fileName('pdf')}"`)
        .send(pdf as unknown as string); // a Buffer is sent as it is (the schema documents binary)
    },
  );

  app.get(
    '/plans/:planId/print',
    {
      schema: {
        tags: ['exports'],
        summary:
          'Print what one member may read now, for a member without an account (lead and co-leads of an open plan); logged as a share',
        params: PlanParamsSchema,
        querystring: PrintQuery,
        response: { 200: pdfAnswer, 409: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { memberId, lang } = request.query;
      const locale = lang ?? (isLocale(request.plan.user.locale) ? request.plan.user.locale : 'nl');
      const pdf = await printForMember(request.plan, memberId, locale);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="${fileName('pdf')}"`)
        .send(pdf as unknown as string); // a Buffer is sent as it is (the schema documents binary)
    },
  );
};

export default exportRoutes;
