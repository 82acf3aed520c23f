import type { Executor } from '../../db/client.ts';
import { appendAuditEvent } from '../../db/queries/audit.ts';
import { roleInPlan, type PlanFacts, type PolicyUser, type Section } from '../../policies/index.ts';

/**
 * Logs one read of plan content: one event per request per plan, naming the sections read.
 * The client's reads of their own plan are not logged (DESIGN.md, "Audit").
 */
export async function auditRead(
  db: Executor,
  user: PolicyUser,
  facts: PlanFacts,
  sections: readonly Section[],
  action: 'read' | 'preview' = 'read',
): Promise<void> {
  if (roleInPlan(user, facts) === 'client') return;
  await appendAuditEvent(db, { planId: facts.planId, actorUserId: user.id, action, sections });
}

/** Logs a refused attempt on a plan the user can see (a 403). */
export async function auditRefusal(
  db: Executor,
  user: PolicyUser,
  planId: string,
  action: string,
  sections: readonly Section[] = [],
): Promise<void> {
  await appendAuditEvent(db, { planId, actorUserId: user.id, action, outcome: 'refused', sections });
}
