import { forNobody } from '../../db/scope.ts';
import type { Database } from '../../db/client.ts';
import {
  insertActionOverdueNotices,
  insertEvaluationDueNotices,
  insertGrantEndingNotices,
} from '../../db/queries/notifications.ts';

/** How many notices a run of the daily notices wrote, by kind. */
export interface DailyNoticesRun {
  grantEnding: number;
  actionOverdue: number;
  evaluationDue: number;
}

/**
 * The daily notices at `now` (issue 14): grants ending within 14 days, actions overdue,
 * evaluations due within 7 days. Idempotent — every notice has its dedupe key, so a second run,
 * or a run after a crash, adds only what is new — and one transaction, so a run killed halfway
 * leaves nothing half-written. `now` is a parameter so that tests move the clock, never sleep.
 */
export const runDailyNotices = forNobody(async function runDailyNotices(
  db: Database,
  now: Date,
): Promise<DailyNoticesRun> {
  return db.transaction(async (tx) => ({
    grantEnding: await insertGrantEndingNotices(tx, now),
    actionOverdue: await insertActionOverdueNotices(tx, now),
    evaluationDue: await insertEvaluationDueNotices(tx, now),
  }));
});
