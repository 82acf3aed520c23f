import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AccessLetterSchema,
  ClientAccessSchema,
  CreateInvitationSchema,
  InvitationSchema,
  IssueAccessLetterSchema,
} from '../../domain/schemas/accounts.ts';
import { ProblemSchema } from '../../domain/schemas/common.ts';
import { MemberParamsSchema } from '../../domain/schemas/members.ts';
import { PlanParamsSchema } from '../../domain/schemas/plans.ts';
import type { AppConfig } from '../config.ts';
import { publicUrlOf } from '../mail/links.ts';
import { clientAccessOf, issueAccessLetter, revokeClientLetter } from '../services/access-letters.ts';
import { inviteToPlan } from '../services/invitations.ts';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

/** Giving people of a plan access to Liaison: the client's letter, supporters' letters, invitations. */
const planAccessRoutes: FastifyPluginAsyncZod<{ config: AppConfig }> = async (app, { config }) => {
  const urls = publicUrlOf(config);

  app.get(
    '/plans/:planId/client-access',
    {
      schema: {
        tags: ['accounts'],
        summary: "The client's access: their account and the state of their last letter (lead and co-leads)",
        params: PlanParamsSchema,
        response: { 200: ClientAccessSchema, ...errors },
      },
    },
    async (request) => clientAccessOf(request.plan),
  );

  app.post(
    '/plans/:planId/client-access',
    {
      schema: {
        tags: ['accounts'],
        summary:
          "Print the client's access letter: creates their account the first time; a new letter ends the old code, the password and every session",
        params: PlanParamsSchema,
        body: IssueAccessLetterSchema,
        response: { 201: AccessLetterSchema, 409: ProblemSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      reply.code(201).header('cache-control', 'no-store');
      return issueAccessLetter(request.plan, { audience: 'client' }, request.body, urls);
    },
  );

  app.delete(
    '/plans/:planId/client-access/letter',
    {
      schema: {
        tags: ['accounts'],
        summary: "Revoke the client's open access letter (a lost letter)",
        params: PlanParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await revokeClientLetter(request.plan);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/plans/:planId/members/:memberId/access-letter',
    {
      schema: {
        tags: ['accounts'],
        summary: "Print an informal supporter's access letter (a circle account, never secrecy-bound)",
        params: MemberParamsSchema,
        body: IssueAccessLetterSchema,
        response: { 201: AccessLetterSchema, 409: ProblemSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      reply.code(201).header('cache-control', 'no-store');
      return issueAccessLetter(
        request.plan,
        { audience: 'supporter', memberId: request.params.memberId },
        request.body,
        urls,
      );
    },
  );

  app.post(
    '/plans/:planId/invitations',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'Invite someone by e-mail into the network: a member without an account (memberId), or someone new from the directory',
        params: PlanParamsSchema,
        body: CreateInvitationSchema,
        response: { 201: InvitationSchema, 409: ProblemSchema, 422: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return inviteToPlan(request.plan, request.body, { mailer: app.mailer, urls });
    },
  );
};

export default planAccessRoutes;
