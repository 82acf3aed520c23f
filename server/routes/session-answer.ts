import type { FastifyReply } from 'fastify';
import type { AppConfig } from '../config.ts';
import { SESSION_COOKIE } from '../plugins/auth.ts';
import type { OpenedSession } from '../services/sessions.ts';
import { toUserResponse } from './me.ts';

/**
 * Answers a sign-in (password, access letter, invitation): the session's JWT in an httpOnly
 * SameSite=Strict cookie for the web app, and in the body for API clients that send Bearer.
 */
export async function answerWithSession(reply: FastifyReply, config: AppConfig, session: OpenedSession) {
  const token = await reply.jwtSign({ sub: session.user.id, sid: session.sessionId });
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: reply.request.protocol === 'https',
    path: '/',
    maxAge: config.SESSION_TTL_SECONDS,
  });
  reply.header('cache-control', 'no-store');
  return { user: toUserResponse(session.user), expiresAt: session.expiresAt.toISOString(), token };
}
