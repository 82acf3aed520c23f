import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProblemSchema } from '../../domain/schemas/common.ts';
import { PlanParamsSchema } from '../../domain/schemas/plans.ts';
import { FHIR_JSON } from '../fhir/bundle.ts';
import { openPlanBundle } from '../fhir/plan-bundle.ts';
import { FhirBundleSchema, type FhirBundle } from '../fhir/schema.ts';

/** The plan as a FHIR R4 Bundle, holding only what the caller may read. */
const fhirRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/plans/:planId/fhir',
    {
      schema: {
        tags: ['plans'],
        summary: 'The plan as a FHIR R4 Bundle, holding only what I may read',
        description:
          'A `collection` Bundle (`application/fhir+json`), streamed: Patient, CarePlan (activities from ' +
          'the actions), CareTeam (the network), Goal, Consent (one per grant) and AuditEvent (the access ' +
          'log) — each only when the caller may read that part of the plan. The response schema is loose: ' +
          'FHIR R4 is the contract.',
        params: PlanParamsSchema,
        response: {
          200: { description: 'A FHIR R4 Bundle', content: { [FHIR_JSON]: { schema: FhirBundleSchema } } },
          401: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const text = await openPlanBundle(request.plan);
      // Fastify pipes a stream as it is (no serializer runs on it): the schema documents the
      // answer, whose type the stream cannot state, hence the cast.
      const stream: unknown = Readable.from(text);
      return reply.type(FHIR_JSON).send(stream as FhirBundle);
    },
  );
};

export default fhirRoutes;
