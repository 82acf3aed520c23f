import type { z } from 'zod';
import { changedSince, recordPlanVisit, type VisibleContent } from '../../db/queries/plan-visits.ts';
import type { PlanOverviewSchema, SinceLastVisitSchema } from '../../domain/schemas/plans.ts';
import { asSubject, SECTIONS, type Section } from '../../policies/index.ts';
import type { PlanContext } from './context.ts';

type PlanOverview = z.infer<typeof PlanOverviewSchema>;
type SinceLastVisit = z.infer<typeof SinceLastVisitSchema>;

/** The ids and documents an overview shows its reader: changes are looked for among these only. */
function visibleContentOf(overview: PlanOverview, meetingChangesVisible: boolean): VisibleContent {
  const ids: string[] = [];
  const documents: Section[] = [];
  for (const section of SECTIONS) {
    const shown = overview.sections[section];
    if (shown.withheld) continue;
    const content: unknown = shown.content;
    if (Array.isArray(content)) {
      for (const item of content as Array<{ id?: unknown }>)
        if (typeof item.id === 'string') ids.push(item.id);
    } else if (content !== null && content !== undefined) documents.push(section);
  }
  return { ids, documents, meetingChangesVisible };
}

/**
 * Records the reader's visit and says what someone else changed since their previous one (issue
 * 14, "new since your last visit"), over what their overview shows them and nothing else.
 */
export async function sinceLastVisit(ctx: PlanContext, overview: PlanOverview): Promise<SinceLastVisit> {
  const since = await recordPlanVisit(ctx.db, ctx.planId, ctx.user.id, new Date());
  if (!since) return { since: null, sections: [], items: [] };
  // A change to a meeting may be a change to its discussion notes: it counts only for a reader of those.
  const meetingChangesVisible = ctx.ability.can(
    'read',
    asSubject('Meeting', { planId: ctx.planId }),
    'notes',
  );
  const changed = await changedSince(
    ctx.db,
    ctx.planId,
    ctx.user.id,
    since,
    visibleContentOf(overview, meetingChangesVisible),
  );
  return {
    since: since.toISOString(),
    sections: SECTIONS.filter((section) => changed.some((change) => change.section === section)),
    items: [...new Set(changed.flatMap((change) => (change.id ? [change.id] : [])))],
  };
}
