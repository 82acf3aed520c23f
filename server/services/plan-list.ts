import type { z } from 'zod';
import type { Executor } from '../../db/client.ts';
import { loadPlanFactsForUser } from '../../db/queries/plan-access.ts';
import { listPlanSummaries } from '../../db/queries/plans.ts';
import {
  asSubject,
  defineAbilityFor,
  roleInPlan,
  type PlanFacts,
  type PolicyUser,
} from '../../policies/index.ts';
import type { PlanListQuerySchema, PlanListSchema } from '../../domain/schemas/plans.ts';
import { permittedPlanFields, toPlanSummary } from './plan-view.ts';

/** At most this many chunks of candidates per page; a page cut short ends with a cursor. */
const MAX_ROUNDS = 6;
const MAX_CHUNK = 1000;

/**
 * One page of the plans the user leads, co-leads, is the client of, or is shared with.
 *
 * The policy decides on one chunk of candidate plans at a time, in id order, until the page and
 * one more visible plan are found: the cost follows the page, not how many plans the user has.
 * The first chunk is two pages: a partner sees only some of the plans they are a member of (the
 * others are closed, or their grants expired or were revoked), and a second round costs more than
 * a larger first one (measured with the benchmark's data); chunks double when few are visible. The rounds are bounded, and a page cut short by the bound ends with the last candidate
 * looked at as its cursor, so paging on still returns every visible plan once.
 */
export async function listVisiblePlans(
  db: Executor,
  user: PolicyUser,
  { phase, q, limit, cursor }: z.infer<typeof PlanListQuerySchema>,
): Promise<z.infer<typeof PlanListSchema>> {
  const visible: PlanFacts[] = [];
  let after = cursor;
  let chunk = 2 * (limit + 1);
  let exhausted = false;
  for (let round = 0; round < MAX_ROUNDS && visible.length <= limit && !exhausted; round++) {
    const facts = await loadPlanFactsForUser(db, user.id, { after, limit: chunk, phase, q });
    const ability = defineAbilityFor(user, facts);
    for (const planFacts of facts) {
      if (!ability.can('read', asSubject('Plan', { id: planFacts.planId }))) continue;
      // The search by client name covers only the plans the user leads or co-leads.
      const role = roleInPlan(user, planFacts);
      if (q !== undefined && role !== 'lead' && role !== 'co_lead') continue;
      visible.push(planFacts);
    }
    exhausted = facts.length < chunk;
    after = facts.at(-1)?.planId ?? after;
    chunk = Math.min(2 * chunk, MAX_CHUNK);
  }
  const page = visible.slice(0, limit);
  const ability = defineAbilityFor(user, page);
  const byId = new Map(page.map((f) => [f.planId, f]));
  const rows = await listPlanSummaries(db, ability, [...byId.keys()]);
  return {
    items: rows.flatMap((row) => {
      const planFacts = byId.get(row.id);
      const role = planFacts && roleInPlan(user, planFacts);
      return role ? [toPlanSummary(row, permittedPlanFields(ability, row.id), role)] : [];
    }),
    nextCursor: visible.length > limit ? (page.at(-1)?.planId ?? null) : exhausted ? null : (after ?? null),
  };
}
