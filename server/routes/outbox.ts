import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProblemSchema } from '../../domain/schemas/common.ts';
import {
  OutboxListQuerySchema,
  OutboxListSchema,
  OutboxMessageSchema,
  OutboxParamsSchema,
} from '../../domain/schemas/outbox.ts';
import { listOutbox, readOutboxMessage } from '../services/outbox.ts';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema };

/** The e-mails written to the outbox when there is no SMTP server (the offline demo), for admins. */
const outboxRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/outbox',
    {
      schema: {
        tags: ['admin'],
        operationId: 'listOutboxMessages',
        summary: 'The e-mails in the outbox, newest first (admins only)',
        querystring: OutboxListQuerySchema,
        response: { 200: OutboxListSchema, ...errors },
      },
    },
    async (request) => listOutbox(request.context, app.mailer, request.query),
  );

  app.get(
    '/outbox/:id',
    {
      schema: {
        tags: ['admin'],
        operationId: 'getOutboxMessage',
        summary: 'One e-mail of the outbox (admins only)',
        params: OutboxParamsSchema,
        response: { 200: OutboxMessageSchema, 404: ProblemSchema, ...errors },
      },
    },
    async (request) => readOutboxMessage(request.context, app.mailer, request.params.id),
  );
};

export default outboxRoutes;
