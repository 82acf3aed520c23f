import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** The plan as a FHIR R4 Bundle, holding only what the caller may read. */
const fhirRoutes: FastifyPluginAsyncZod = async () => {};

export default fhirRoutes;
