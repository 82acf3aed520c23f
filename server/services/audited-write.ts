import type { Transaction } from '../../db/client.ts';
import { appendAuditEvent, type AuditEventInput } from '../../db/queries/audit.ts';
import type { UserContext } from './context.ts';

/** The audit event of a change; the actor is the context's user, the plan the context's plan. */
export type ChangeEvent = Omit<AuditEventInput, 'actorUserId' | 'planId' | 'outcome'> & {
  planId?: string | null;
};

/**
 * Runs a change and its audit event in one transaction: both are written, or neither
 * (DESIGN.md, "Audit"). `event` sees what the change returned, e.g. the new row's id;
 * `consequences` (e.g. the grants that end with a member's part) follow the event in the log.
 */
export async function writeAudited<T>(
  ctx: UserContext & { planId?: string },
  change: (tx: Transaction) => Promise<T>,
  event: (result: T) => ChangeEvent,
  consequences?: (tx: Transaction, result: T) => Promise<void>,
): Promise<T> {
  return ctx.db.transaction(async (tx) => {
    const result = await change(tx);
    const { planId = ctx.planId ?? null, ...rest } = event(result);
    await appendAuditEvent(tx, { ...rest, planId, actorUserId: ctx.user.id });
    await consequences?.(tx, result);
    return result;
  });
}
