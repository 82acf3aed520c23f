import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pingDatabase } from '../../db/queries/health.ts';
import { ServiceUnavailable } from '../errors.ts';
import { ProblemSchema } from '../../domain/schemas/common.ts';

const HEALTH_TIMEOUT_MS = 2000;

const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Whether Liaison and its database answer',
        response: { 200: z.object({ status: z.literal('ok') }), 503: ProblemSchema },
      },
    },
    async (_request, reply) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('database ping timed out')), HEALTH_TIMEOUT_MS);
      });
      try {
        await Promise.race([pingDatabase(app.db), timeout]);
      } catch {
        throw new ServiceUnavailable();
      } finally {
        clearTimeout(timer);
      }
      reply.header('cache-control', 'no-store');
      return { status: 'ok' as const };
    },
  );
};

export default healthRoutes;
