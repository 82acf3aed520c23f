import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProblemSchema } from '../../domain/schemas/common.ts';
import {
  CreateUserSchema,
  ManagedUserListSchema,
  ManagedUserSchema,
  UpdateUserSchema,
  UserListQuerySchema,
  UserParamsSchema,
} from '../../domain/schemas/users.ts';
import { changeManagedUser, createManagedUser, listManagedUsers } from '../services/users.ts';
import { setEtag } from '../services/versioning.ts';

const errors = { 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

/** The organisation's users, managed by its admins. */
const userRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/users',
    {
      schema: {
        tags: ['admin'],
        summary: "The organisation's users (admins only)",
        querystring: UserListQuerySchema,
        response: { 200: ManagedUserListSchema, 400: ProblemSchema, ...errors },
      },
    },
    async (request) => listManagedUsers(request.context, request.query),
  );

  app.post(
    '/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create an account in the organisation',
        body: CreateUserSchema,
        response: { 201: ManagedUserSchema, 400: ProblemSchema, 409: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const user = await createManagedUser(request.context, request.body);
      setEtag(reply, user.version);
      return reply.code(201).send(user);
    },
  );

  app.patch(
    '/users/:userId',
    {
      schema: {
        tags: ['admin'],
        summary: 'Change, disable or set the secrecy flag of an account',
        params: UserParamsSchema,
        body: UpdateUserSchema,
        response: {
          200: ManagedUserSchema,
          400: ProblemSchema,
          412: ProblemSchema,
          422: ProblemSchema,
          428: ProblemSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const user = await changeManagedUser(
        request.context,
        request.params.userId,
        request.body,
        request.headers['if-match'],
      );
      setEtag(reply, user.version);
      return user;
    },
  );
};

export default userRoutes;
