import {
  findContribution,
  insertContribution,
  updateContribution,
  type ContributionChanges,
} from '../../db/queries/evaluation-contributions.ts';
import { findEvaluation } from '../../db/queries/section-writes.ts';
import type { EvaluationContribution } from '../../domain/schemas/sections.ts';
import { asSubject, roleInPlan } from '../../policies/index.ts';
import { Conflict, NotFound } from '../errors.ts';
import { writeAudited } from './audited-write.ts';
import type { PlanContext } from './context.ts';
import { refuse } from './refusals.ts';
import { findReadableItem, written } from './section-items.ts';
import { requireVersion } from './versioning.ts';

// Evaluating together (issue 14, part 7): partners with `contribute` on `evaluations` and the
// client add their own rating and words to an evaluation, one each, and change only their own.
// The evaluation is read through the ability first (404 when it is not the user's to see), the
// policies then judge the write (403, logged), and the change and its audit event share one
// transaction. The answer is the contribution as the evaluation's readers see it.

const SECTION = ['evaluations'] as const;

/** The evaluation the user may read, or 404 (a withheld section is logged as a refused attempt). */
function readableEvaluation(ctx: PlanContext, evaluationId: string, action: string) {
  return findReadableItem(ctx, 'evaluations', action, () =>
    findEvaluation(ctx.db, ctx.ability, ctx.planId, evaluationId),
  );
}

/** The contribution as it reads in its evaluation now, through the user's ability. */
async function contributionAsRead(
  ctx: PlanContext,
  evaluationId: string,
  contributionId: string,
): Promise<EvaluationContribution> {
  const evaluation = await findEvaluation(ctx.db, ctx.ability, ctx.planId, evaluationId);
  const contributions = (evaluation?.contributions ?? []) as EvaluationContribution[];
  const contribution = contributions.find((c) => c.id === contributionId);
  if (!contribution) throw new NotFound();
  return contribution;
}

/** Adds the user's own rating and words to an evaluation (409 when they already did). */
export async function addContribution(
  ctx: PlanContext,
  evaluationId: string,
  body: ContributionChanges,
): Promise<EvaluationContribution> {
  await readableEvaluation(ctx, evaluationId, 'create');
  const authorUserId = ctx.user.id;
  // A partner writes through their member row; the client has none.
  const authorMemberId =
    roleInPlan(ctx.user, ctx.facts) === 'partner' ? (ctx.facts.membership?.memberId ?? null) : null;
  if (!ctx.ability.can('create', asSubject('EvaluationContribution', { planId: ctx.planId, authorMemberId })))
    await refuse(ctx, {
      action: 'create',
      sections: SECTION,
      detail:
        'Only the client and the partners the client allowed to contribute to evaluations add their own rating.',
    });
  const row = await writeAudited(
    ctx,
    async (tx) => {
      const inserted = await insertContribution(
        tx,
        { planId: ctx.planId, evaluationId, authorUserId, authorMemberId },
        body,
      );
      if (!inserted)
        throw new Conflict(
          'You already gave your rating for this evaluation. Change it instead of adding one.',
        );
      return inserted;
    },
    (inserted) => ({
      action: 'create',
      sections: [...SECTION],
      subjectType: 'EvaluationContribution',
      subjectId: inserted.id,
      details: { evaluationId },
    }),
  );
  return contributionAsRead(ctx, evaluationId, row.id);
}

/** Changes the user's own contribution at the version in `If-Match` (only its author may). */
export async function changeContribution(
  ctx: PlanContext,
  params: { evaluationId: string; contributionId: string },
  body: ContributionChanges,
  ifMatch: string | undefined,
): Promise<EvaluationContribution> {
  const { evaluationId, contributionId } = params;
  await readableEvaluation(ctx, evaluationId, 'update');
  const row = await findContribution(ctx.db, { planId: ctx.planId, evaluationId, contributionId });
  if (!row) throw new NotFound();
  if (!ctx.ability.can('update', asSubject('EvaluationContribution', row)))
    await refuse(ctx, {
      action: 'update',
      sections: SECTION,
      detail: 'Only the person who gave this rating changes it.',
    });
  const expectedVersion = requireVersion(ifMatch, row.version);
  await writeAudited(
    ctx,
    async (tx) =>
      written(
        await updateContribution(
          tx,
          { planId: ctx.planId, evaluationId, id: contributionId, expectedVersion },
          body,
        ),
      ),
    () => ({
      action: 'update',
      sections: [...SECTION],
      subjectType: 'EvaluationContribution',
      subjectId: contributionId,
      details: { evaluationId, fields: Object.keys(body) },
    }),
  );
  return contributionAsRead(ctx, evaluationId, contributionId);
}
