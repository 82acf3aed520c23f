import { Readable } from 'node:stream';
import { appendAuditEvent, listAccessLog, summarizeLooks } from '../../db/queries/audit.ts';
import { findClientLanguages, findPrintRecipient } from '../../db/queries/exports.ts';
import { listGrants } from '../../db/queries/grants.ts';
import { listVisibilityDecisions } from '../../db/queries/member-writes.ts';
import { findMemberUser, loadMemberPlanFacts, loadPlanFacts } from '../../db/queries/plan-access.ts';
import { asSystem, readingAs } from '../../db/scope.ts';
import { PLAN_EXPORT_FORMAT, PLAN_EXPORT_VERSION, PlanExportSchema } from '../../domain/schemas/exports.ts';
import { AccessLogEntrySchema } from '../../domain/schemas/plans.ts';
import type { Section } from '../../domain/sections.ts';
import { isLocale, type Locale } from '../../domain/vocabularies.ts';
import {
  asSubject,
  defineAbilityFor,
  isGrantActive,
  sectionsRefusedFor,
  type PolicyUser,
} from '../../policies/index.ts';
import { HttpProblem, NotFound } from '../errors.ts';
import type { PlanContext } from '../services/context.ts';
import { toGrant } from '../services/grants.ts';
import { toVisibilityDecision } from '../services/members.ts';
import { buildPlanOverview } from '../services/plan-view.ts';
import { authorize } from '../services/refusals.ts';
import { renderExportPdf, renderPrintPdf, type ShareLine } from './plan-pdf.ts';

// The client's data in their hands (issue 17): the whole plan as JSON and as a PDF, for the client
// or the lead on their behalf; and the plan printed for one member, exactly as that member may read
// it. Every one is read through an ability (the reader's own, or the member's) and audited.

/** Access-log events per page of the JSON export: the log is streamed page by page, never whole. */
export const EXPORT_LOG_PAGE = 500;

const ONLY_LEAD_AND_CLIENT = 'Only the client and the lead can download the whole plan.';

async function authorizeExport(ctx: PlanContext): Promise<void> {
  await authorize(ctx, 'export', asSubject('Plan', { id: ctx.planId }), {
    detail: ONLY_LEAD_AND_CLIENT,
    whenClosed: ONLY_LEAD_AND_CLIENT,
  });
}

/** The whole plan as the caller reads it (lead and client: every section), and its `export` event. */
async function readForExport(ctx: PlanContext, now: Date) {
  await authorizeExport(ctx);
  const { overview, sectionsRead } = await buildPlanOverview(ctx.db, ctx.user, ctx.facts, ctx.ability, now);
  // An export is logged whoever makes it, the client included: the whole plan leaves Liaison.
  await appendAuditEvent(ctx.db, {
    planId: ctx.planId,
    actorUserId: ctx.user.id,
    action: 'export',
    sections: sectionsRead,
  });
  return overview;
}

/**
 * The whole plan as JSON (`PlanExportSchema`), as a stream: the bounded parts first (the plan,
 * consent, visibility decisions), then the access log page by page with keyset paging, so that a
 * plan with years of history is never held in memory whole. The export's own event is in its log.
 */
