import { appendAuditEvent } from '../../db/queries/audit.ts';
import type { Action, Section, SubjectRecord } from '../../policies/index.ts';
import { Forbidden, NotFound } from '../errors.ts';
import type { PlanContext } from './context.ts';

export const PLAN_CLOSED = 'This plan is closed: it can be read, no longer changed.';

export interface Attempt {
  /** The action as the access log names it (`update`, `grant`, …). */
  action: string;
  sections?: readonly Section[];
  /** Why, in words the user understands. */
  detail: string;
  /** Said instead of `detail` when the plan is closed; PLAN_CLOSED unless given. */
  whenClosed?: string;
  /** Answer 404, as for what does not exist: for what the user may not know exists. */
  asNotFound?: boolean;
}

/**
 * The one refusal path for a plan the user can see: the attempt is logged (DESIGN.md, "Audit": a
 * refused event means someone really tried), then answered 403 — or 404 where even its existence
 * is not the user's to know.
 */
export async function refuse(ctx: PlanContext, attempt: Attempt): Promise<never> {
  await appendAuditEvent(ctx.db, {
    planId: ctx.planId,
    actorUserId: ctx.user.id,
    action: attempt.action,
    outcome: 'refused',
    sections: attempt.sections ?? [],
  });
  if (attempt.asNotFound) throw new NotFound();
  throw new Forbidden(ctx.facts.closed ? (attempt.whenClosed ?? PLAN_CLOSED) : attempt.detail);
}

/** Asks the request's ability; a refusal is logged and answered by `refuse`. */
export async function authorize(
  ctx: PlanContext,
  action: Action,
  subject: SubjectRecord,
  attempt: Omit<Attempt, 'action'> & { action?: string },
): Promise<void> {
  if (ctx.ability.can(action, subject)) return;
  await refuse(ctx, { action, ...attempt });
}
