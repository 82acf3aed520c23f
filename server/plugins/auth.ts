import fastifyCookie from '@fastify/cookie';
import fastifyJwt from '@fastify/jwt';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { findSessionUser, findSessionUserWithPlanFacts, type SessionUser } from '../../db/queries/users.ts';
import { actForUser, asSystem } from '../../db/scope.ts';
import type { PlanFacts } from '../../policies/index.ts';
import type { AppConfig } from '../config.ts';
import { Unauthorized } from '../errors.ts';

export const SESSION_COOKIE = 'liaison_session';
export const TOKEN_ISSUER = 'liaison';
export const TOKEN_AUDIENCE = 'liaison-api';

/**
 * The only routes under /api that answer without a session. Everything else is refused with 401
 * before its handler runs: a new route is private unless it is named here.
 */
export const PUBLIC_ROUTES: readonly string[] = [
  'POST /api/auth/login',
  // How people without a session get one: an access letter, an invitation, a reset link.
  'POST /api/activate',
  'GET /api/invitations/:token',
  'POST /api/invitations/:token/accept',
  'POST /api/password-reset',
  'POST /api/password-reset/:token',
  'GET /api/health',
  // Who is signed in, or nobody: answered 200 either way, so a signed-out page logs no error.
  'GET /api/session',
  'GET /api/openapi.json',
];
/** The browsable API documentation and its static files. */
export const PUBLIC_PREFIXES: readonly string[] = ['/api/docs'];

/** Whether a route (method and URL pattern as registered) answers without a session. */
export function isPublicRoute(method: string, url: string): boolean {
  if (!url.startsWith('/api/') && url !== '/api') return true;
  // Fastify answers HEAD with the GET route.
  if (PUBLIC_ROUTES.includes(`${method === 'HEAD' ? 'GET' : method} ${url}`)) return true;
  return PUBLIC_PREFIXES.some((prefix) => url === prefix || url.startsWith(`${prefix}/`));
}

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
    /** On a public route: identifies the signed-in user when there is one; false otherwise. */
    identify: (request: FastifyRequest) => Promise<boolean>;
  }
  interface FastifyRequest {
    sessionId: string | null;
    /**
     * The facts of the request's plan (its `:planId`), read in the same statement as the session;
     * undefined when the route is not about one plan. Taken by the plan context (plugins/plan-context.ts).
     */
    planFactsReadWithSession: PlanFacts | null | undefined;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** The plan a request is about (its `:planId`), when it is a well-formed id. */
function planIdOf(params: unknown): string | null {
  const planId = (params as { planId?: unknown } | undefined)?.planId;
  return isUuid(planId) ? planId.toLowerCase() : null;
}

/**
 * Sign-in sessions: a JWT (HS256 pinned; `exp`, `iss`, `aud` required) in an httpOnly
 * SameSite=Strict cookie or a Bearer header, naming a session row that must still be open.
 * Every route under /api requires one, except the public routes named above.
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
    app.decorateRequest('planFactsReadWithSession', undefined);

    async function authenticate(request: FastifyRequest): Promise<void> {
      let payload: TokenPayload;
      try {
        payload = await request.jwtVerify<TokenPayload>();
      } catch {
        throw new Unauthorized();
      }
      // A well-signed token names a session and a user by uuid; anything else is not one of ours
      // (never a statement that fails on the cast).
      if (!isUuid(payload.sid) || !isUuid(payload.sub)) throw new Unauthorized();
      const planId = planIdOf(request.params);
      // The session and the facts the policies are built from are read before anyone is known.
      const found = await asSystem(async () =>
        planId
          ? await findSessionUserWithPlanFacts(app.db, payload.sid, new Date(), planId)
          : { user: await findSessionUser(app.db, payload.sid, new Date()), planFacts: undefined },
      );
      const user = found?.user;
      if (!user || user.id !== payload.sub)
        throw new Unauthorized('Your session has ended. Please sign in again.');
      request.user = user;
      actForUser(user.id);
      request.sessionId = payload.sid;
      request.planFactsReadWithSession = found.planFacts;
    }

    app.decorate('identify', async (request: FastifyRequest) => {
      if (!request.cookies[SESSION_COOKIE] && !request.headers.authorization) return false;
      try {
        await authenticate(request);
        return true;
      } catch (error) {
        if (error instanceof Unauthorized) return false;
        throw error;
      }
    });

    app.addHook('onRequest', async (request, reply) => {
      const url = request.routeOptions.url;
      // No route matched: the not-found handler answers, with nothing to protect.
      if (url === undefined || isPublicRoute(request.method, url)) return;
      // What a signed-in user is answered (plan content above all) is never kept by a browser or proxy.
      reply.header('cache-control', 'no-store');
      await authenticate(request);
    });
  },
  { name: 'auth', dependencies: ['db'] },
);
