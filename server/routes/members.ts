import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProblemSchema } from '../../domain/schemas/common.ts';
import {
  AddPartnerSchema,
  CreateMemberSchema,
  MemberParamsSchema,
  MemberSchema,
  UpdateMemberSchema,
  VisibilityDecisionListSchema,
} from '../../domain/schemas/members.ts';
import { AddedPartnerSchema, PlanParamsSchema } from '../../domain/schemas/plans.ts';
import type { AppConfig } from '../config.ts';
import { publicUrlOf } from '../mail/links.ts';
import { addAndShare } from '../services/add-and-share.ts';
import { addMember, changeMember, listPlanVisibilityDecisions, removeMember } from '../services/members.ts';
import { setEtag } from '../services/versioning.ts';

const errors = { 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const writeErrors = {
  ...errors,
  400: ProblemSchema,
  412: ProblemSchema,
  422: ProblemSchema,
  428: ProblemSchema,
};

/** The network: professionals and informal supporters around the client. */
const memberRoutes: FastifyPluginAsyncZod<{ config: AppConfig }> = async (app, { config }) => {
  const urls = publicUrlOf(config);

  app.post(
    '/plans/:planId/members',
    {
      schema: {
        tags: ['plans'],
        summary: 'Add a professional or an informal supporter to the network',
        params: PlanParamsSchema,
        body: CreateMemberSchema,
        response: {
          201: MemberSchema,
          400: ProblemSchema,
          409: ProblemSchema,
          422: ProblemSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const member = await addMember(request.plan, request.body);
      setEtag(reply, member.version);
      return reply.code(201).send(member);
    },
  );

  app.post(
    '/plans/:planId/partners',
    {
      schema: {
        tags: ['consent'],
        summary:
          "Add a professional to the network and record the client's consent for them: one write (add and share)",
        params: PlanParamsSchema,
        body: AddPartnerSchema,
        response: {
          201: AddedPartnerSchema,
          400: ProblemSchema,
          409: ProblemSchema,
          412: ProblemSchema,
          422: ProblemSchema,
          503: ProblemSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const added = await addAndShare(request.plan, request.body, { mailer: app.mailer, urls });
      setEtag(reply, added.member.version);
      return reply.code(201).send(added);
    },
  );

  app.get(
    '/plans/:planId/visibility-decisions',
    {
      schema: {
        tags: ['consent'],
        summary: "The client's decisions to hide or show people of the network (lead, co-leads, client)",
        params: PlanParamsSchema,
        response: { 200: VisibilityDecisionListSchema, 400: ProblemSchema, ...errors },
      },
    },
    async (request) => listPlanVisibilityDecisions(request.plan),
  );

  app.patch(
    '/plans/:planId/members/:memberId',
    {
      schema: {
        tags: ['plans'],
        summary: "Change a member; the client may only hide or show them. Consent follows the member's role.",
        params: MemberParamsSchema,
        body: UpdateMemberSchema,
        response: { 200: MemberSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const member = await changeMember(
        request.plan,
        request.params.memberId,
        request.body,
        request.headers['if-match'],
      );
      setEtag(reply, member.version);
      return member;
    },
  );

  app.delete(
    '/plans/:planId/members/:memberId',
    {
      schema: {
        tags: ['plans'],
        summary: 'Remove a member from the network (the record stays for history); their consent ends',
        params: MemberParamsSchema,
        response: { 204: z.null().describe('Removed'), ...writeErrors },
      },
    },
    async (request, reply) => {
      await removeMember(request.plan, request.params.memberId, request.headers['if-match']);
      return reply.code(204).send(null);
    },
  );
};

export default memberRoutes;
