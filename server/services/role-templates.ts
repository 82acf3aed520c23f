import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Transaction } from '../../db/client.ts';
import { findOrganization } from '../../db/queries/organizations.ts';
import {
  copyDefaultTemplates,
  findOwnTemplateByKey,
  insertRoleTemplate,
  listRoleTemplates,
  removeRoleTemplate,
  updateRoleTemplate,
  type RoleTemplateRow,
} from '../../db/queries/role-templates.ts';
import type {
  CreateRoleTemplateSchema,
  RoleTemplateSchema,
  UpdateRoleTemplateSchema,
} from '../../domain/schemas/role-templates.ts';
import { asSubject, type Action } from '../../policies/index.ts';
import { Forbidden, NotFound, PreconditionFailed } from '../errors.ts';
import { writeAudited } from './audited-write.ts';
import type { PlanContext, UserContext } from './context.ts';
import { authorize } from './refusals.ts';
import { requireVersion } from './versioning.ts';

// Role templates (issue 15): what a lead usually shares with a partner of a given role. Each
// organisation's admin edits its list; its leads read it when they add and share in a plan.

type RoleTemplate = z.infer<typeof RoleTemplateSchema>;

const NOT_FOUND = 'This role template does not exist in this organisation.';

/** A template as the API answers it. */
function toRoleTemplate(row: RoleTemplateRow): RoleTemplate {
  return {
    id: row.id,
    key: row.key,
    names: { nl: row.nameNl, fr: row.nameFr, en: row.nameEn },
    shares: row.shares,
    isDefault: row.organizationId === null,
    version: row.version,
  };
}

/** The organisation must exist (404) and the user be one of its admins (403). */
async function assertAdminOf(ctx: UserContext, organizationId: string, action: Action): Promise<void> {
  if (!(await findOrganization(ctx.db, ctx.ability, organizationId)))
    throw new NotFound('This organisation is not in the directory.');
  if (!ctx.ability.can(action, asSubject('RoleTemplate', { organizationId })))
    throw new Forbidden("Only your organisation's admins manage its role templates.");
}

/** The organisation's role templates, for its admins. */
export async function listOrganizationTemplates(
  ctx: UserContext,
  organizationId: string,
): Promise<RoleTemplate[]> {
  await assertAdminOf(ctx, organizationId, 'read');
  return (await listRoleTemplates(ctx.db, organizationId)).map(toRoleTemplate);
}

/** The role templates of the plan's organisation, for its lead and co-leads when they add a partner. */
export async function listPlanTemplates(ctx: PlanContext): Promise<RoleTemplate[]> {
  await authorize(ctx, 'create', asSubject('Member', { planId: ctx.planId }), {
    action: 'read',
    detail: 'Only the lead and co-leads add partners and share with them.',
  });
  return (await listRoleTemplates(ctx.db, ctx.facts.organizationId)).map(toRoleTemplate);
}

/** Adds a template to the organisation's list (its own copy of the defaults first). */
export async function createOrganizationTemplate(
  ctx: UserContext,
  organizationId: string,
  body: z.infer<typeof CreateRoleTemplateSchema>,
): Promise<RoleTemplate> {
  await assertAdminOf(ctx, organizationId, 'create');
  const row = await writeAudited(
    ctx,
    async (tx) => {
      await copyDefaultTemplates(tx, organizationId);
      return insertRoleTemplate(tx, {
        organizationId,
        key: randomUUID(),
        nameNl: body.names.nl,
        nameFr: body.names.fr,
        nameEn: body.names.en,
        shares: body.shares,
      });
    },
    (created) => ({
      action: 'create',
      sections: [],
      subjectType: 'RoleTemplate',
      subjectId: created.id,
      details: { organizationId },
    }),
  );
  return toRoleTemplate(row);
}

/**
 * The template the request names, as the organisation reads it now (a default while the
 * organisation has none of its own); 404 otherwise.
 */
async function findListedTemplate(ctx: UserContext, organizationId: string, templateId: string) {
  const listed = (await listRoleTemplates(ctx.db, organizationId)).find((row) => row.id === templateId);
  if (!listed) throw new NotFound(NOT_FOUND);
  return listed;
}

/** The organisation's own row for a listed template, copied from the defaults if need be. */
async function ownRowOf(tx: Transaction, organizationId: string, listed: RoleTemplateRow) {
  if (listed.organizationId === organizationId) return listed;
  await copyDefaultTemplates(tx, organizationId);
  const own = await findOwnTemplateByKey(tx, organizationId, listed.key);
  // Another request changed the organisation's list first: its copy is no longer this version.
  if (!own || own.version !== listed.version) throw new PreconditionFailed();
  return own;
}

/** Changes a template's names or shares, at the version in If-Match. */
export async function changeOrganizationTemplate(
  ctx: UserContext,
  organizationId: string,
  templateId: string,
  body: z.infer<typeof UpdateRoleTemplateSchema>,
  ifMatch: string | undefined,
): Promise<RoleTemplate> {
  await assertAdminOf(ctx, organizationId, 'update');
  const listed = await findListedTemplate(ctx, organizationId, templateId);
  const expectedVersion = requireVersion(ifMatch, listed.version);
  const row = await writeAudited(
    ctx,
    async (tx) => {
      const own = await ownRowOf(tx, organizationId, listed);
      const updated = await updateRoleTemplate(
        tx,
        { organizationId, id: own.id, expectedVersion },
        {
          ...(body.names ? { nameNl: body.names.nl, nameFr: body.names.fr, nameEn: body.names.en } : {}),
          ...(body.shares ? { shares: body.shares } : {}),
        },
      );
      if (!updated) throw new PreconditionFailed();
      return updated;
    },
    (updated) => ({
      action: 'update',
      sections: [],
      subjectType: 'RoleTemplate',
      subjectId: updated.id,
      details: { organizationId, fields: Object.keys(body) },
    }),
  );
  return toRoleTemplate(row);
}

/** Removes a template from the organisation's list, at the version in If-Match. */
export async function removeOrganizationTemplate(
  ctx: UserContext,
  organizationId: string,
  templateId: string,
  ifMatch: string | undefined,
): Promise<void> {
  await assertAdminOf(ctx, organizationId, 'delete');
  const listed = await findListedTemplate(ctx, organizationId, templateId);
  const expectedVersion = requireVersion(ifMatch, listed.version);
  await writeAudited(
    ctx,
    async (tx) => {
      const own = await ownRowOf(tx, organizationId, listed);
      if (!(await removeRoleTemplate(tx, { organizationId, id: own.id, expectedVersion })))
        throw new PreconditionFailed();
      return own.id;
    },
    (id) => ({
      action: 'delete',
      sections: [],
      subjectType: 'RoleTemplate',
      subjectId: id,
      details: { organizationId },
    }),
  );
}
