import { roleInPlan, type PlanFacts, type PolicyUser } from './ability.ts';

/**
 * Whether the user reads the client's messages in this plan: the plan's lead only, the person the
 * client writes to ("write to my support worker"); never co-leads or partners.
 */
export function readsClientMessages(user: PolicyUser, plan: PlanFacts): boolean {
  return roleInPlan(user, plan) === 'lead';
}

/** Whether the user may write to the lead of this plan: its client, while the plan is open. */
export function writesToLead(user: PolicyUser, plan: PlanFacts): boolean {
  return roleInPlan(user, plan) === 'client' && !plan.closed;
}
