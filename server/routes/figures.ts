import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** An organisation's anonymous registration figures, for its admin. */
const figureRoutes: FastifyPluginAsyncZod = async () => {};

export default figureRoutes;
