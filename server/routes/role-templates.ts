import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProblemSchema } from '../../domain/schemas/common.ts';
import { OrganizationParamsSchema } from '../../domain/schemas/organizations.ts';
import { PlanParamsSchema } from '../../domain/schemas/plans.ts';
import {
  CreateRoleTemplateSchema,
  RoleTemplateListSchema,
  RoleTemplateParamsSchema,
  RoleTemplateSchema,
  UpdateRoleTemplateSchema,
} from '../../domain/schemas/role-templates.ts';
import {
  changeOrganizationTemplate,
  createOrganizationTemplate,
  listOrganizationTemplates,
  listPlanTemplates,
  removeOrganizationTemplate,
} from '../services/role-templates.ts';
import { setEtag } from '../services/versioning.ts';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const writeErrors = { ...errors, 412: ProblemSchema, 428: ProblemSchema };

/** Role templates: what an organisation's leads propose to share with each kind of partner. */
const roleTemplateRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/organizations/:organizationId/role-templates',
    {
      schema: {
        tags: ['directory'],
        summary: "Your organisation's role templates (its admins): what is proposed to share per role",
        params: OrganizationParamsSchema,
        response: { 200: RoleTemplateListSchema, ...errors },
      },
    },
    async (request) => ({
      items: await listOrganizationTemplates(request.context, request.params.organizationId),
    }),
  );

  app.post(
    '/organizations/:organizationId/role-templates',
    {
      schema: {
        tags: ['directory'],
        summary: 'Add a role template to your organisation (its admins)',
        params: OrganizationParamsSchema,
        body: CreateRoleTemplateSchema,
        response: { 201: RoleTemplateSchema, ...errors },
      },
    },
    async (request, reply) => {
      const template = await createOrganizationTemplate(
        request.context,
        request.params.organizationId,
        request.body,
      );
      setEtag(reply, template.version);
      return reply.code(201).send(template);
    },
  );

  app.patch(
    '/organizations/:organizationId/role-templates/:templateId',
    {
      schema: {
        tags: ['directory'],
        summary: "Change a role template's names or sections (its admins; If-Match required)",
        params: RoleTemplateParamsSchema,
        body: UpdateRoleTemplateSchema,
        response: { 200: RoleTemplateSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const template = await changeOrganizationTemplate(
        request.context,
        request.params.organizationId,
        request.params.templateId,
        request.body,
        request.headers['if-match'],
      );
      setEtag(reply, template.version);
      return template;
    },
  );

  app.delete(
    '/organizations/:organizationId/role-templates/:templateId',
    {
      schema: {
        tags: ['directory'],
        summary: 'Remove a role template from your organisation (its admins; If-Match required)',
        params: RoleTemplateParamsSchema,
        response: { 204: z.null().describe('Removed'), ...writeErrors },
      },
    },
    async (request, reply) => {
      await removeOrganizationTemplate(
        request.context,
        request.params.organizationId,
        request.params.templateId,
        request.headers['if-match'],
      );
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/plans/:planId/role-templates',
    {
      schema: {
        tags: ['consent'],
        summary: "The role templates of the plan's organisation, to add and share (lead and co-leads)",
        params: PlanParamsSchema,
        response: { 200: RoleTemplateListSchema, ...errors },
      },
    },
    async (request) => ({ items: await listPlanTemplates(request.plan) }),
  );
};

export default roleTemplateRoutes;
