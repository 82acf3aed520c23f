import fastifyCookie from '@fastify/cookie';
import fastifyJwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { findSessionUser, findSessionUserWithPlanFacts, type SessionUser } from '../../db/queries/users.ts';
import type { AppConfig } from '../config.ts';
import { Unauthorized } from '../errors.ts';
import { keepFactsReadWithSession } from '../services/plan-access.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The plan a request is about (its `:planId`), when it is a well-formed id. */
function planIdOf(params: unknown): string | null {
  const planId = (params as { planId?: unknown } | undefined)?.planId;
  return typeof planId === 'string' && UUID.test(planId) ? planId : null;
}

export const SESSION_COOKIE = 'liaison_session';
export const TOKEN_ISSUER = 'liaison';
export const TOKEN_AUDIENCE = 'liaison-api';

/** What a token carries: only who and which session. Rights are looked up on every request. */
export interface TokenPayload {
  sub: string;
  sid: string;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenPayload;
    user: SessionUser;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook: refuses the request with 401 unless it carries a valid, open session. */
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
  interface FastifyRequest {
    sessionId: string | null;
  }
}

/**
 * Sign-in sessions: a JWT (HS256 pinned; `exp`, `iss`, `aud` required) in an httpOnly
 * SameSite=Strict cookie or a Bearer header, naming a session row that must still be open.
 */
export default fp<{ config: AppConfig }>(
  async function authPlugin(app, { config }) {
    await app.register(fastifyCookie);
    await app.register(fastifyJwt, {
      secret: config.JWT_SECRET,
      cookie: { cookieName: SESSION_COOKIE, signed: false },
      sign: {
        algorithm: 'HS256',
        iss: TOKEN_ISSUER,
        aud: TOKEN_AUDIENCE,
        // fast-jwt reads a bare number as milliseconds: say seconds explicitly.
        expiresIn: `${config.SESSION_TTL_SECONDS}s`,
      },
      verify: {
        algorithms: ['HS256'],
        allowedIss: TOKEN_ISSUER,
        allowedAud: TOKEN_AUDIENCE,
        requiredClaims: ['exp', 'iss', 'aud', 'sub', 'sid'],
        // Verified tokens are remembered (until their `exp`, at most 10 minutes) so that the
        // signature is not checked again on every request; the session row still is.
        cache: 10_000,
      },
    });

    app.decorateRequest('sessionId', null);
    app.decorate('authenticate', async function authenticate(request: FastifyRequest) {
      let payload: TokenPayload;
      try {
        payload = await request.jwtVerify<TokenPayload>();
      } catch {
        throw new Unauthorized();
      }
      const planId = planIdOf(request.params);
      const found = planId
        ? await findSessionUserWithPlanFacts(app.db, payload.sid, new Date(), planId)
        : { user: await findSessionUser(app.db, payload.sid, new Date()), planFacts: null };
      const user = found?.user;
      if (!user || user.id !== payload.sub)
        throw new Unauthorized('Your session has ended. Please sign in again.');
      if (planId) keepFactsReadWithSession(user, planId, found.planFacts);
      request.user = user;
      request.sessionId = payload.sid;
    });
  },
  { name: 'auth', dependencies: ['db'] },
);
