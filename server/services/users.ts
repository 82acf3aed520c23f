import type { z } from 'zod';
import {
  emailTaken,
  findOrganizationUser,
  insertOrganizationUser,
  listOrganizationUsers,
  updateOrganizationUser,
  type ManagedUserRow,
} from '../../db/queries/managed-users.ts';
import { revokeSessionsOfUser } from '../../db/queries/accounts.ts';
import { hashPassword } from '../../db/passwords.ts';
import { asSubject } from '../../policies/index.ts';
import { Conflict, Forbidden, NotFound, PreconditionFailed, Unprocessable } from '../errors.ts';
import type { CreateUserSchema, ManagedUserSchema, UpdateUserSchema } from '../../domain/schemas/users.ts';
import { writeAudited } from './audited-write.ts';
import type { UserContext } from './context.ts';
import { requireVersion } from './versioning.ts';

// An organisation admin manages the organisation's users: creates accounts, sets who is bound by
// professional secrecy, disables accounts (refused from the next request on).

function toManagedUser(row: ManagedUserRow): z.infer<typeof ManagedUserSchema> {
  if (row.kind === 'client' || row.kind === 'supporter' || row.email === null)
    throw new Error('clients and supporters belong to no organisation');
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    kind: row.kind,
    locale: row.locale,
    secrecyBound: row.secrecyBound,
    disabled: row.disabled,
    version: row.version,
  };
}

/** Who confirmed the secrecy flag: this admin, now (shown to clients in "who sees what"). */
function secrecyConfirmation(ctx: UserContext, secrecyBound: boolean) {
  return secrecyBound
    ? { secrecyConfirmedBy: ctx.user.id, secrecyConfirmedAt: new Date(), secrecyProfession: null }
    : { secrecyConfirmedBy: null, secrecyConfirmedAt: null, secrecyProfession: null };
}

/** The admin's organisation, or 403 for anyone who may not manage its users. */
function managedOrganization(ctx: UserContext, action: 'read' | 'create' | 'update'): string {
  const organizationId = ctx.user.organizationId;
  if (!organizationId || !ctx.ability.can(action, asSubject('User', { organizationId })))
    throw new Forbidden("Only your organisation's admin manages its users.");
  return organizationId;
}

/** One page of the organisation's users. */
export async function listManagedUsers(ctx: UserContext, page: { limit: number; cursor?: string }) {
  const organizationId = managedOrganization(ctx, 'read');
  const { rows, hasMore } = await listOrganizationUsers(ctx.db, organizationId, {
    limit: page.limit,
    after: page.cursor,
  });
  return { items: rows.map(toManagedUser), nextCursor: hasMore ? (rows.at(-1)?.id ?? null) : null };
}

/** Creates an account in the admin's organisation. */
export async function createManagedUser(ctx: UserContext, body: z.infer<typeof CreateUserSchema>) {
  const organizationId = managedOrganization(ctx, 'create');
  if (await emailTaken(ctx.db, body.email)) throw new Conflict('An account with this e-mail address exists.');
  const passwordHash = await hashPassword(body.password);
  const row = await writeAudited(
    ctx,
    (tx) =>
      insertOrganizationUser(tx, {
        organizationId,
        email: body.email,
        name: body.name,
        kind: body.kind,
        locale: body.locale,
        secrecyBound: body.secrecyBound,
        passwordHash,
      }),
    (created) => ({
      planId: null,
      action: 'create',
      sections: [],
      subjectType: 'User',
      subjectId: created.id,
      details: { kind: body.kind, secrecyBound: body.secrecyBound },
    }),
  );
  return toManagedUser(row);
}

/** Changes, disables or sets the secrecy flag of an account of the admin's organisation. */
export async function changeManagedUser(
  ctx: UserContext,
  userId: string,
  body: z.infer<typeof UpdateUserSchema>,
  ifMatch: string | undefined,
) {
  const organizationId = managedOrganization(ctx, 'update');
  const existing = await findOrganizationUser(ctx.db, organizationId, userId);
  if (!existing) throw new NotFound();
  const expected = requireVersion(ifMatch, existing.version);
  if (existing.id === ctx.user.id && body.disabled === true)
    throw new Unprocessable(
      'self-disable',
      'You cannot disable yourself',
      'Ask another admin of your organisation.',
    );
  const row = await writeAudited(
    ctx,
    async (tx) => {
      const updated = await updateOrganizationUser(tx, organizationId, existing.id, expected, {
        ...body,
        ...(body.secrecyBound === undefined ? {} : secrecyConfirmation(ctx, body.secrecyBound)),
      });
      if (!updated) throw new PreconditionFailed();
      // Disabling ends every session for good: enabling again does not revive them.
      if (body.disabled === true) await revokeSessionsOfUser(tx, updated.id);
      return updated;
    },
    (updated) => ({
      planId: null,
      action: 'update',
      sections: [],
      subjectType: 'User',
      subjectId: updated.id,
      details: { fields: Object.keys(body) },
    }),
  );
  return toManagedUser(row);
}
