import type { z } from 'zod';
import type { Executor } from '../../db/client.ts';
import { loadVisiblePlanFacts } from '../../db/queries/plan-access.ts';
import { listPlanSummaries } from '../../db/queries/plans.ts';
import {
  defineAbilityFor,
  definePlanListAbility,
  definePlanSearchAbility,
  roleInPlan,
  type PolicyUser,
} from '../../policies/index.ts';
import type { PlanListQuerySchema, PlanListSchema } from '../../domain/schemas/plans.ts';
import { permittedPlanFields, toPlanSummary } from './plan-view.ts';

/**
 * One page of the plans the user leads, co-leads, is the client of, or is shared with; with `q`,
 * of the plans they lead or co-lead whose client's name matches.
 *
 * The list's rules (policies/plan-list.ts) filter the plans in SQL before paging. One statement
 * reads the facts of the page's plans (and of one more, to tell whether another page follows), a
 * second their summaries, trimmed by the per-page ability those facts give.
 */
export async function listVisiblePlans(
  db: Executor,
  user: PolicyUser,
  { phase, q, limit, cursor }: z.infer<typeof PlanListQuerySchema>,
): Promise<z.infer<typeof PlanListSchema>> {
  const now = new Date();
  const listAbility = q === undefined ? definePlanListAbility(user, now) : definePlanSearchAbility(user);
  const facts = await loadVisiblePlanFacts(db, listAbility, {
    userId: user.id,
    after: cursor,
    limit: limit + 1,
    phase,
    q,
  });
  const page = facts.slice(0, limit);
  const ability = defineAbilityFor(user, page, now);
  const byId = new Map(page.map((f) => [f.planId, f]));
  const rows = await listPlanSummaries(db, ability, [...byId.keys()]);
  return {
    items: rows.flatMap((row) => {
      const planFacts = byId.get(row.id);
      const role = planFacts && roleInPlan(user, planFacts);
      return role ? [toPlanSummary(row, permittedPlanFields(ability, row.id), role)] : [];
    }),
    nextCursor: facts.length > limit ? (page.at(-1)?.planId ?? null) : null,
  };
}
