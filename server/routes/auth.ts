import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppConfig } from '../config.ts';
import { SESSION_COOKIE } from '../plugins/auth.ts';
import { LoginResponseSchema, LoginSchema } from '../../domain/schemas/auth.ts';
import { ProblemSchema } from '../../domain/schemas/common.ts';
import { LoginThrottle } from '../services/login-throttle.ts';
import { signIn, signOut } from '../services/sessions.ts';
import { toUserResponse } from './me.ts';

/** Sign-in and sign-out: a JWT naming a session row, in an httpOnly cookie (and in the answer, for Bearer use). */
const authRoutes: FastifyPluginAsyncZod<{ config: AppConfig }> = async (app, { config }) => {
  const throttle = new LoginThrottle({
    maxFailuresPerAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    maxFailuresPerAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
    blockSeconds: config.LOGIN_BLOCK_SECONDS,
  });

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password',
        body: LoginSchema,
        response: { 200: LoginResponseSchema, 400: ProblemSchema, 401: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { user, sessionId, expiresAt } = await signIn(app.db, throttle, {
        ...request.body,
        address: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        ttlSeconds: config.SESSION_TTL_SECONDS,
      });
      const token = await reply.jwtSign({ sub: user.id, sid: sessionId });
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        path: '/',
        maxAge: config.SESSION_TTL_SECONDS,
      });
      reply.header('cache-control', 'no-store');
      return { user: toUserResponse(user), expiresAt: expiresAt.toISOString(), token };
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
