import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { BadRequest, Conflict, HttpProblem, problemType, ServiceUnavailable } from '../errors.ts';
import type { Problem } from '../../domain/schemas/common.ts';

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
      // A statement written to a connection whose backend just died (seen under backend kills).
      'EPIPE',
      'ECONNABORTED',
      'EHOSTUNREACH',
      'ENETUNREACH',
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

/** The PostgreSQL error code (SQLSTATE) of a failed statement; drizzle keeps the driver's error as `cause`. */
function sqlState(error: unknown): string | null {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    if ((e as { cause?: unknown }).cause === e) break;
  }
  return null;
}

/**
 * What a refused statement means for the person who sent the request, for every route: the
 * transaction it ran in was rolled back, so nothing of the change was written.
 */
function databaseProblem(code: string): HttpProblem | null {
  switch (code) {
    case '23505': // unique_violation
      return new Conflict(
        'This already exists: someone may have done the same in the meantime. Reload and try again.',
      );
    case '23503': // foreign_key_violation
      return new Conflict(
        'Something this refers to was changed or removed in the meantime. Reload and try again.',
      );
    case '40001': // serialization_failure
    case '40P01': // deadlock_detected
      return new Conflict('Someone else was changing the same thing at the same moment. Try again.');
    case '22P02': // invalid_text_representation
    case '22P05': // untranslatable_character
    case '22021': // character_not_in_repertoire (a NUL character, bytes that are not UTF-8)
    case '22001': // string_data_right_truncation
    case '22003': // numeric_value_out_of_range
    case '22007': // invalid_datetime_format
    case '22008': // datetime_field_overflow
    case '23514': // check_violation
    case '23502': // not_null_violation
      return new BadRequest('Some of what was sent cannot be stored as it is; nothing was changed.');
    default:
      return null;
  }
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
 * What Fastify answers before any route or hook runs (Fastify's `frameworkErrors` option): a URL
 * that is not valid percent-encoding (400), a path parameter too long (414), as problem+json.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = typeof error.statusCode === 'number' && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) request.log.error({ err: error }, 'unhandled framework error');
  return sendProblem(reply, request, {
    type: problemType(status === 500 ? 'internal' : 'bad-request'),
    title: status === 500 ? 'Something went wrong' : 'Bad request',
    status,
    detail:
      status === 500
        ? 'Something went wrong on our side. Try again, or tell your administrator.'
        : status === 414
          ? 'This address is too long.'
          : 'This address is not valid: it must be percent-encoded UTF-8 text.',
  });
}

/**
 * One error handler for the whole API: typed problems, validation errors with field errors,
 * and 5xx answers that never carry internals (RFC 9457 problem+json).
 */
export default fp(
  async function errorsPlugin(app) {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const code = error instanceof HttpProblem ? null : sqlState(error);
      const mapped = code ? databaseProblem(code) : null;
      if (mapped) request.log.warn({ sqlState: code, route: request.routeOptions.url }, 'statement refused');
      const problem = error instanceof HttpProblem ? error : mapped;
      if (problem) {
        return sendProblem(
          reply,
          request,
          {
            type: problemType(problem.slug),
            title: problem.title,
            status: problem.status,
            detail: problem.detail,
          },
          problem.headers,
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
        // A failure outside a transaction may come after part of the work: say only what is known.
        detail:
          'Something went wrong on our side. Reload to see what was saved, then try again, or tell your administrator.',
      });
    });
  },
  { name: 'errors' },
);
