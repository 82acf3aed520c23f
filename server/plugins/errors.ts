import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { HttpProblem, problemType, ServiceUnavailable } from '../errors.ts';
import type { Problem } from '../schemas/common.ts';

/** PostgreSQL and driver failures that mean "the database is not reachable right now". */
function isDatabaseUnavailable(error: unknown): boolean {
  // drizzle wraps driver errors: the driver's code is on the cause.
  const cause = (error as { cause?: unknown }).cause;
  if (cause && cause !== error && isDatabaseUnavailable(cause)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  return (
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'CONNECT_TIMEOUT',
      'CONNECTION_CLOSED',
      'CONNECTION_ENDED',
    ].includes(code) ||
    code.startsWith('08') || // connection exception
    code === '57P01' || // admin shutdown
    code === '57P03' // cannot connect now
  );
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: Problem, headers = {}) {
  return reply
    .code(problem.status)
    .headers(headers)
    .header('cache-control', 'no-store')
    .type('application/problem+json')
    .send({ ...problem, instance: request.url });
}

/**
 * One error handler for the whole API: typed problems, validation errors with field errors,
 * and 5xx answers that never carry internals (RFC 9457 problem+json).
 */
export default fp(
  async function errorsPlugin(app) {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof HttpProblem) {
        return sendProblem(
          reply,
          request,
          { type: problemType(error.slug), title: error.title, status: error.status, detail: error.detail },
          error.headers,
        );
      }
      if (hasZodFastifySchemaValidationErrors(error)) {
        const errors = error.validation.map((issue) => ({
          path: issue.instancePath.split('/').filter(Boolean).join('.'),
          message: issue.message ?? 'is not valid',
        }));
        return sendProblem(reply, request, {
          type: problemType('validation'),
          title: 'Invalid input',
          status: 400,
          detail: 'Some fields are missing or not valid; nothing was changed.',
          errors,
        });
      }
      if (isDatabaseUnavailable(error)) {
        request.log.error({ err: error }, 'database unavailable');
        const problem = new ServiceUnavailable();
        return sendProblem(
          reply,
          request,
          { type: problemType(problem.slug), title: problem.title, status: 503, detail: problem.detail },
          problem.headers,
        );
      }
      const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
      if (status >= 400 && status < 500) {
        return sendProblem(reply, request, {
          type: problemType(
            status === 413 ? 'payload-too-large' : status === 415 ? 'unsupported-media-type' : 'bad-request',
          ),
          title: status === 413 ? 'Too large' : status === 415 ? 'Unsupported content type' : 'Bad request',
          status,
          detail: error.message,
        });
      }
      request.log.error({ err: error }, 'unhandled error');
      return sendProblem(reply, request, {
        type: problemType('internal'),
        title: 'Something went wrong',
        status: 500,
        detail:
          'Something went wrong on our side. Nothing was changed. Try again, or tell your administrator.',
      });
    });
  },
  { name: 'errors' },
);
