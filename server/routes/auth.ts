import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppConfig } from '../config.ts';
import { SESSION_COOKIE } from '../plugins/auth.ts';
import { LoginResponseSchema, LoginSchema } from '../../domain/schemas/auth.ts';
import { ProblemSchema } from '../../domain/schemas/common.ts';
import { signIn, signOut } from '../services/sessions.ts';
import { answerWithSession } from './session-answer.ts';

/** Sign-in and sign-out: a JWT naming a session row, in an httpOnly cookie (and in the answer, for Bearer use). */
const authRoutes: FastifyPluginAsyncZod<{ config: AppConfig }> = async (app, { config }) => {
  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with an e-mail address or sign-in name, and a password',
        body: LoginSchema,
        response: { 200: LoginResponseSchema, 400: ProblemSchema, 401: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { login, email, password } = request.body;
      const { user, sessionId, expiresAt } = await signIn(app.db, app.throttles.signIn, {
        login: login ?? email ?? '',
        password,
        address: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        ttlSeconds: config.SESSION_TTL_SECONDS,
      });
      return answerWithSession(reply, config, { user, sessionId, expiresAt });
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out: the session is refused from the next request on',
        response: { 204: z.null(), 401: ProblemSchema },
      },
    },
    async (request, reply) => {
      await signOut(app.db, request.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );
};

export default authRoutes;
