import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** The client's data in their hands: the whole plan as JSON and as a PDF, and a printed plan for a member without an account. */
const exportRoutes: FastifyPluginAsyncZod = async () => {};

export default exportRoutes;
