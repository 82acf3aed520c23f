import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createSession, findSessionUser, findUserForSignIn, revokeSession } from '../../db/queries/users.ts';
import type { AppConfig } from '../config.ts';
import { Unauthorized } from '../errors.ts';
import { SESSION_COOKIE } from '../plugins/auth.ts';
import { LoginResponseSchema, LoginSchema } from '../schemas/auth.ts';
import { ProblemSchema } from '../schemas/common.ts';
import { LoginThrottle } from '../services/login-throttle.ts';
import { verifyPassword } from '../../db/passwords.ts';
import { toUserResponse } from './me.ts';

const WRONG_CREDENTIALS = 'This e-mail address and password do not match an account.';

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
        response: { 200: LoginResponseSchema, 401: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      await throttle.assertAllowed(email, request.ip);
      const account = await findUserForSignIn(app.db, email);
      const passwordMatches = await verifyPassword(account?.passwordHash ?? null, password);
      if (!account || !passwordMatches || account.disabled) {
        await throttle.recordFailure(email, request.ip);
        throw new Unauthorized(WRONG_CREDENTIALS);
      }
      await throttle.recordSuccess(email);

      const expiresAt = new Date(Date.now() + config.SESSION_TTL_SECONDS * 1000);
      const sessionId = await createSession(app.db, {
        userId: account.id,
        expiresAt,
        userAgent: request.headers['user-agent'] ?? null,
      });
      const user = await findSessionUser(app.db, sessionId, new Date());
      if (!user) throw new Unauthorized(WRONG_CREDENTIALS);
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
      onRequest: [app.authenticate],
      schema: {
        tags: ['auth'],
        summary: 'Sign out: the session is refused from the next request on',
        response: { 204: z.null(), 401: ProblemSchema },
      },
    },
    async (request, reply) => {
      if (request.sessionId) await revokeSession(app.db, request.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );
};

export default authRoutes;
