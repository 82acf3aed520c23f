import type { Executor } from '../../db/client.ts';
import { appendAuditEvent } from '../../db/queries/audit.ts';
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
 * Facts of the request's plan read with the session (one statement fewer), keyed by the request's
 * user object, which lives as long as the request: taken once, by the request's first `openPlan`.
 */
const factsReadWithSession = new WeakMap<PolicyUser, { planId: string; facts: PlanFacts | null }>();

/** Keeps the facts of the request's plan, read in the same statement as the user's session. */
export function keepFactsReadWithSession(user: PolicyUser, planId: string, facts: PlanFacts | null): void {
  factsReadWithSession.set(user, { planId, facts });
}

function takeFactsReadWithSession(user: PolicyUser, planId: string): PlanFacts | null | undefined {
  const kept = factsReadWithSession.get(user);
  if (!kept) return undefined;
  factsReadWithSession.delete(user);
  return kept.planId === planId ? kept.facts : undefined;
}

/**
 * Opens a plan for one request: loads the user's facts for it (grants looked up now, never taken
 * from the token; read with the session when the request is about this plan), builds the ability,
 * and answers 404 — exactly as for a plan that does not exist — when the user may not see it. A
 * refused attempt on an existing plan is logged.
 */
export async function openPlan(
  db: Executor,
  user: PolicyUser,
  planId: string,
  now = new Date(),
): Promise<PlanAccess> {
  const kept = takeFactsReadWithSession(user, planId);
  const facts = kept !== undefined ? kept : await loadPlanFacts(db, user.id, planId);
  if (!facts) throw new NotFound();
  const ability = defineAbilityFor(user, [facts], now);
  if (!ability.can('read', asSubject('Plan', { id: planId }))) {
    await appendAuditEvent(db, {
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
