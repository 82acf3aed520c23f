import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EmbeddedState } from '../../db/embedded.ts';
import { pingDatabase } from '../../db/queries/health.ts';
import { ServiceUnavailable, problemType } from '../errors.ts';
import { ProblemSchema } from '../../domain/schemas/common.ts';

const HEALTH_TIMEOUT_MS = 2000;

export const HealthSchema = z
  .object({ status: z.literal('ok'), database: z.literal('ok') })
  .meta({ id: 'Health' });

/** A 503 from /api/health says why: the embedded PostgreSQL is being restarted, or it does not answer. */
export const HealthProblemSchema = ProblemSchema.extend({
  database: z.enum(['restarting', 'unreachable']),
}).meta({ id: 'HealthProblem' });

export interface HealthOptions {
  /** The embedded PostgreSQL's supervisor state; absent with DATABASE_URL. */
  databaseState?: () => EmbeddedState;
}

const healthRoutes: FastifyPluginAsyncZod<HealthOptions> = async (app, { databaseState }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Whether Liaison and its database answer',
        response: { 200: HealthSchema, 503: HealthProblemSchema },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const unavailable = (database: 'restarting' | 'unreachable') => {
        const problem = new ServiceUnavailable(
          database === 'restarting'
            ? 'The database stopped and is being restarted. Try again in a moment.'
            : undefined,
        );
        return reply
          .code(503)
          .headers(problem.headers)
          .type('application/problem+json')
          .send({
            type: problemType(problem.slug),
            title: problem.title,
            status: 503,
            detail: problem.detail,
            instance: request.url,
            database,
          });
      };
      if (databaseState?.() === 'restarting') return unavailable('restarting');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('database ping timed out')), HEALTH_TIMEOUT_MS);
      });
      try {
        await Promise.race([pingDatabase(app.db), timeout]);
      } catch {
        return unavailable(databaseState?.() === 'restarting' ? 'restarting' : 'unreachable');
      } finally {
        clearTimeout(timer);
      }
      return { status: 'ok' as const, database: 'ok' as const };
    },
  );
};

export default healthRoutes;
