import { alias } from 'drizzle-orm/pg-core';
import { and, asc, eq } from 'drizzle-orm';
import type { Section } from '../../domain/sections.ts';
import type { ConsentMethod, GrantAccess } from '../../domain/vocabularies.ts';
import type { Executor, Transaction } from '../client.ts';
import { grantRevocations, grants, users } from '../schema/index.ts';

const recorders = alias(users, 'recorders');
const revokers = alias(users, 'revokers');

/** Every grant of a plan, current and past, with who recorded and who revoked it. */
export async function listGrants(db: Executor, planId: string) {
  return db
    .select({
      id: grants.id,
      memberId: grants.memberId,
      section: grants.section,
      access: grants.access,
      validFrom: grants.validFrom,
      validUntil: grants.validUntil,
      method: grants.method,
      note: grants.note,
      recordedAt: grants.recordedAt,
      recordedById: recorders.id,
      recordedByName: recorders.name,
      revokedAt: grantRevocations.revokedAt,
      revokedById: revokers.id,
      revokedByName: revokers.name,
      revokeMethod: grantRevocations.method,
      revokeReason: grantRevocations.reason,
    })
    .from(grants)
    .innerJoin(recorders, eq(recorders.id, grants.recordedBy))
    .leftJoin(grantRevocations, eq(grantRevocations.grantId, grants.id))
    .leftJoin(revokers, eq(revokers.id, grantRevocations.revokedBy))
    .where(eq(grants.planId, planId))
    .orderBy(asc(grants.recordedAt), asc(grants.section));
}

export type GrantRow = Awaited<ReturnType<typeof listGrants>>[number];

/** Records consent for one member: one immutable row per section. */
export async function insertGrants(
  tx: Transaction,
  params: {
    planId: string;
    memberId: string;
    sections: readonly Section[];
    access: GrantAccess;
    validFrom: Date;
    validUntil: Date | null;
    method: ConsentMethod;
    note: string | null;
    recordedBy: string;
  },
): Promise<string[]> {
  const rows = await tx
    .insert(grants)
    .values(
      params.sections.map((section) => ({
        planId: params.planId,
        memberId: params.memberId,
        section,
        access: params.access,
        validFrom: params.validFrom,
        validUntil: params.validUntil,
        method: params.method,
        note: params.note,
        recordedBy: params.recordedBy,
      })),
    )
    .returning({ id: grants.id });
  return rows.map((row) => row.id);
}

/** A grant of this plan with its revocation, if any. */
export async function findGrant(db: Executor, planId: string, grantId: string) {
  const [row] = await db
    .select({
      id: grants.id,
      memberId: grants.memberId,
      section: grants.section,
      revokedAt: grantRevocations.revokedAt,
    })
    .from(grants)
    .leftJoin(grantRevocations, eq(grantRevocations.grantId, grants.id))
    .where(and(eq(grants.planId, planId), eq(grants.id, grantId)));
  return row ?? null;
}

/** Ends a grant; the primary key on the grant makes a second revocation a conflict. */
export async function insertRevocation(
  tx: Transaction,
  params: {
    planId: string;
    grantId: string;
    revokedBy: string;
    method: ConsentMethod | null;
    reason: string | null;
  },
): Promise<boolean> {
  const rows = await tx
    .insert(grantRevocations)
    .values(params)
    .onConflictDoNothing({ target: grantRevocations.grantId })
    .returning({ grantId: grantRevocations.grantId });
  return rows.length === 1;
}