export async function exportPlanJson(ctx: PlanContext): Promise<Readable> {
  const now = new Date();
  const overview = await readForExport(ctx, now);
  const grants = await listGrants(ctx.db, ctx.planId);
  const decisions = await listVisibilityDecisions(ctx.db, ctx.planId);
  // The bounded part goes through the schema like any answer of the API (the stream below is not
  // serialized by Fastify): what the document promises is what is written.
  const head = PlanExportSchema.omit({ accessLog: true }).parse({
    format: PLAN_EXPORT_FORMAT,
    version: PLAN_EXPORT_VERSION,
    exportedAt: now.toISOString(),
    exportedBy: { id: ctx.user.id, name: ctx.user.name },
    plan: overview,
    consent: {
      grants: grants.map((row) => toGrant(row, ctx.facts.closed, now)),
      visibilityDecisions: decisions.map(toVisibilityDecision),
    },
  });
  const withRecipients = ctx.ability.can('read', asSubject('Grant', { planId: ctx.planId }));
  const { db, planId } = ctx;
  async function* chunks(): AsyncGenerator<string> {
    const opening = JSON.stringify(head);
    yield `${opening.slice(0, -1)},"accessLog":[`;
    let before: number | null = null;
    let first = true;
    do {
      const page = await listAccessLog(db, planId, { limit: EXPORT_LOG_PAGE, before, withRecipients });
      const items = AccessLogEntrySchema.array().parse(
        page.items.map((event) => ({ ...event, at: event.at.toISOString() })),
      );
      if (items.length > 0) {
        const json = JSON.stringify(items);
        yield `${first ? '' : ','}${json.slice(1, -1)}`;
        first = false;
      }
      before = page.nextCursor;
    } while (before !== null);
    yield ']}';
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** The client's language: their account's, else the one recorded with them, else Dutch. */
async function clientLocale(ctx: PlanContext): Promise<Locale> {
  const languages = await findClientLanguages(ctx.db, ctx.planId);
  const preferred = languages?.preferredLanguage?.toLowerCase().slice(0, 2);
  if (isLocale(languages?.accountLocale)) return languages.accountLocale;
  return isLocale(preferred) ? preferred : 'nl';
}

/**
 * Who may read what now: each current member with their active consent, minus the sections the
 * policies never give them (secrecy-bound ones, unless a professional not known to be unbound).
 */
async function sharesOf(
  ctx: PlanContext,
  network: ReadonlyArray<{
    id: string;
    name: string;
    kind: 'professional' | 'informal';
    secrecyBound: boolean | null;
    status: string;
  }>,
  now: Date,
): Promise<ShareLine[]> {
  if (ctx.facts.closed) return [];
  const grants = await listGrants(ctx.db, ctx.planId);
  return network
    .filter((member) => member.status === 'current')
    .map((member) => {
      const active = grants.filter((grant) => grant.memberId === member.id && isGrantActive(grant, now));
      const refused = new Set(
        sectionsRefusedFor(
          member,
          active.map((grant) => grant.section),
        ),
      );
      const ends = new Map<Section, Date | null>();
      for (const grant of active) {
        if (refused.has(grant.section)) continue;
        const known = ends.get(grant.section);
        // The latest end of the section's consents; open-ended wins.
        if (known === null) continue;
        ends.set(
          grant.section,
          grant.validUntil === null || known === undefined || grant.validUntil > known
            ? grant.validUntil
            : known,
        );
      }
      return { name: member.name, sections: [...ends].map(([section, until]) => ({ section, until })) };
    })
    .filter((share) => share.sections.length > 0);
}

/** The whole plan as an easy-to-read PDF in the client's language. */
export async function exportPlanPdf(ctx: PlanContext): Promise<Buffer> {
  const now = new Date();
  const overview = await readForExport(ctx, now);
  const network = overview.sections.network.withheld ? [] : overview.sections.network.content;
  const looks = await summarizeLooks(ctx.db, ctx.planId);
  return renderExportPdf({
    locale: await clientLocale(ctx),
    overview,
    shares: await sharesOf(ctx, network, now),
    looks: looks.map((line) => ({
      who:
        line.actor === null
          ? null
          : line.actor.id === null
            ? { outsider: true as const, organization: line.actor.organization }
            : { name: line.actor.name, organization: line.actor.organization },
      count: line.count,
      lastAt: line.lastAt,
    })),
    madeBy: ctx.user.name,
    madeAt: now,
  });
}

/** A plan answered when nothing is shared with the member: nothing to print (nothing is logged). */
class NothingShared extends HttpProblem {
  constructor() {
    super(
      409,
      'nothing-shared',
      'Nothing is shared with this member',
      'The client shares no part of the plan with this person now: there is nothing to print.',
    );
  }
}

/**
 * The member as the policies see them. With an account: that account and its facts, as "see what
 * they see" reads them. Without one: a partner never bound by professional secrecy (nobody
 * confirmed it), with the member row's own facts and grants, and an id no user has (not a uuid),
 * so that no rule about a user can match it. Null when the member's account is disabled.
 */
async function memberReader(
  ctx: PlanContext,
  member: { id: string; kind: 'professional' | 'informal'; userId: string | null },
) {
  if (member.userId !== null) {
    const user = await findMemberUser(ctx.db, ctx.planId, member.id);
    const facts = user && (await asSystem(() => loadPlanFacts(ctx.db, user.id, ctx.planId)));
    return user && facts ? { user, facts, reads: { userId: user.id } } : null;
  }
  const user: PolicyUser = {
    id: `member-without-account:${member.id}`,
    kind: member.kind === 'professional' ? 'professional' : 'supporter',
    organizationId: null,
    secrecyBound: false,
  };
  const facts = await asSystem(() => loadMemberPlanFacts(ctx.db, ctx.planId, member.id));
  return facts ? { user, facts, reads: { memberId: member.id } } : null;
}

/**
 * The plan printed for one member: exactly what they may read now, read through their own ability
 * (the same overview code as the app and "see what they see"), with the consent in the footer.
 * Audited as a share on paper: one `print` event naming the member and the sections printed.
 */
export async function printForMember(ctx: PlanContext, memberId: string, locale: Locale): Promise<Buffer> {
  const onlyLead = 'Only the lead and co-leads of an open plan print it for a member.';
  await authorize(ctx, 'print', asSubject('Plan', { id: ctx.planId }), {
    detail: onlyLead,
    whenClosed: 'This plan is closed: nothing is shared from it any more.',
  });
  const member = await findPrintRecipient(ctx.db, ctx.planId, memberId);
  if (!member) throw new NotFound('This member is not in this plan.');
  const reader = await memberReader(ctx, member);
  const ability = reader && defineAbilityFor(reader.user, [reader.facts]);
  if (!reader || !ability?.can('read', asSubject('Plan', { id: ctx.planId }))) throw new NothingShared();
  const now = new Date();
  const { overview, sectionsRead } = await readingAs(reader.reads, () =>
    buildPlanOverview(ctx.db, reader.user, reader.facts, ability, now),
  );
  if (sectionsRead.length === 0) throw new NothingShared();
  // The consent behind what is printed: the grants of the member row the member reads through.
  const readingRow =
    reader.facts.membership?.memberId === member.id
      ? member
      : await findPrintRecipient(ctx.db, ctx.planId, reader.facts.membership?.memberId ?? member.id);
  const consents = (readingRow?.grants ?? []).filter(
    (grant) => sectionsRead.includes(grant.section) && isGrantActive(grant, now),
  );
  const pdf = await renderPrintPdf({
    locale,
    overview,
    memberName: member.name,
    sections: sectionsRead,
    consents,
    printedBy: ctx.user.name,
    printedAt: now,
  });
  // Logged once the paper exists, in the same request: a share on the client's behalf.
  await appendAuditEvent(ctx.db, {
    planId: ctx.planId,
    actorUserId: ctx.user.id,
    action: 'print',
    sections: sectionsRead,
    subjectType: 'Member',
    subjectId: member.id,
    details: { memberId: member.id },
  });
  return pdf;
}
