import type { z } from 'zod';
import {
  decodeDirectoryCursor,
  encodeDirectoryCursor,
  findOrganization,
  listOrganizationPeople,
  searchOrganizations,
  searchWords,
  updateOrganization,
  type OrganizationChanges,
} from '../../db/queries/organizations.ts';
import { asSubject, mayLookUpPeople } from '../../policies/index.ts';
import { BadRequest, Forbidden, NotFound, PreconditionFailed } from '../errors.ts';
import type {
  OrganizationListQuerySchema,
  UpdateOrganizationSchema,
} from '../../domain/schemas/organizations.ts';
import type { UserContext } from './context.ts';
import { requireVersion } from './versioning.ts';

const NOT_IN_DIRECTORY = 'This organisation is not in the directory.';

/**
 * Clients are refused the directory as a whole (403, not 404): that it exists is no secret, and
 * the answer does not depend on which organisation is asked for, so it reveals nothing.
 */
function assertMaySearch(ctx: UserContext): void {
  if (!ctx.ability.can('read', 'Organization'))
    throw new Forbidden('The partner directory is for professionals and organisation admins.');
}

/** One page of the directory: full-text in Dutch and French, filters, an opaque keyset cursor. */
export async function searchDirectory(ctx: UserContext, query: z.infer<typeof OrganizationListQuerySchema>) {
  assertMaySearch(ctx);
  const { cursor, ...filters } = query;
  const kind = searchWords(filters.q).length > 0 ? 'rank' : 'name';
  const after = cursor === undefined ? undefined : decodeDirectoryCursor(cursor, kind);
  if (after === null)
    throw new BadRequest('This cursor does not belong to this search: start again from the first page.');
  const { rows, next } = await searchOrganizations(ctx.db, ctx.ability, { ...filters, after });
  return { items: rows, nextCursor: next && encodeDirectoryCursor(next) };
}

/** One organisation's directory entry. */
export async function readOrganization(ctx: UserContext, organizationId: string) {
  assertMaySearch(ctx);
  const row = await findOrganization(ctx.db, ctx.ability, organizationId);
  if (!row) throw new NotFound(NOT_IN_DIRECTORY);
  return row;
}

/**
 * The professionals of a directory organisation who have a Liaison account, to link one into a
 * network: read from accounts, never from other clients' plans, so no plan's log is touched.
 */
export async function listPeopleOfOrganization(ctx: UserContext, organizationId: string) {
  if (!mayLookUpPeople(ctx.user))
    throw new Forbidden('Only professionals look up the people of an organisation.');
  await readOrganization(ctx, organizationId);
  return { items: await listOrganizationPeople(ctx.db, organizationId) };
}

/** Changes the organisation's directory entry: its own admins only, at the version in If-Match. */
export async function changeOrganization(
  ctx: UserContext,
  organizationId: string,
  body: z.infer<typeof UpdateOrganizationSchema>,
  ifMatch: string | undefined,
) {
  const current = await readOrganization(ctx, organizationId);
  if (!ctx.ability.can('update', asSubject('Organization', current)))
    throw new Forbidden("Only your organisation's admins change its directory entry.");
  const expected = requireVersion(ifMatch, current.version);
  const changes: OrganizationChanges = Object.fromEntries(
    Object.entries({
      ...body,
      sectors: body.sectors && [...new Set(body.sectors)],
      languages: body.languages && [...new Set(body.languages)],
      services: body.services && [...new Set(body.services)],
    }).filter(([, value]) => value !== undefined),
  );
  const updated = await updateOrganization(ctx.db, organizationId, expected, changes);
  if (updated) return updated;
  throw (await findOrganization(ctx.db, ctx.ability, organizationId))
    ? new PreconditionFailed()
    : new NotFound(NOT_IN_DIRECTORY);
}
