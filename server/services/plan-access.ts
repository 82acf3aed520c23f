import type { Executor } from '../../db/client.ts';
import { recordAuditEvent } from '../../db/queries/audit.ts';
import { loadPlanFacts } from '../../db/queries/plan-access.ts';
import {
  asSubject,
  defineAbilityFor,
  type AppAbility,
  type PlanFacts,
  type PolicyUser,
} from '../../policies/index.ts';
import { NotFound } from '../errors.ts';

export interface PlanAccess {
  facts: PlanFacts;
  ability: AppAbility;
}

/**
 * Opens a plan for one request: loads the user's facts for it (grants looked up now, never taken
 * from the token), builds the ability, and answers 404 — exactly as for a plan that does not
 * exist — when the user may not see it. A refused attempt on an existing plan is logged.
 */
export async function openPlan(
  db: Executor,
  user: PolicyUser,
  planId: string,
  now = new Date(),
): Promise<PlanAccess> {
  const facts = await loadPlanFacts(db, user.id, planId);
  if (!facts) throw new NotFound();
  const ability = defineAbilityFor(user, [facts], now);
  if (!ability.can('read', asSubject('Plan', { id: planId }))) {
    await recordAuditEvent(db, {
      planId,
      actorUserId: user.id,
      action: 'read',
      outcome: 'refused',
      sections: [],
    });
    throw new NotFound();
  }
  return { facts, ability };
}
