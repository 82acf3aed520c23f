import { asSubject, type Section } from '../../policies/index.ts';
import { auditRead } from '../services/audit.ts';
import type { PlanContext } from '../services/context.ts';
import { listPlanGrants } from '../services/grants.ts';
import { readAccessLog } from '../services/plan-reads.ts';
import { buildPlanOverview } from '../services/plan-view.ts';
import { boundedEntries, bundleText } from './bundle.ts';
import { planResources, toAuditEvent, type AccessLogEntry, type Entry } from './resources.ts';

/** Log events read per page while the bundle streams: one page is all that is ever held. */
export const LOG_PAGE_SIZE = 100;

/**
 * The sections whose content a bundle can carry: the network (CareTeam, and owners' names), goals,
 * actions, and `agreements`, to which the client's contact details belong (Patient). Other
 * sections have no resource in the export.
 */
export const BUNDLE_SECTIONS: readonly Section[] = ['network', 'goals', 'actions', 'agreements'];

/** The sections a bundle for this reader carries: those they read that the bundle maps. */
export function sectionsInBundle(sectionsRead: readonly Section[]): Section[] {
  return sectionsRead.filter((section) => BUNDLE_SECTIONS.includes(section));
}

/**
 * The plan as a FHIR R4 Bundle for the caller, through the same read path as the overview: their
 * overview (withheld sections give no resource), the grants and the access log only when the
 * policies let them read those. The read is logged (one event, the sections the bundle carries,
 * `via: fhir`) before anything is sent. The log is read page by page (keyset) while the answer
 * streams, so a long history is never held whole.
 */
export async function openPlanBundle(ctx: PlanContext, now = new Date()): Promise<AsyncGenerator<string>> {
  const { overview, sectionsRead } = await buildPlanOverview(ctx.db, ctx.user, ctx.facts, ctx.ability, now);
  const readsGrants = ctx.ability.can('read', asSubject('Grant', { planId: ctx.planId }));
  const readsLog = ctx.ability.can('read', asSubject('AccessLog', { planId: ctx.planId }));
  const grants = readsGrants ? await listPlanGrants(ctx) : null;
  const resources = planResources({ overview, grants, now });
  await auditRead(ctx, sectionsInBundle(sectionsRead), 'read', { via: 'fhir' });
  return bundleText(boundedEntries(resources), readsLog ? logPages(ctx) : noPages(), now);
}

async function* noPages(): AsyncGenerator<Entry[]> {}

/** The access log as AuditEvent entries, newest first, one keyset page at a time. */
async function* logPages(ctx: PlanContext): AsyncGenerator<Entry[]> {
  let cursor: number | undefined;
  do {
    const page = await readAccessLog(ctx, {
      limit: LOG_PAGE_SIZE,
      view: 'events',
      ...(cursor === undefined ? {} : { cursor }),
    });
    if (!('items' in page) || !page.items)
      throw new Error('the access log answered lines where events were asked');
    yield page.items.map((event: AccessLogEntry) => toAuditEvent(ctx.planId, event));
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
