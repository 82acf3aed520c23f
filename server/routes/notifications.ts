import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProblemSchema } from '../../domain/schemas/common.ts';
import {
  ClientMessageSchema,
  ClientMessageSentSchema,
  DigestSettingSchema,
  NotificationCountSchema,
  NotificationListQuerySchema,
  NotificationListSchema,
  NotificationParamsSchema,
  NotificationSchema,
} from '../../domain/schemas/notifications.ts';
import { PlanParamsSchema } from '../../domain/schemas/plans.ts';
import {
  countMyUnreadNotifications,
  listMyNotifications,
  markMyNotificationRead,
  readMyDigest,
  sendClientMessage,
  setMyDigest,
} from '../services/notifications.ts';

const errors = { 400: ProblemSchema, 401: ProblemSchema };

/** The signed-in user's inbox (issue 14), their digest setting, and the client's message to the lead. */
const notificationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/notifications',
    {
      schema: {
        tags: ['notifications'],
        operationId: 'listNotifications',
        summary: "The signed-in user's notices, newest first, as they may read them now",
        querystring: NotificationListQuerySchema,
        response: { 200: NotificationListSchema, ...errors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return listMyNotifications(request.context, request.query);
    },
  );

  app.get(
    '/notifications/count',
    {
      schema: {
        tags: ['notifications'],
        operationId: 'countUnreadNotifications',
        summary: 'How many of the signed-in user’s notices are unread',
        response: { 200: NotificationCountSchema, 401: ProblemSchema },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return countMyUnreadNotifications(request.context);
    },
  );

  app.post(
    '/notifications/:id/read',
    {
      schema: {
        tags: ['notifications'],
        operationId: 'markNotificationRead',
        summary: 'Mark one of your notices read (anyone else’s answers 404)',
        params: NotificationParamsSchema,
        response: { 200: NotificationSchema, 404: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return markMyNotificationRead(request.context, request.params.id);
    },
  );

  app.get(
    '/me/digest',
    {
      schema: {
        tags: ['notifications'],
        operationId: 'getDigestSetting',
        summary: 'Whether you receive the daily e-mail digest',
        response: { 200: DigestSettingSchema, 401: ProblemSchema },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return readMyDigest(request.context);
    },
  );

  // A preference of the user's own, like the interface language: the last choice wins, no If-Match.
  app.put(
    '/me/digest',
    {
      schema: {
        tags: ['notifications'],
        operationId: 'setDigestSetting',
        summary: 'Switch the daily e-mail digest on or off',
        body: DigestSettingSchema,
        response: { 200: DigestSettingSchema, ...errors },
      },
    },
    async (request) => setMyDigest(request.context, request.body.emailDigest),
  );

  app.post(
    '/plans/:planId/messages',
    {
      schema: {
        tags: ['notifications'],
        operationId: 'writeToLead',
        summary: 'The client writes to their support worker (kept for the lead only)',
        params: PlanParamsSchema,
        body: ClientMessageSchema,
        response: { 201: ClientMessageSentSchema, 403: ProblemSchema, 404: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return sendClientMessage(request.plan, request.body.body);
    },
  );
};

export default notificationRoutes;
