import { packRules } from '@casl/ability/extra';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { SessionUser } from '../../db/queries/users.ts';
import { updateUserLocale } from '../../db/queries/users.ts';
import type { AppAbility } from '../../policies/index.ts';
import {
  MeSchema,
  SessionStateSchema,
  UpdateMeSchema,
  type Me,
  type User,
} from '../../domain/schemas/auth.ts';
import { ProblemSchema } from '../../domain/schemas/common.ts';

export function toUserResponse(user: SessionUser): User {
  return {
    id: user.id,
    email: user.email,
    signInName: user.signInName,
    name: user.name,
    kind: user.kind,
    locale: user.locale,
    secrecyBound: user.secrecyBound,
  };
}

function toMe(user: SessionUser, ability: AppAbility): Me {
  return {
    user: toUserResponse(user),
    organization: user.organizationId ? { id: user.organizationId, name: user.organizationName ?? '' } : null,
    rules: packRules(ability.rules),
  };
}

const meRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'Who is signed in: the same answer as /me, or `me: null` when nobody is (never 401)',
        response: { 200: SessionStateSchema },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const signedIn = await app.identify(request);
      return { me: signedIn ? toMe(request.user, request.ability) : null };
    },
  );

  app.get(
    '/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, their organisation and the packed rules for the UI',
        response: { 200: MeSchema, 401: ProblemSchema },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return toMe(request.user, request.ability);
    },
  );

  // The interface language is the user's own preference, so the last choice simply wins: no If-Match.
  app.patch(
    '/me',
    {
      schema: {
        tags: ['auth'],
        summary: "Change the signed-in user's interface language",
        body: UpdateMeSchema,
        response: { 200: MeSchema, 400: ProblemSchema, 401: ProblemSchema },
      },
    },
    async (request, reply) => {
      await updateUserLocale(app.db, request.user.id, request.body.locale);
      reply.header('cache-control', 'no-store');
      return toMe({ ...request.user, locale: request.body.locale }, request.ability);
    },
  );
};

export default meRoutes;
