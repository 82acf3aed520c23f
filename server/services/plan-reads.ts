import { listAccessLog, listAccessLogGroups } from '../../db/queries/audit.ts';
import { findMemberUser, loadPlanFacts, memberExists } from '../../db/queries/plan-access.ts';
import { asSystem, readingAs } from '../../db/scope.ts';
import { asSubject, defineAbilityFor, readableSections, type Section } from '../../policies/index.ts';
import { NotFound } from '../errors.ts';
import { auditRead } from './audit.ts';
import type { PlanContext } from './context.ts';
import { buildPlanOverview, readSectionResponse } from './plan-view.ts';
import { sinceLastVisit } from './plan-visits.ts';
import { authorize, refuse } from './refusals.ts';

/**
 * The plan as the user may see it: every section with its content, or withheld, and what is new
 * since their last visit. The read is logged.
 */
export async function readOverview(ctx: PlanContext) {
  const { overview, sectionsRead } = await buildPlanOverview(ctx.db, ctx.user, ctx.facts, ctx.ability);
  const whatIsNew = await sinceLastVisit(ctx, overview);
  await auditRead(ctx, sectionsRead);
  return { ...overview, sinceLastVisit: whatIsNew };
}

/** One section, when it is shared with the user (403, logged, otherwise). The read is logged. */
export async function readPlanSection<S extends Section>(ctx: PlanContext, section: S) {
  if (!readableSections(ctx.user, ctx.facts).includes(section))
    await refuse(ctx, {
      action: 'read',
      sections: [section],
      detail: 'This part of the plan is not shared with you.',
      whenClosed: 'This part of the plan is not shared with you.',
    });
  const content = await readSectionResponse(ctx.db, ctx.ability, ctx.planId, section);
  await auditRead(ctx, [section]);
  return content;
}

/**
 * "See what they see": exactly what one member gets now, through the member's own read path —
 * their facts, their ability, the same overview code. For the lead and the client.
 */
export async function previewForMember(ctx: PlanContext, memberId: string) {
  await authorize(ctx, 'preview', asSubject('Plan', { id: ctx.planId }), {
    detail: 'Only the lead and the client can see what a member sees.',
    whenClosed: 'Only the lead and the client can see what a member sees.',
  });
  if (!(await memberExists(ctx.db, ctx.planId, memberId)))
    throw new NotFound('This member is not in this plan.');
  const memberUser = await findMemberUser(ctx.db, ctx.planId, memberId);
  const memberFacts = memberUser && (await asSystem(() => loadPlanFacts(ctx.db, memberUser.id, ctx.planId)));
  const memberAbility = memberUser && memberFacts && defineAbilityFor(memberUser, [memberFacts]);
  if (!memberUser || !memberFacts || !memberAbility?.can('read', asSubject('Plan', { id: ctx.planId })))
    return { memberId, seesPlan: false, overview: null };
  const { overview, sectionsRead } = await readingAs({ userId: memberUser.id }, () =>
    buildPlanOverview(ctx.db, memberUser, memberFacts, memberAbility),
  );
  await auditRead(ctx, sectionsRead, 'preview');
  return { memberId, seesPlan: true, overview };
}

/**
 * Who looked at the plan and what they did, newest first: the client and the lead only. Event by
 * event, or in lines per person, day and kind (`grouped`). With whom consent was given only for
 * a reader who may see the grants.
 */
export async function readAccessLog(
  ctx: PlanContext,
  page: { limit: number; cursor?: number; view: 'events' | 'grouped' },
) {
  const onlyClientAndLead = 'Only the client and the lead see who looked at this plan.';
  await authorize(ctx, 'read', asSubject('AccessLog', { planId: ctx.planId }), {
    detail: onlyClientAndLead,
    whenClosed: onlyClientAndLead,
  });
  const options = {
    limit: page.limit,
    before: page.cursor ?? null,
    withRecipients: ctx.ability.can('read', asSubject('Grant', { planId: ctx.planId })),
  };
  if (page.view === 'grouped') {
    const { groups, nextCursor } = await listAccessLogGroups(ctx.db, ctx.planId, options);
    return {
      groups: groups.map((group) => ({
        ...group,
        firstAt: group.firstAt.toISOString(),
        lastAt: group.lastAt.toISOString(),
        events: group.events.map((event) => ({ ...event, at: event.at.toISOString() })),
      })),
      nextCursor,
    };
  }
  const { items, nextCursor } = await listAccessLog(ctx.db, ctx.planId, options);
  return { items: items.map((item) => ({ ...item, at: item.at.toISOString() })), nextCursor };
}
