import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../client.ts';
import { roleTemplates, type RoleTemplateShare } from '../schema/index.ts';

const columns = {
  id: roleTemplates.id,
  organizationId: roleTemplates.organizationId,
  key: roleTemplates.key,
  nameNl: roleTemplates.nameNl,
  nameFr: roleTemplates.nameFr,
  nameEn: roleTemplates.nameEn,
  shares: roleTemplates.shares,
  position: roleTemplates.position,
  version: roleTemplates.version,
};

export type RoleTemplateRow = {
  id: string;
  organizationId: string | null;
  key: string;
  nameNl: string;
  nameFr: string;
  nameEn: string;
  shares: RoleTemplateShare[];
  position: number;
  version: number;
};

/** Whether the organisation has its own templates (its admin changed the defaults once). */
async function hasOwnTemplates(db: Executor, organizationId: string): Promise<boolean> {
  const rows = await db
    .select({ id: roleTemplates.id })
    .from(roleTemplates)
    .where(eq(roleTemplates.organizationId, organizationId))
    .limit(1);
  return rows.length > 0;
}

/**
 * The role templates an organisation proposes: its own (not removed) once its admin changed them,
 * else the defaults; in their order.
 */
export async function listRoleTemplates(db: Executor, organizationId: string): Promise<RoleTemplateRow[]> {
  const own = await hasOwnTemplates(db, organizationId);
  return db
    .select(columns)
    .from(roleTemplates)
    .where(
      own
        ? and(eq(roleTemplates.organizationId, organizationId), isNull(roleTemplates.removedAt))
        : and(isNull(roleTemplates.organizationId), isNull(roleTemplates.removedAt)),
    )
    .orderBy(asc(roleTemplates.position), asc(roleTemplates.key));
}

/**
 * Gives the organisation its own copy of the defaults, under the same keys, the first time its
 * admin changes anything; nothing when it has its own already (or another request copied first).
 */
export async function copyDefaultTemplates(tx: Transaction, organizationId: string): Promise<void> {
  if (await hasOwnTemplates(tx, organizationId)) return;
  await tx.execute(sql`
    insert into role_templates (organization_id, key, name_nl, name_fr, name_en, shares, position)
    select ${organizationId}::uuid, key, name_nl, name_fr, name_en, shares, position
      from role_templates
     where organization_id is null and removed_at is null
    on conflict on constraint role_templates_organization_key do nothing`);
}

/** The organisation's own template with this key, not removed; null when there is none. */
export async function findOwnTemplateByKey(
  db: Executor,
  organizationId: string,
  key: string,
): Promise<RoleTemplateRow | null> {
  const [row] = await db
    .select(columns)
    .from(roleTemplates)
    .where(
      and(
        eq(roleTemplates.organizationId, organizationId),
        eq(roleTemplates.key, key),
        isNull(roleTemplates.removedAt),
      ),
    );
  return row ?? null;
}

/** Adds a template at the end of the organisation's list. */
export async function insertRoleTemplate(
  tx: Transaction,
  params: {
    organizationId: string;
    key: string;
    nameNl: string;
    nameFr: string;
    nameEn: string;
    shares: RoleTemplateShare[];
  },
): Promise<RoleTemplateRow> {
  const [row] = await tx
    .insert(roleTemplates)
    .values({
      ...params,
      position: sql`(select coalesce(max(position), 0) + 1 from role_templates where organization_id = ${params.organizationId}::uuid)`,
    })
    .returning(columns);
  if (!row) throw new Error('role template insert returned nothing');
  return row;
}

/** Changes a template of the organisation at the expected version; null when nothing matched. */
export async function updateRoleTemplate(
  tx: Transaction,
  params: { organizationId: string; id: string; expectedVersion: number },
  changes: Partial<Pick<RoleTemplateRow, 'nameNl' | 'nameFr' | 'nameEn' | 'shares'>>,
): Promise<RoleTemplateRow | null> {
  const [row] = await tx
    .update(roleTemplates)
    .set({ ...changes, version: sql`${roleTemplates.version} + 1`, updatedAt: sql`now()` })
    .where(
      and(
        eq(roleTemplates.organizationId, params.organizationId),
        eq(roleTemplates.id, params.id),
        eq(roleTemplates.version, params.expectedVersion),
        isNull(roleTemplates.removedAt),
      ),
    )
    .returning(columns);
  return row ?? null;
}

/** Removes a template of the organisation at the expected version; false when nothing matched. */
export async function removeRoleTemplate(
  tx: Transaction,
  params: { organizationId: string; id: string; expectedVersion: number },
): Promise<boolean> {
  const rows = await tx
    .update(roleTemplates)
    .set({ removedAt: sql`now()`, version: sql`${roleTemplates.version} + 1`, updatedAt: sql`now()` })
    .where(
      and(
        eq(roleTemplates.organizationId, params.organizationId),
        eq(roleTemplates.id, params.id),
        eq(roleTemplates.version, params.expectedVersion),
        isNull(roleTemplates.removedAt),
      ),
    )
    .returning({ id: roleTemplates.id });
  return rows.length > 0;
}
