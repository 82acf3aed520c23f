import { appendAuditEvent } from '../../db/queries/audit.ts';
import { isReadLogged, type Section } from '../../policies/index.ts';
import type { PlanContext } from './context.ts';

/**
 * Logs one read of plan content: one event per request per plan, naming the sections read
 * (whose reads are logged is a policy: `isReadLogged`).
 */
export async function auditRead(
  ctx: PlanContext,
  sections: readonly Section[],
  action: 'read' | 'preview' = 'read',
  /** How the content was read, when not through the plan's own screens (e.g. `{ via: 'fhir' }`). */
  details?: Record<string, unknown>,
): Promise<void> {
  if (!isReadLogged(ctx.user, ctx.facts)) return;
  await appendAuditEvent(ctx.db, {
    planId: ctx.planId,
    actorUserId: ctx.user.id,
    action,
    sections,
    ...(details ? { details } : {}),
  });
}
