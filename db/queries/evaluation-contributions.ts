import { and, count, eq, sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../client.ts';
import { evaluationContributions } from '../schema/index.ts';
import type { VersionedWrite } from './section-writes.ts';

// The ratings and words partners and the client add to an evaluation. Readers go through the
// evaluation (./section-writes.ts findEvaluation, ./section-registry.ts): these functions are the
// writes, and the lookups a write needs once the caller has read the evaluation through the ability.

type ContributionRow = typeof evaluationContributions.$inferSelect;

/** What an author may say: each rating 1–5 or null, and words. */
export type ContributionChanges = Partial<
  Pick<ContributionRow, 'goalsRating' | 'goalsWords' | 'collaborationRating' | 'collaborationWords'>
>;

/** One contribution to an evaluation of this plan (the caller has read the evaluation). */
export async function findContribution(
  db: Executor,
  params: { planId: string; evaluationId: string; contributionId: string },
): Promise<ContributionRow | null> {
  const [row] = await db
    .select()
    .from(evaluationContributions)
    .where(
      and(
        eq(evaluationContributions.planId, params.planId),
        eq(evaluationContributions.evaluationId, params.evaluationId),
        eq(evaluationContributions.id, params.contributionId),
      ),
    );
  return row ?? null;
}

/**
 * Adds an author's contribution; null when this author already has one for this evaluation (one
 * per author: the caller answers 409 and the author changes theirs instead).
 */
export async function insertContribution(
  tx: Transaction,
  params: { planId: string; evaluationId: string; authorUserId: string; authorMemberId: string | null },
  values: ContributionChanges,
): Promise<ContributionRow | null> {
  const [row] = await tx
    .insert(evaluationContributions)
    .values({ ...values, ...params })
    // Either unique index (a partner's member row, or the client's one) keeps the author to one.
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

/** Changes a contribution at the version its author read: `stale` when it changed since, `missing` when gone. */
export async function updateContribution(
  tx: Transaction,
  params: { planId: string; evaluationId: string; id: string; expectedVersion: number },
  changes: ContributionChanges,
): Promise<VersionedWrite<ContributionRow>> {
  const where = and(
    eq(evaluationContributions.planId, params.planId),
    eq(evaluationContributions.evaluationId, params.evaluationId),
    eq(evaluationContributions.id, params.id),
  );
  const [row] = await tx
    .update(evaluationContributions)
    .set({ ...changes, version: sql`${evaluationContributions.version} + 1`, updatedAt: sql`now()` })
    .where(and(where, eq(evaluationContributions.version, params.expectedVersion)))
    .returning();
  if (row) return { outcome: 'written', row };
  const [exists] = await tx
    .select({ id: evaluationContributions.id })
    .from(evaluationContributions)
    .where(where);
  return { outcome: exists ? 'stale' : 'missing' };
}

/** How many contributions an evaluation has: they keep it from being deleted. */
export async function countContributions(
  db: Executor,
  planId: string,
  evaluationId: string,
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(evaluationContributions)
    .where(
      and(eq(evaluationContributions.planId, planId), eq(evaluationContributions.evaluationId, evaluationId)),
    );
  return row?.n ?? 0;
}
